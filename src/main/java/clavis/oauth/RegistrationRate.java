package clavis.oauth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast one source address may register clients through RFC 7591: a token bucket per address, full at first
 * (a burst), refilled at a steady rate. Past it the request is refused with 429 and a Retry-After, before anything
 * else is done for it. Memory is bounded: past {@link #MAX_ADDRESSES}, the longest unused address is forgotten
 * (it starts again with a full bucket), never all at once.
 */
public final class RegistrationRate {
    static final int MAX_ADDRESSES = 100_000;

    /** One registration, in the bucket's unit: a minute of milliseconds, so that a rate per minute refills exactly. */
    private static final long ONE = 60_000;

    private final long full;
    private final long perMinute;
    private final Clock clock;
    /** In order of last use, oldest first; the oldest goes when there are too many. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    private static final class Bucket {
        long tokens;
        long at;
        /** Whether its last request was refused: the next refusal continues a throttling, it does not start one. */
        boolean refusing;

        Bucket(long tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * @param burst registrations an address may make at once
     * @param perMinute the steady rate afterwards
     */
    public RegistrationRate(int burst, int perMinute, Clock clock) {
        this.full = burst * ONE;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes one registration from {@code address}'s allowance, or refuses with 429 {@code temporarily_unavailable}. */
    public void take(String address) {
        take(address, () -> {
        });
    }

    /** As {@link #take(String)}; runs {@code throttlingStarted} (outside the lock) when this refusal is the first of a run. */
    public void take(String address, Runnable throttlingStarted) {
        long now = clock.millis();
        long waitMillis;
        boolean started;
        synchronized (buckets) {
            Bucket b = buckets.get(address);
            if (b == null) {
                b = new Bucket(full, now);
                buckets.put(address, b);
            }
            long elapsed = Math.max(0, now - b.at);
            b.tokens = elapsed >= full / perMinute ? full : Math.min(full, b.tokens + elapsed * perMinute);
            b.at = now;
            if (b.tokens >= ONE) {
                b.tokens -= ONE;
                b.refusing = false;
                return;
            }
            waitMillis = (ONE - b.tokens + perMinute - 1) / perMinute;
            started = !b.refusing;
            b.refusing = true;
        }
        if (started) throttlingStarted.run();
        throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, 429,
                "too many registrations from this address; retry later", (int) Math.max(1, (waitMillis + 999) / 1000));
    }
}
