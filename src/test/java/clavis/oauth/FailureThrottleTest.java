package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Failures counted per (client, address) and per address, in windows, with checks in flight counted too. */
class FailureThrottleTest {
    private static final String AS = "as";
    private static final int WINDOW_SECONDS = 60;

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    final MutableClock clock = new MutableClock();

    private FailureThrottle throttle(int clientFailures, int addressFailures) {
        return new FailureThrottle(clientFailures, addressFailures, WINDOW_SECONDS, clock);
    }

    private static void fail(FailureThrottle throttle, String clientId, String address) {
        try (FailureThrottle.Ticket ticket = throttle.check(AS, clientId, address)) {
            ticket.failed();
        }
    }

    private static void succeed(FailureThrottle throttle, String clientId, String address) {
        throttle.check(AS, clientId, address).close();
    }

    /** The Retry-After of a refused check. */
    private static int refused(FailureThrottle throttle, String clientId, String address) {
        OAuthException e = assertThrows(OAuthException.class, () -> throttle.check(AS, clientId, address), clientId + " from " + address);
        assertEquals(429, e.status());
        assertEquals(OAuthError.TEMPORARILY_UNAVAILABLE, e.error());
        return e.retryAfterSeconds();
    }

    @Test
    void failingForAClientFromOneAddressHoldsItBackThereOnly() {
        FailureThrottle throttle = throttle(3, 100);
        for (int i = 0; i < 3; i++) fail(throttle, "x", "10.0.0.1");
        assertEquals(WINDOW_SECONDS, refused(throttle, "x", "10.0.0.1"));
        succeed(throttle, "x", "10.0.0.2");
        succeed(throttle, "y", "10.0.0.1");
    }

    @Test
    void anAddressFailingForManyClientIdsIsHeldForAllOfThem() {
        FailureThrottle throttle = throttle(100, 5);
        for (int i = 0; i < 5; i++) fail(throttle, "guess-" + i, "10.0.0.1");
        refused(throttle, "someone-else", "10.0.0.1");
        succeed(throttle, "someone-else", "10.0.0.2");
    }

    @Test
    void theHoldEndsWithTheWindowAndRetryAfterSaysWhen() {
        FailureThrottle throttle = throttle(2, 100);
        fail(throttle, "x", "a");
        clock.millis += 20_000;
        fail(throttle, "x", "a");
        assertEquals(40, refused(throttle, "x", "a"), "the window started at the first failure");
        clock.millis += 39_500;
        assertEquals(1, refused(throttle, "x", "a"), "rounded up");
        clock.millis += 500;
        succeed(throttle, "x", "a");
        fail(throttle, "x", "a");
        succeed(throttle, "x", "a"); // a new window, with one failure in it
    }

    @Test
    void successesAreNotCounted() {
        FailureThrottle throttle = throttle(2, 2);
        for (int i = 0; i < 100; i++) succeed(throttle, "x", "a");
        fail(throttle, "x", "a");
        for (int i = 0; i < 100; i++) succeed(throttle, "x", "a");
    }

    @Test
    void aKeyWithoutFailuresIsNotLimitedHoweverManyChecksAreInFlight() {
        FailureThrottle throttle = throttle(2, 2);
        List<FailureThrottle.Ticket> inFlight = new ArrayList<>();
        for (int i = 0; i < 1000; i++) inFlight.add(throttle.check(AS, "x", "a"));
        inFlight.forEach(FailureThrottle.Ticket::close);
    }

    @Test
    void checksInFlightCountAgainstTheAllowanceOnceAKeyHasFailed() {
        FailureThrottle throttle = throttle(3, 100);
        fail(throttle, "x", "a");
        FailureThrottle.Ticket first = throttle.check(AS, "x", "a");
        FailureThrottle.Ticket second = throttle.check(AS, "x", "a");
        assertEquals(1, refused(throttle, "x", "a"), "one failure and two in flight reach the allowance of three: retry soon");
        succeed(throttle, "x", "b");

        first.close(); // succeeded: its slot is free again
        FailureThrottle.Ticket third = throttle.check(AS, "x", "a");
        second.failed();
        third.failed();
        assertEquals(WINDOW_SECONDS, refused(throttle, "x", "a"), "three failures: held for the window");
    }

