package clavis.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import clavis.oauth.Client;
import clavis.oauth.ClientRepository;

/**
 * Keeps clients found on the token path for a short time, so that a token costs no database read. Writes
 * through this node evict at once; a change made elsewhere (another node, an admin command) is seen within the
 * lifetime. Unknown clients are never cached. Memory is bounded: past {@link #MAX_ENTRIES} the cache starts over.
 */
public final class CachingClientRepository implements ClientRepository {
    static final int MAX_ENTRIES = 100_000;

    private final ClientRepository delegate;
    private final long lifetimeNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(Client client, long loadedAt) {
    }

    public CachingClientRepository(ClientRepository delegate, long lifetimeMillis) {
        this.delegate = delegate;
        this.lifetimeNanos = lifetimeMillis * 1_000_000;
    }

    @Override
    public Optional<Client> find(String asId, String clientId) {
        long now = System.nanoTime();
        Entry e = cache.get(clientId);
        if (e != null && now - e.loadedAt() < lifetimeNanos) {
            return e.client().asId().equals(asId) ? Optional.of(e.client()) : Optional.empty();
        }
        Optional<Client> found = delegate.find(asId, clientId);
        if (found.isPresent() && lifetimeNanos > 0) {
            if (cache.size() >= MAX_ENTRIES) cache.clear();
            cache.put(clientId, new Entry(found.get(), now));
        } else {
            cache.remove(clientId);
        }
        return found;
    }

    @Override
    public boolean insert(Client client, int cap) {
        try {
            return delegate.insert(client, cap);
        } finally {
            cache.remove(client.clientId());
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
    public boolean update(Client client) {
        try {
            return delegate.update(client);
        } finally {
            cache.remove(client.clientId());
        }
    }

    @Override
    public boolean delete(String clientId) {
        try {
            return delegate.delete(clientId);
        } finally {
            cache.remove(clientId);
        }
    }
}
