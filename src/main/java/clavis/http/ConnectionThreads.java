package clavis.http;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the HTTP server reads requests on, and that wait on a request's behalf: many and cheap, so that a
 * slow sender holds only its own. A task goes to an idle thread if there is one, else to a new thread up to the
 * maximum, and only then waits in line: a plain ThreadPoolExecutor would queue first and never grow past its core.
 * Idle threads end after a while, so an attack that made many leaves none behind.
 */
final class ConnectionThreads extends ThreadPoolExecutor {
    private static final long IDLE_SECONDS = 30;

    /** Tasks handed in and not yet finished: more of them than threads means none is idle. */
    private final AtomicInteger unfinished = new AtomicInteger();

    ConnectionThreads(int maxThreads) {
        super(1, maxThreads, IDLE_SECONDS, TimeUnit.SECONDS, new GrowFirst(), daemonThreads());
        ((GrowFirst) getQueue()).pool = this;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "clavis-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RejectedExecutionException e) {
            // Raced with the last thread being made: wait in line, unless the pool is shutting down.
            if (isShutdown() || !((GrowFirst) getQueue()).enqueue(task)) {
                unfinished.decrementAndGet();
                throw e;
            }
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }

    /** A queue that refuses a task while a new thread should take it instead. */
    private static final class GrowFirst extends LinkedBlockingQueue<Runnable> {
        ConnectionThreads pool;

        @Override
        public boolean offer(Runnable task) {
            int threads = pool.getPoolSize();
            if (threads < pool.getMaximumPoolSize() && pool.unfinished.get() > threads) return false; // none idle: grow
            return super.offer(task);
        }

        boolean enqueue(Runnable task) {
            return super.offer(task);
        }
    }
}
