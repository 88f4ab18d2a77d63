package clavis.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs CPU-bound work with at most a few tasks at once, on the threads that hand it in: a task is queued, and a
 * thread that holds a slot runs queued tasks, oldest first, until none is left, then lets go of its slot. The thread
 * that hands a task in takes a slot itself when one is free, else leaves the task to a thread that holds one and goes
 * back to reading requests. So the cores are never oversubscribed, queued work runs in order, and no thread ever
 * sleeps waiting for a slot: under load a few threads run one request after another, as a small worker pool would,
 * without a thread hand-off per request (measured: a semaphore that parked the waiting threads cost 2.5 context
 * switches and half again the CPU per token).
 */
final class ComputeSlots {
    private static final System.Logger LOG = System.getLogger("clavis.http");

    private final AtomicInteger free;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    ComputeSlots(int slots) {
        this.free = new AtomicInteger(slots);
    }

    /** Runs {@code task} now on this thread if a slot is free, else once a slot holder reaches it. */
    void submit(Runnable task) {
        queue.add(task);
        // A holder may let go of its slot between its last look at the queue and its release: whoever queues after
        // that finds the slot free again, so no task is left behind.
        while (!queue.isEmpty() && take()) {
            try {
                for (Runnable next; (next = queue.poll()) != null; ) run(next);
            } finally {
                free.incrementAndGet();
            }
        }
    }

    private boolean take() {
        for (int n = free.get(); n > 0; n = free.get()) {
            if (free.compareAndSet(n, n - 1)) return true;
        }
        return false;
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // A task answers its own request, failures included; one that throws anyway must not stop the others.
            LOG.log(System.Logger.Level.ERROR, "a request's task failed", e);
        }
    }
}
