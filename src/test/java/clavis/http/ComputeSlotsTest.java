package clavis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** CPU-bound work: never more than the slots at once, every task run, queued ones in order, nobody waiting. */
class ComputeSlotsTest {
    @Test
    void aFreeSlotRunsTheTaskOnTheCallersThread() {
        ComputeSlots slots = new ComputeSlots(2);
        Thread[] ran = new Thread[1];
        slots.submit(() -> ran[0] = Thread.currentThread());
        assertEquals(Thread.currentThread(), ran[0]);
    }

    @Test
    void withEverySlotHeldATaskWaitsInLineAndTheCallerGoesOn() throws Exception {
        ComputeSlots slots = new ComputeSlots(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread holder = new Thread(() -> slots.submit(() -> {
            holding.countDown();
            await(release);
            order.add("first");
        }));
        holder.start();
        holding.await();
        slots.submit(() -> order.add("second")); // returns at once: the slot is held
        slots.submit(() -> order.add("third"));
        assertEquals(List.of(), order);
        release.countDown();
        holder.join(5000);
        assertEquals(List.of("first", "second", "third"), order, "the holder ran what was queued, oldest first");
    }

    @Test
    void manyThreadsNeverRunMoreThanTheSlotsAtOnceAndEveryTaskRuns() throws Exception {
        ComputeSlots slots = new ComputeSlots(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(32);
        for (int i = 0; i < 20_000; i++) {
            callers.execute(() -> slots.submit(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                for (int spin = 0; spin < 200; spin++) Thread.onSpinWait();
                running.decrementAndGet();
                done.incrementAndGet();
            }));
        }
        callers.shutdown();
        assertTrue(callers.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(20_000, done.get(), "no task is left behind when a holder lets go as another is queued");
        assertTrue(most.get() <= 3, "at most the slots at once: " + most.get());
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthers() {
        ComputeSlots slots = new ComputeSlots(1);
        AtomicInteger ran = new AtomicInteger();
        slots.submit(() -> {
            throw new IllegalStateException("a bug in one request");
        });
        slots.submit(ran::incrementAndGet);
        assertEquals(1, ran.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
