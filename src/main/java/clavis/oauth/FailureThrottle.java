package clavis.oauth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed client authentications per client_id and per source address in fixed windows. Once a key has
 * had its allowance of failures in the current window it is refused until the window ends: the penalty is
 * bounded by the window, and keys that did not fail are never slowed. Memory is bounded: past
 * {@link #MAX_KEYS} keys, expired windows are dropped, and if that is not enough, all of them.
 */
public final class FailureThrottle {
    static final int MAX_KEYS = 100_000;

    private final int clientFailures;
    private final int addressFailures;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long endsAt;
        int failures;

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }

    public FailureThrottle(int clientFailures, int addressFailures, int windowSeconds, Clock clock) {
        this.clientFailures = clientFailures;
        this.addressFailures = addressFailures;
        this.windowMillis = windowSeconds * 1000L;
        this.clock = clock;
    }

    /** Refuses with 429 and Retry-After while either key has used up its failures. */
    public void check(String asId, String clientId, String address) {
        long now = clock.millis();
        long wait = Math.max(blockedFor(clientKey(asId, clientId), clientFailures, now), blockedFor(addressKey(address), addressFailures, now));
        if (wait > 0) {
            throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, 429,
                    "too many failed authentication attempts; retry later", (int) ((wait + 999) / 1000));
        }
    }

    public void recordFailure(String asId, String clientId, String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_KEYS) evict(now);
        count(clientKey(asId, clientId), now);
        count(addressKey(address), now);
    }

    private long blockedFor(String key, int allowed, long now) {
        Window w = windows.get(key);
        if (w == null || w.endsAt <= now) return 0;
        synchronized (w) {
            return w.failures >= allowed ? w.endsAt - now : 0;
        }
    }

    private void count(String key, long now) {
        Window w = windows.compute(key, (k, old) -> old == null || old.endsAt <= now ? new Window(now + windowMillis) : old);
        synchronized (w) {
            w.failures++;
        }
    }

    private void evict(long now) {
        windows.values().removeIf(w -> w.endsAt <= now);
        if (windows.size() >= MAX_KEYS) windows.clear();
    }

    private static String clientKey(String asId, String clientId) {
        return "c\u0000" + asId + "\u0000" + clientId;
    }

    private static String addressKey(String address) {
        return "a\u0000" + address;
    }
}
