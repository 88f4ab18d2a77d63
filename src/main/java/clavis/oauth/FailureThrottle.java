package clavis.oauth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Counts failed client authentications in fixed windows under two keys: (authorization server, client_id, source
 * address), so that failing for a client from one address does not hold that client back at another, and the
 * source address alone, so that one address cannot guess at many client_ids. A window starts at a key's first
 * failure; once the key has had its allowance of failures, it is refused until the window ends.
 *
 * <p>Checks still in flight count too: a check on a key that has failures in its window reserves a slot there, and
 * is refused while failures and reserved slots together reach the allowance, so a burst of concurrent attempts
 * cannot run past it. A key without failures is never limited, so ordinary load is not slowed. Memory is bounded:
 * past {@link #MAX_KEYS} keys, expired windows are dropped first, then the oldest.
 */
public final class FailureThrottle {
    static final int MAX_KEYS = 100_000;
    /** Longer client_ids are kept as their SHA-256, so that a tracked key stays small whatever was sent. */
    static final int MAX_CLIENT_ID_CHARS = 64;
    /** Retry-After for a check refused only because other checks of its key are still in flight. */
    static final long IN_FLIGHT_RETRY_MILLIS = 1000;

    private final int clientFailures;
    private final int addressFailures;
    private final long windowMillis;
    private final int maxKeys;
    private final Clock clock;
    /**
     * Current windows by key. A renewed window is inserted anew, so insertion order is the order windows started
     * in, and the eldest entries are the first to expire. Guarded by {@code this}.
     */
    private final LinkedHashMap<Object, Window> windows = new LinkedHashMap<>();

    private record ClientKey(String asId, String clientId, String address) {
    }

    private record AddressKey(String address) {
    }

    private static final class Window {
        final long endsAt;
        int failures;
        int inFlight;

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }

    public FailureThrottle(int clientFailures, int addressFailures, int windowSeconds, Clock clock) {
        this(clientFailures, addressFailures, windowSeconds, MAX_KEYS, clock);
    }

    FailureThrottle(int clientFailures, int addressFailures, int windowSeconds, int maxKeys, Clock clock) {
        this.clientFailures = clientFailures;
        this.addressFailures = addressFailures;
        this.windowMillis = windowSeconds * 1000L;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /**
     * Lets one authentication attempt through, or refuses it with 429 and Retry-After while its client (from this
     * address) or its address has used up its allowance. Settle the ticket: {@link Ticket#failed()} when the
     * attempt fails, and close it in every case (try-with-resources), which releases what it reserved.
     */
    public Ticket check(String asId, String clientId, String address) {
        ClientKey clientKey = new ClientKey(asId, bounded(clientId), address);
        AddressKey addressKey = new AddressKey(address);
        long now = clock.millis();
        synchronized (this) {
            Window client = current(clientKey, now);
            Window byAddress = current(addressKey, now);
            long wait = Math.max(wait(client, clientFailures, now), wait(byAddress, addressFailures, now));
            if (wait > 0) {
                throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, 429,
                        "too many failed authentication attempts; retry later", (int) ((wait + 999) / 1000));
            }
            if (client != null) client.inFlight++;
            if (byAddress != null) byAddress.inFlight++;
            return new Ticket(clientKey, addressKey, client, byAddress);
        }
    }

    /** One attempt let through by {@link #check}: it either failed, or it is released when closed. */
    public final class Ticket implements AutoCloseable {
        private final ClientKey clientKey;
        private final AddressKey addressKey;
        private final Window clientSlot;
        private final Window addressSlot;
        private boolean settled;

        private Ticket(ClientKey clientKey, AddressKey addressKey, Window clientSlot, Window addressSlot) {
            this.clientKey = clientKey;
            this.addressKey = addressKey;
            this.clientSlot = clientSlot;
            this.addressSlot = addressSlot;
        }

        /**
         * The attempt failed: its reserved slots become failures (in the current windows, new ones if need be).
         * Returns whether this failure used up a key's allowance, so that throttling starts with it.
         */
        public boolean failed() {
            return settle(this, true);
        }

        /** Releases the reserved slots, unless {@link #failed()} already settled the ticket. */
        @Override
        public void close() {
            if (clientSlot == null && addressSlot == null) {
                settled = true; // nothing reserved: the common case takes no lock
                return;
            }
            settle(this, false);
        }
    }

    /** Whether a failure used up a key's allowance. */
    private synchronized boolean settle(Ticket ticket, boolean failed) {
        if (ticket.settled) return false;
        ticket.settled = true;
        if (ticket.clientSlot != null) ticket.clientSlot.inFlight--;
        if (ticket.addressSlot != null) ticket.addressSlot.inFlight--;
        if (!failed) return false;
        long now = clock.millis();
        boolean client = count(ticket.clientKey, now) == clientFailures;
        boolean address = count(ticket.addressKey, now) == addressFailures;
        return client || address;
    }

    /** The key's window if it has not ended; every tracked window has at least one failure. */
    private Window current(Object key, long now) {
        Window w = windows.get(key);
        return w == null || w.endsAt <= now ? null : w;
    }

    /** How long a key is refused: to the end of its window once at its allowance, briefly while slots are taken. */
    private static long wait(Window w, int allowed, long now) {
        if (w == null) return 0;
        if (w.failures >= allowed) return w.endsAt - now;
        if (w.failures + w.inFlight >= allowed) return Math.min(IN_FLIGHT_RETRY_MILLIS, w.endsAt - now);
        return 0;
    }

    /** Counts a failure of {@code key}; returns its failures in the window so far. */
    private int count(Object key, long now) {
        Window w = current(key, now);
        if (w == null) {
            windows.remove(key);
            evict(now);
            w = new Window(now + windowMillis);
            windows.put(key, w);
        }
        return ++w.failures;
    }

    /** Drops windows from the eldest on while they have expired or there is no room for one more. */
    private void evict(long now) {
        Iterator<Window> eldest = windows.values().iterator();
        while (eldest.hasNext()) {
            Window w = eldest.next();
            if (w.endsAt > now && windows.size() < maxKeys) return;
            eldest.remove();
        }
    }

    /** How many windows are tracked (for tests of the bound). */
    synchronized int trackedKeys() {
        return windows.size();
    }

    private static String bounded(String clientId) {
        if (clientId.length() <= MAX_CLIENT_ID_CHARS) return clientId;
        return "sha256:" + clavis.jwt.Sha256.base64url(clientId.getBytes(StandardCharsets.UTF_8));
    }
}
