package clavis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, for {@code Config.builder().clock(...)}: token times, expiries,
 * proof windows and key ages all follow it, so a test checks expiry by advancing time instead of sleeping.
 * Thread-safe.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock at {@code start}. */
    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** A clock at the current time, to the second. */
    public TestClock() {
        this(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public TestClock advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
        return this;
    }

    /** Sets the clock to {@code instant}. */
    public TestClock set(Instant instant) {
        now.set(instant);
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) return this;
        throw new UnsupportedOperationException("a TestClock is in UTC");
    }
}
