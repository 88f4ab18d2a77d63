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
 * Loads the heavy parts of a first request (SQLite's driver and native library, JSON, the HTTP date format) on a
 * background thread while the rest starts: a measured share of the time from {@code java -jar} to the first token.
 * Optional: everything works without it. The signers warm up with their keys ({@link SigningKeys}).
 */
final class Warmup {
    private Warmup() {
    }

    static void begin() {
        Thread t = new Thread(() -> {
            try {
                Database.preload();
                Json.write(Map.of("warm", List.of(1)));
                // The JDK HTTP server's Date header format (locale data), which the first response would load.
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US).withZone(ZoneId.of("GMT")).format(Instant.now());
            } catch (RuntimeException | LinkageError e) {
                // start() will meet the same problem and report it
            }
        }, "clavis-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