    @Test
    void aTicketCountsOnceHoweverItIsSettled() {
        FailureThrottle throttle = throttle(2, 100);
        FailureThrottle.Ticket ticket = throttle.check(AS, "x", "a");
        ticket.failed();
        ticket.failed();
        ticket.close();
        ticket.close();
        succeed(throttle, "x", "a"); // one failure, not two
        FailureThrottle.Ticket held = throttle.check(AS, "x", "a");
        held.close();
        held.close(); // a second release frees no slot it did not take
        FailureThrottle.Ticket a = throttle.check(AS, "x", "a");
        refused(throttle, "x", "a");
        a.close();
    }

    @Test
    void concurrentChecksBeyondTheAllowanceAreRefusedWhileTheOthersAreInFlight() throws Exception {
        int allowance = 5;
        int threads = 20;
        FailureThrottle throttle = throttle(allowance, 1000);
        fail(throttle, "x", "a");
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(threads);
        CountDownLatch settle = new CountDownLatch(1);
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    FailureThrottle.Ticket ticket;
                    try {
                        ticket = throttle.check(AS, "x", "a");
                    } catch (OAuthException e) {
                        refused.incrementAndGet();
                        checked.countDown();
                        return;
                    }
                    try (ticket) {
                        passed.incrementAndGet();
                        checked.countDown();
                        settle.await(); // still in flight while the others check
                        ticket.failed();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            running.add(t);
        }
        start.countDown();
        assertTrue(checked.await(10, TimeUnit.SECONDS));
        assertEquals(allowance - 1, passed.get(), "one failure, so four checks may be in flight");
        assertEquals(threads - allowance + 1, refused.get());
        settle.countDown();
        for (Thread t : running) t.join();
        assertEquals(WINDOW_SECONDS, refused(throttle, "x", "a"), "their failures used the allowance up");
    }

    @Test
    void pastTheBoundTheOldestWindowsAreForgottenNotAll() {
        FailureThrottle throttle = new FailureThrottle(1, 1000, WINDOW_SECONDS, 4, clock);
        fail(throttle, "c1", "a1"); // windows: (c1, a1), a1
        clock.millis += 1;
        fail(throttle, "c2", "a2"); // (c2, a2), a2: four windows, the bound
        clock.millis += 1;
        fail(throttle, "c3", "a3"); // room is made by dropping the two oldest
        succeed(throttle, "c1", "a1");
        refused(throttle, "c2", "a2");
        refused(throttle, "c3", "a3");
        assertEquals(4, throttle.trackedKeys());
    }

    @Test
    void expiredWindowsAreDroppedAndMemoryStaysBounded() {
        FailureThrottle throttle = new FailureThrottle(1, 1000, WINDOW_SECONDS, 100, clock);
        for (int i = 0; i < 10_000; i++) {
            fail(throttle, "c" + i, "a" + (i % 7));
            assertTrue(throttle.trackedKeys() <= 100);
        }
        refused(throttle, "c9999", "a" + (9999 % 7));
        clock.millis += WINDOW_SECONDS * 1000L;
        fail(throttle, "late", "b");
        assertEquals(2, throttle.trackedKeys(), "every expired window went");
    }

    @Test
    void aLongClientIdIsTrackedByItsDigest() {
        FailureThrottle throttle = throttle(1, 1000);
        String longId = "x".repeat(10_000);
        fail(throttle, longId, "a");
        refused(throttle, longId, "a");
        succeed(throttle, longId + "y", "a");
        succeed(throttle, "x".repeat(FailureThrottle.MAX_CLIENT_ID_CHARS), "a");
    }
}
