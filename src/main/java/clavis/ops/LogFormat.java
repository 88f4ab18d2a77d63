package clavis.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record: {@code 2026-11-26 02:25:33.407 INFO clavis: message}, the time in UTC. Written by
 * hand because JUL's SimpleFormatter goes through java.util.Formatter and localized level names, which load the
 * locale and calendar data: a measured share of the time from {@code java -jar} to the first token.
 */
public final class LogFormat extends Formatter {
    /** Formats the console output of the standalone server this way, unless a JUL configuration file is given. */
    public static void install() {
        if (System.getProperty("java.util.logging.config.file") != null) return;
        for (Handler h : Logger.getLogger("").getHandlers()) h.setFormatter(new LogFormat());
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        timestamp(line, record.getMillis());
        line.append(' ').append(record.getLevel().getName()).append(' ').append(record.getLoggerName()).append(": ")
                .append(formatMessage(record)).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, from the civil-from-days algorithm (no calendar classes). */
    static void timestamp(StringBuilder out, long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        out.append(year).append('-');
        two(out, month).append('-');
        two(out, day).append(' ');
        two(out, ms / 3_600_000).append(':');
        two(out, ms / 60_000 % 60).append(':');
        two(out, ms / 1000 % 60).append('.');
        long milli = ms % 1000;
        out.append(milli < 100 ? "0" : "").append(milli < 10 ? "0" : "").append(milli);
    }

    private static StringBuilder two(StringBuilder out, long n) {
        return out.append(n < 10 ? "0" : "").append(n);
    }
}
