package clavis.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record: {@code 2026-11-26 02:25:33.407 INFO clavis: message}, the time in UTC. Not JUL's
 * SimpleFormatter, which goes through java.util.Formatter and localized level names and so loads the locale and
 * calendar data: a measured share of the time from {@code java -jar} to the first token.
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

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, from java.time's fields (no formatter: no locale data to load). */
    static void timestamp(StringBuilder out, long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC);
        out.append(t.getYear()).append('-');
        two(out, t.getMonthValue()).append('-');
        two(out, t.getDayOfMonth()).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append('.');
        long milli = Math.floorMod(millis, 1000);
        out.append(milli < 100 ? "0" : "").append(milli < 10 ? "0" : "").append(milli);
    }

    private static StringBuilder two(StringBuilder out, long n) {
        return out.append(n < 10 ? "0" : "").append(n);
    }
}
