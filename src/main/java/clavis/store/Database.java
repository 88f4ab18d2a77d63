package clavis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.sqlite.SQLiteConfig;

/**
 * The SQLite database: WAL journal, {@code synchronous=FULL} so a commit is on disk before it returns, a busy
 * timeout for other processes, one writer connection at a time, and a few reader connections that WAL lets
 * read while the writer writes. An in-memory database ({@code jdbc:sqlite::memory:}, for tests and embedding)
 * lives in one connection, so there reads share the writer's.
 */
public final class Database implements AutoCloseable {
    public static final int READERS = 4;
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final boolean inMemory;
    private final List<Connection> all = new ArrayList<>();

    /** A unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Database(String url) throws SQLException {
        this.inMemory = url.contains(":memory:") || url.contains("mode=memory");
        this.writer = open(url, false);
        Migrations.apply(writer);
        this.readers = new ArrayBlockingQueue<>(READERS);
        if (!inMemory) {
            for (int i = 0; i < READERS; i++) readers.add(open(url, true));
        }
    }

    /** Opens the database and brings its schema up to date; fails fast when either is impossible. */
    public static Database open(String url) {
        try {
            return new Database(url);
        } catch (SQLException e) {
            throw new StoreException("opening " + url, e);
        }
    }

    private Connection open(String url, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        config.setReadOnly(readOnly);
        Connection c = config.createConnection(url);
        all.add(c);
        return c;
    }

    /** Runs {@code work} in one write transaction, committed (and synced) before this returns. */
    public <T> T write(String operation, Work<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a reader connection; it never waits for the writer. */
    public <T> T read(String operation, Work<T> work) {
        if (inMemory) {
            writeLock.lock();
            try {
                return work.run(writer);
            } catch (SQLException e) {
                throw new StoreException(operation, e);
            } finally {
                writeLock.unlock();
            }
        }
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation, e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        } finally {
            readers.add(c);
        }
    }

    /** Whether the database answers a trivial query: the readiness check. */
    public boolean ping() {
        try {
            return read("ping", c -> {
                try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("SELECT 1")) {
                    return r.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
