package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file holds the signing keys: only its owner may read it, and a looser existing file is reported. */
class SqliteFilesTest {
    @TempDir
    Path dir;

    /** Held here: JUL keeps loggers weakly, and a collected one would lose the handler. */
    private final Logger clavis = Logger.getLogger("clavis");
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(r);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void posixOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    }

    private List<LogRecord> warningsWhile(Runnable action) {
        clavis.addHandler(capture);
        try {
            action.run();
        } finally {
            clavis.removeHandler(capture);
        }
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private static void writeSomething(Database db) {
        db.write("a test write", c -> {
            try (java.sql.Statement s = c.createStatement()) {
                return s.executeUpdate("CREATE TABLE IF NOT EXISTS probe (x INTEGER)");
            }
        });
    }

    @Test
    void aNewDatabaseAndItsWalAndShmFilesAreOwnerOnlyWithoutAWarning() throws Exception {
        Path file = dir.resolve("clavis.db");
        List<LogRecord> logged = warningsWhile(() -> {
            try (Database db = Database.open("jdbc:sqlite:" + file)) {
                writeSomething(db);
                for (String name : List.of("clavis.db", "clavis.db-wal", "clavis.db-shm")) {
                    Path f = dir.resolve(name);
                    assertTrue(Files.exists(f), name + " exists while the database is open");
                    try {
                        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        assertEquals(List.of(), logged.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void anExistingDatabaseOthersCanReadIsNamedInAWarningWithTheFix() throws Exception {
        Path file = dir.resolve("clavis.db");
        try (Database db = Database.open("jdbc:sqlite:" + file)) {
            writeSomething(db);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<LogRecord> logged = warningsWhile(() -> Database.open("jdbc:sqlite:" + file).close());
        assertEquals(1, logged.size(), logged.toString());
        String message = logged.get(0).getMessage();
        assertTrue(message.contains(file.toString()) && message.contains("chmod 600 " + file), message);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "a warning, not a change behind the owner's back");
    }

    @Test
    void theFileIsTakenFromEachFormOfSqliteUrl() {
        assertEquals(Path.of("clavis.db"), SqliteFiles.file("jdbc:sqlite:clavis.db"));
        assertEquals(Path.of("/var/lib/clavis/clavis.db"), SqliteFiles.file("jdbc:sqlite:/var/lib/clavis/clavis.db?busy_timeout=100"));
        assertEquals(Path.of("/var/lib/clavis/clavis.db"), SqliteFiles.file("jdbc:sqlite:file:///var/lib/clavis/clavis.db"));
        assertEquals(Path.of("data/clavis.db"), SqliteFiles.file("jdbc:sqlite:file:data/clavis.db?cache=shared"));
        assertNull(SqliteFiles.file("jdbc:sqlite::memory:"));
        assertNull(SqliteFiles.file("jdbc:sqlite:"));
        assertNull(SqliteFiles.file("jdbc:sqlite:file:my%20clavis.db"));
    }
}
