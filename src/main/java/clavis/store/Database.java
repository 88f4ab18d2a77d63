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
 * ({@code jdbc:sqlite::memory:}) lives in one connection, so there reads share the
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
    /** Package-private for the test that stops it as if it had died. */
    final Thread committer;
    /** Set when the committer has stopped, by close() or otherwise: writes fail at once and the readiness check fails. */
    private volatile boolean committerStopped;
    private static final WriteTask<Object> STOP = new WriteTask<>("stop", c -> null);
    /** How often a waiting write checks that the committer still lives (it releases every write it takes). */
    private static final long COMMITTER_CHECK_MILLIS = 1_000;
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
        this.inMemory = Store.isInMemory(url);
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
        if (committerStopped || !committer.isAlive()) throw stopped(operation);
        queue.add(task);
        // The committer releases everything queued when it stops; a write queued just after that releases itself.
        if (committerStopped && queue.remove(task)) throw stopped(operation);
        return task.await(committer);
    }

    private static StoreException stopped(String operation) {
        return new StoreException(operation, new SQLException("the database is closed"));
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

        /** Gives the caller {@code e} unless the task was already released. Only one thread releases a task. */
        void fail(RuntimeException e) {
            if (done.getCount() == 0) return;
            failure = e;
            done.countDown();
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

        /** The outcome, once the committer has released this write; a committer that died without doing so fails it. */
        T await(Thread committer) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        if (done.await(COMMITTER_CHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) break;
                        if (!committer.isAlive() && done.getCount() > 0) throw stopped(operation);
                    } catch (InterruptedException e) {
                        interrupted = true; // the write is queued: wait for its outcome all the same
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
            if (failure != null) throw failure;
            return result;
        }
    }

    /**
     * The committer: takes what is queued, runs it in one transaction, commits, then releases the callers. A batch
     * that fails in any way, an {@link Error} such as {@link OutOfMemoryError} included, fails its own writes only;
     * the next batch starts afresh. Should the thread stop all the same, everything still queued is refused and
     * {@link #ping()} reports the database down.
     */
    private void commitLoop() {
        List<WriteTask<?>> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                WriteTask<?> first = queue.take();
                if (first == STOP) return;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                try {
                    commit(batch);
                } catch (Throwable e) { // commit() handles its failures; this is the net should the handling itself fail
                    for (WriteTask<?> t : batch) t.fail(new StoreException(t.operation, e));
                }
                batch.clear();
                if (stop) return;
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            committerStopped = true;
            for (WriteTask<?> t : batch) t.fail(stopped(t.operation));
            for (WriteTask<?> left; (left = queue.poll()) != null; ) left.fail(stopped(left.operation));
        }
    }

    private void commit(List<WriteTask<?>> batch) {
        writeLock.lock();
        try {
            Throwable failure = null;
            boolean committed = false;
            try {
                writer.setAutoCommit(false);
                for (WriteTask<?> t : batch) t.runIn(writer);
                writer.commit();
                committed = true;
            } catch (Throwable e) { // an Error too, such as OutOfMemoryError: this batch fails, the committer lives on
                failure = e;
            } finally {
                if (!committed) rollBack();
                try {
                    writer.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // next batch starts over
                }
            }
            if (failure != null) {
                for (WriteTask<?> t : batch) { // rolled back: the writes that succeeded in their savepoints are undone too
                    if (t.failure == null) t.failure = new StoreException(t.operation, failure);
                }
                if (!inMemory) writer = renewIfBroken(writer, false);
            }
        } finally {
            writeLock.unlock();
        }
        for (WriteTask<?> t : batch) t.done.countDown();
    }

    private void rollBack() {
        try {
            writer.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the transaction is gone either way
        }
    }

    /** How many writes wait for the committer; for tests. */
    int queued() {
        return queue.size();
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

    /** Whether the database answers a trivial query and writes can be made: the readiness check. */
    public boolean ping() {
        if (committerStopped || !committer.isAlive()) return false;
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
        for (WriteTask<?> left; (left = queue.poll()) != null; ) left.fail(stopped(left.operation)); // raced with close: refused, not lost
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
