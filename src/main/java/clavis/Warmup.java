package clavis;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import clavis.json.Json;
import clavis.store.Database;

/**
 * Loads the heavy parts of a first request (JSON written and read, the HTTP date format, the logging set-up) on a
 * background thread while the rest starts, and SQLite's driver and native library on another when the store is
 * SQLite: a measured share of the time from {@code java -jar} to the first token. A server on the memory store
 * loads no database driver at all. Optional: everything works without it. The signers warm up with their keys
 * ({@link SigningKeys}).
 */
final class Warmup {
    private static final java.util.concurrent.atomic.AtomicBoolean BEGUN = new java.util.concurrent.atomic.AtomicBoolean();
    private static final java.util.concurrent.atomic.AtomicBoolean SQLITE = new java.util.concurrent.atomic.AtomicBoolean();

    private Warmup() {
    }

    /** Starts the warm-up once per JVM: {@code Main} begins it first thing, {@code Clavis.start} when nobody has. */
    static void begin() {
        if (!BEGUN.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                Json.write(Map.of("warm", List.of(1)));
                Json.parseObject("{\"warm\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                // The JDK HTTP server's Date header format (locale data), which the first response would load.
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US).withZone(ZoneId.of("GMT")).format(Instant.now());
                // The logging set-up and its formatters, which the start-up line would otherwise load on the start path.
                java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.INFO, "warm-up");
                record.setLoggerName("clavis");
                for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
                    if (h.getFormatter() != null) h.getFormatter().format(record);
                }
                System.getLogger("clavis").isLoggable(System.Logger.Level.INFO);
            } catch (Json.MalformedJsonException | RuntimeException | LinkageError e) {
                // start() will meet the same problem and report it
            }
        }, "clavis-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Loads SQLite's driver once per JVM: {@code Main} before it reads the configuration, {@code Clavis.start} for a SQLite store. */
    static void sqlite() {
        if (!SQLITE.compareAndSet(false, true)) return;
        Thread t = new Thread(Database::preload, "clavis-warm-up-sqlite");
        t.setDaemon(true);
        t.start();
    }
}
