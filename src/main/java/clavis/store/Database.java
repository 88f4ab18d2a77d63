package clavis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The database: SQLite (WAL journal, {@code synchronous=FULL} so a commit is on disk before it returns, a busy
 * timeout for other processes) or PostgreSQL. One writer connection, fed by one committer thread that groups
 * concurrent writes into one transaction, and a few reader connections that never wait for it. A broken
 * connection (a PostgreSQL restart) is replaced on its next use. An in-memory SQLite database
 * ({@code jdbc:sqlite::memory:}, for tests and embedding) lives in one connection, so there reads share the
 * writer's.
 */
public final class Database implements AutoCloseable {
    public static final int READERS = 4;
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String url;
    private final Dialect dialect;
    private volatile Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final boolean inMemory;
    private final BlockingQueue<WriteTask<?>> queue = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Thread committer;
    private static final WriteTask<Object> STOP = new WriteTask<>("stop", c -> null);
    /** The most writes that share one transaction. */
    static final int MAX_BATCH = 256;
    private final List<Connection> all = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Database(String url) throws SQLException {
        this.url = url;
        this.dialect = Dialect.of(url);
        if (dialect == Dialect.SQLITE) NativeLibrary.prepare();
        this.inMemory = dialect == Dialect.SQLITE && (url.contains(":memory:") || url.contains("mode=memory"));
        if (dialect == Dialect.SQLITE && !inMemory) SqliteFiles.secure(url);
        this.writer = open(url, false);
        Migrations.apply(writer, dialect);
        this.readers = new ArrayBlockingQueue<>(READERS);
        if (!inMemory) {
            for (int i = 0; i < READERS; i++) readers.add(open(url, true));
        }
        this.committer = new Thread(this::commitLoop, "clavis-db-committer");
        committer.setDaemon(true);
        committer.start();
    }

    /**
     * Loads the SQLite driver and its native library ahead of time, for a faster start; safe to call from any
     * thread. A connection's settings object is made once too: its constructor sets up the driver's date formats,
     * which load the JDK's locale data (about 100 ms of a cold start when left to the first connection).
     */
    public static void preload() {
        NativeLibrary.prepare();
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
            new org.sqlite.SQLiteConfig();
        } catch (Exception e) {
            // the first connection will say what is wrong
        }
    }

    /**
     * Opens the database and brings its schema up to date; fails fast when either is impossible. The failure names
     * the URL with its password masked, in its message and its causes' ({@link StoreUrls}).
     */
    public static Database open(String url) {
        try {
            return new Database(url);
        } catch (SQLException e) {
            throw new StoreException("opening " + StoreUrls.masked(url), StoreUrls.scrubbed(e));
        }
    }

    private Connection open(String url, boolean readOnly) throws SQLException {
        Connection c = dialect.connect(url, readOnly);
        all.add(c);
        return c;
    }

    /** Whether everything is lost at close: an in-memory SQLite database. */
    public boolean inMemory() {
        return inMemory;
    }

    /** Which database this is; the repositories ask for the few statements that differ. */
    public Dialect dialect() {
        return dialect;
    }

    /** A connection that failed is replaced when it no longer answers; the caller retries on the next request. */
    private Connection renewIfBroken(Connection c, boolean readOnly) {
        try {
            if (c.isValid(2)) return c;
        } catch (SQLException ignored) {
            // treat as broken
        }
        all.remove(c);
        try {
            c.close();
        } catch (SQLException ignored) {
            // already gone
        }
        try {
            return open(url, readOnly);
        } catch (SQLException e) {
            return c; // still down: keep the broken one, which fails fast, and try again next time
        }
    }

    /**
     * Runs {@code work} in a write transaction, committed (and synced to disk) before this returns. Writes that
     * arrive together share one transaction and one fsync (group commit), each inside its own savepoint, so one
     * failing write does not undo the others.
     */
    public <T> T write(String operation, Work<T> work) {
        WriteTask<T> task = new WriteTask<>(operation, work);
        if (!committer.isAlive()) throw new StoreException(operation, new SQLException("the database is closed"));
        queue.add(task);
        return task.await();
    }

    /** One queued write and, once its batch has committed, its outcome. */
    private static final class WriteTask<T> {
        final String operation;
        final Work<T> work;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        T result;
        RuntimeException failure;

        WriteTask(String operation, Work<T> work) {
            this.operation = operation;
            this.work = work;
        }

        void runIn(Connection c) throws SQLException {
            java.sql.Savepoint savepoint = c.setSavepoint();
            try {
                result = work.run(c);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                c.rollback(savepoint);
                failure = e instanceof StoreException se ? se : e instanceof SQLException sql ? new StoreException(operation, sql)
                        : (RuntimeException) e;
            }
        }

        T await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the write is queued: wait for its outcome all the same
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (failure != null) throw failure;
            return result;
        }
    }

    /** The committer: takes what is queued, runs it in one transaction, commits, then releases the callers. */
    private void commitLoop() {
        List<WriteTask<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                WriteTask<?> first = queue.take();
                if (first == STOP) return;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                commit(batch);
                batch.clear();
                if (stop) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void commit(List<WriteTask<?>> batch) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            for (WriteTask<?> t : batch) t.runIn(writer);
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the transaction is gone either way
            }
            for (WriteTask<?> t : batch) {
                if (t.failure == null) t.failure = new StoreException(t.operation, e);
            }
            if (!inMemory) writer = renewIfBroken(writer, false);
        } finally {
            try {
                writer.setAutoCommit(true);
            } catch (SQLException ignored) {
                // next batch starts over
            }
            writeLock.unlock();
            for (WriteTask<?> t : batch) t.done.countDown();
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
            c = renewIfBroken(c, true);
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
        if (committer.isAlive()) {
            queue.add(STOP);
            try {
                committer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (WriteTask<?> left; (left = queue.poll()) != null; ) { // raced with close: refused, not lost silently
            left.failure = new StoreException(left.operation, new SQLException("the database is closed"));
            left.done.countDown();
        }
        writeLock.lock();
        try {
            synchronized (all) {
                for (Connection c : all) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing anyway
                    }
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
