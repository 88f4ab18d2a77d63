package clavis.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import clavis.oauth.Client;
import clavis.oauth.ClientRepository;

/**
 * Keeps clients found on the token path ({@link #find(String, String)}) for a short time, so that a token costs no
 * database read; every other read goes to the database. Writes through this node evict at once; a change made
 * elsewhere (another node, an admin command) is seen within the lifetime. Unknown clients are never cached.
 *
 * <p>Memory is bounded whatever clients register: an entry keeps only what the token path reads
 * ({@link Client#forTokenPath}); entries older than the lifetime are removed at the next change to the cache; and
 * past {@link #MAX_ENTRIES} entries or {@link #MAX_BYTES} (an estimate, see {@link #estimatedBytes}) the oldest
 * entries make room, never all of them.
 */
public final class CachingClientRepository implements ClientRepository {
    static final int MAX_ENTRIES = 100_000;
    /** The most the cached clients may take, estimated: a quarter of a 64 MiB heap. */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    /** What an entry costs besides its metadata: the records, the map entry, client id, server id and two hashes. */
    static final int ENTRY_OVERHEAD_BYTES = 700;
    /** What a key of a registered jwks costs once parsed (the token path parses them once), besides its JSON. */
    static final int PARSED_KEY_BYTES = 1_500;

    private final ClientRepository delegate;
    private final long lifetimeNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final LongSupplier nanoTime;
    /** In insertion order, which is also expiry order (one lifetime for all): the eldest leave first. Guarded by this. */
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>();
    private long bytes;

    private record Entry(Client client, long loadedAt, long bytes) {
    }

    public CachingClientRepository(ClientRepository delegate, long lifetimeMillis) {
        this(delegate, lifetimeMillis, MAX_ENTRIES, MAX_BYTES, System::nanoTime);
    }

    /** With other bounds and a clock the test moves. */
    CachingClientRepository(ClientRepository delegate, long lifetimeMillis, int maxEntries, long maxBytes, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.lifetimeNanos = lifetimeMillis * 1_000_000;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Client> find(String asId, String clientId) {
        long now = nanoTime.getAsLong();
        Entry e;
        synchronized (this) {
            e = cache.get(clientId);
        }
        if (e != null && now - e.loadedAt() < lifetimeNanos) {
            return e.client().asId().equals(asId) ? Optional.of(e.client()) : Optional.empty();
        }
        Optional<Client> found = delegate.find(asId, clientId).map(Client::forTokenPath);
        synchronized (this) {
            remove(clientId);
            if (found.isPresent() && lifetimeNanos > 0) {
                Client client = found.get();
                Entry added = new Entry(client, now, estimatedBytes(client));
                cache.put(clientId, added);
                bytes += added.bytes();
            }
            evict(now);
        }
        return found;
    }

    /** Removes expired entries, then the eldest while over a bound; the newest entry always stays. Holds this. */
    private void evict(long now) {
        Iterator<Entry> eldestFirst = cache.values().iterator();
        while (eldestFirst.hasNext()) {
            Entry e = eldestFirst.next();
            boolean expired = now - e.loadedAt() >= lifetimeNanos;
            boolean over = (cache.size() > maxEntries || bytes > maxBytes) && eldestFirst.hasNext();
            if (!expired && !over) return;
            eldestFirst.remove();
            bytes -= e.bytes();
        }
    }

    /** Holds this. */
    private void remove(String clientId) {
        Entry old = cache.remove(clientId);
        if (old != null) bytes -= old.bytes();
    }

    private synchronized void forget(String clientId) {
        remove(clientId);
    }

    /**
     * What an entry takes on the heap, estimated from its metadata: two bytes a character and an object's overhead
     * for every string, list and member, plus {@link #ENTRY_OVERHEAD_BYTES} and {@link #PARSED_KEY_BYTES} for each
     * registered key. Measured on JDK 17: a client with a name and a redirect URI takes about 930 bytes (estimated
     * 950), one with an RSA 2048 key about 3,600 (estimated 4,200).
     */
    static long estimatedBytes(Client client) {
        long keys = client.metadata().jwks() == null ? 0 : client.metadata().jwks().keys().size();
        return ENTRY_OVERHEAD_BYTES + estimatedBytes(client.metadata().toJson()) + PARSED_KEY_BYTES * keys;
    }

    private static long estimatedBytes(Object value) {
        if (value instanceof String s) return 48 + 2L * s.length();
        if (value instanceof Map<?, ?> map) {
            long sum = 64 + 16L * map.size();
            for (Map.Entry<?, ?> m : map.entrySet()) sum += 40 + estimatedBytes(m.getKey()) + estimatedBytes(m.getValue());
            return sum;
        }
        if (value instanceof List<?> list) {
            long sum = 48;
            for (Object item : list) sum += 8 + estimatedBytes(item);
            return sum;
        }
        return 16; // a boxed number or boolean
    }

    /** How many clients are cached; for tests. */
    synchronized int size() {
        return cache.size();
    }

    /** The estimated bytes of the cached clients; for tests. */
    synchronized long bytes() {
        return bytes;
    }

    @Override
    public boolean insert(Client client, int cap) {
        try {
            return delegate.insert(client, cap);
        } finally {
            forget(client.clientId());
        }
    }

    @Override
    public Optional<Client> find(String clientId) {
        return delegate.find(clientId);
    }

    @Override
    public List<Client> all() {
        return delegate.all();
    }

    @Override
    public List<Client> page(String asId, String afterAsId, String afterClientId, String text, int limit) {
        return delegate.page(asId, afterAsId, afterClientId, text, limit);
    }

    @Override
    public boolean update(Client client) {
        try {
            return delegate.update(client);
        } finally {
            forget(client.clientId());
        }
    }

    @Override
    public boolean delete(String clientId) {
        try {
            return delegate.delete(clientId);
        } finally {
            forget(clientId);
        }
    }
}
