package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer: a batch that fails in any way fails only its own writes; a committer that stops fails fast. */
class DatabaseTest {
    @TempDir
    Path dir;

    private Database open() {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("clavis.db"));
        db.write("creating a table", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("CREATE TABLE notes (text TEXT)");
            }
        });
        return db;
    }

    private static int insert(Database db, String text) {
        return db.write("adding a note", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO notes (text) VALUES (?)")) {
                p.setString(1, text);
                return p.executeUpdate();
            }
        });
    }

    private static int count(Database db, String text) {
        return db.read("counting notes", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM notes WHERE text = ?")) {
                p.setString(1, text);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    @Test
    void anOutOfMemoryErrorInAWriteFailsItsBatchAndLaterWritesWork() throws Exception {
        try (Database db = open()) {
            // Hold the committer in a first batch, so that the next two writes are queued and share one batch.
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> db.write("holding", c -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return 1;
            }));
            assertTrue(holding.await(10, java.util.concurrent.TimeUnit.SECONDS));
            CompletableFuture<Integer> neighbour = CompletableFuture.supplyAsync(() -> insert(db, "neighbour"));
            CompletableFuture<Object> failing = CompletableFuture.supplyAsync(() -> db.write("running out of memory", c -> {
                throw new OutOfMemoryError("test");
            }));
            long deadline = System.currentTimeMillis() + 10_000;
            while (db.queued() < 2 && System.currentTimeMillis() < deadline) Thread.onSpinWait();
            assertEquals(2, db.queued(), "both writes wait for the next batch");
            release.countDown();
            assertEquals(1, first.get());

            ExecutionException thrown = assertThrows(ExecutionException.class, failing::get);
            assertInstanceOf(StoreException.class, thrown.getCause());
            assertInstanceOf(OutOfMemoryError.class, thrown.getCause().getCause());
            ExecutionException undone = assertThrows(ExecutionException.class, neighbour::get);
            assertInstanceOf(StoreException.class, undone.getCause(), "its batch was rolled back, so it fails too");
            assertEquals(0, count(db, "neighbour"));

            assertEquals(1, insert(db, "later"), "the committer lives on");
            assertEquals(1, count(db, "later"));
            assertTrue(db.ping());
        }
    }

    @Test
    void whenTheCommitterHasStoppedWritesFailAtOnceAndThePingSaysDown() throws Exception {
        try (Database db = open()) {
            assertTrue(db.ping());
            db.committer.interrupt(); // as if it had died
            db.committer.join(10_000);
            assertFalse(db.committer.isAlive());
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(StoreException.class, () -> insert(db, "lost")));
            assertFalse(db.ping(), "the readiness check reports the database down");
        }
    }

    @Test
    void aKeyRingsReadOfItsLiveKeysUsesTheirIndexNotEveryKeyOfItsServer() {
        try (Database db = open()) {
            String plan = db.read("planning", c -> {
                try (PreparedStatement p = c.prepareStatement("EXPLAIN QUERY PLAN " + JdbcSigningKeyRepository.LIVE)) {
                    p.setString(1, "as");
                    p.setString(2, "as");
                    p.setLong(3, 0);
                    StringBuilder out = new StringBuilder();
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) out.append(r.getString(4)).append('\n');
                    }
                    return out.toString();
                }
            });
            assertTrue(plan.contains("signing_keys_live"), plan);
            assertTrue(plan.contains("retired_at"), "the retirement time narrows the search, not only the server: " + plan);
        }
    }
}
