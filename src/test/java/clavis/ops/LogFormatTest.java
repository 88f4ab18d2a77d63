package clavis.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/** The hand-written timestamp agrees with java.time over four centuries, and a record is one line plus its trace. */
class LogFormatTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @Test
    void timestampsMatchJavaTime() {
        Random random = new Random(20261126);
        long[] fixed = {0, 951_782_400_000L, 4_107_542_399_999L, 1_795_659_225_123L, 1_709_164_800_000L};
        for (long millis : fixed) assertEquals(REFERENCE.format(Instant.ofEpochMilli(millis)), render(millis));
        for (int i = 0; i < 100_000; i++) {
            long millis = (long) (random.nextDouble() * 12_000_000_000_000L);
            assertEquals(REFERENCE.format(Instant.ofEpochMilli(millis)), render(millis), "at " + millis);
        }
    }

    private static String render(long millis) {
        StringBuilder b = new StringBuilder();
        LogFormat.timestamp(b, millis);
        return b.toString();
    }

    @Test
    void aRecordIsOneLineWithLevelLoggerAndMessage() {
        LogRecord r = new LogRecord(Level.WARNING, "cannot read {0}");
        r.setParameters(new Object[] {"x"});
        r.setLoggerName("clavis.oauth");
        r.setInstant(Instant.ofEpochMilli(1_795_659_225_123L));
        assertEquals("2026-11-26 02:13:45.123 WARNING clavis.oauth: cannot read x" + System.lineSeparator(), new LogFormat().format(r));
        r.setThrown(new IllegalStateException("boom"));
        assertTrue(new LogFormat().format(r).contains("java.lang.IllegalStateException: boom"));
    }
}
