package clavis.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import clavis.jwt.SigningKeyRepository;
import clavis.jwt.StoredKey;
import clavis.oauth.Client;
import clavis.oauth.ClientRepository;
import clavis.oauth.InitialAccessToken;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.RevokedTokenRepository;
import clavis.oauth.UsedJtiRepository;

/**
 * The store in the JVM's memory ({@code store.url=memory:}, the default of servers built in code): the same contract
 * as the database's repositories ({@code StorageContractTest} holds all three stores to it), without a database
 * driver to load, so an embedded server starts and answers sooner. Everything is lost when its server stops. One
 * lock orders every change, as the database's single writer does, but for the signing keys, which have their own: a
 * change of keys may make a key (an RSA key takes a cold JVM a tenth of a second or more), and nothing else need wait
 * for that. The token path reads clients through its cache.
 */
public final class MemoryStore implements Store {
    private final Object lock = new Object();
    private volatile boolean closed;

    private final Clients clients = new Clients();
    private final InitialAccessTokens initialAccessTokens = new InitialAccessTokens();
    private final RevokedTokens revokedTokens = new RevokedTokens();
    private final UsedJtis usedJtis = new UsedJtis();
    private final SigningKeys signingKeys = new SigningKeys();

    @Override
    public ClientRepository clients() {
        return clients;
    }

    @Override
    public InitialAccessTokenRepository initialAccessTokens() {
        return initialAccessTokens;
    }

    @Override
    public RevokedTokenRepository revokedTokens() {
        return revokedTokens;
    }

    @Override
    public UsedJtiRepository usedJtis() {
        return usedJtis;
    }

    @Override
    public SigningKeyRepository signingKeys() {
        return signingKeys;
    }

    @Override
    public boolean ping() {
        return !closed;
    }

    /** Forgets everything; any later use fails as a closed database's does. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            clients.byId.clear();
            clients.registered.clear();
            initialAccessTokens.byHash.clear();
            revokedTokens.expiries.clear();
            revokedTokens.byExpiry.clear();
            usedJtis.expiries.clear();
            usedJtis.byExpiry.clear();
            usedJtis.liveCounts.clear();
        }
        synchronized (signingKeys) {
            signingKeys.byServer.clear();
        }
    }

    /** How many entries each table holds, and its expiry queue: for the tests that check what is forgotten. */
    Map<String, Integer> sizes() {
        synchronized (lock) {
            return Map.of("clients", clients.byId.size(), "revoked", revokedTokens.expiries.size(), "revokedQueue", revokedTokens.byExpiry.size(),
                    "usedJtis", usedJtis.expiries.size(), "usedJtisQueue", usedJtis.byExpiry.size(), "countMinutes", usedJtis.liveCounts.size());
        }
    }

    /** Fails {@code operation} when the store is closed. */
    private void open(String operation) {
        if (closed) throw new StoreException(operation, new IllegalStateException("the store is closed"));
    }

    /** A change the database would refuse with a constraint violation, refused the same way. */
    private static StoreException conflict(String operation, String what) {
        return new StoreException(operation, new IllegalStateException("already exists: " + what));
    }

    /** Expiring entries (revocations, used jtis) in order of expiry, so that the expired ones are removed in passing. */
    private record Expiry(long expiresAt, String key) {
    }

    private static final Comparator<Expiry> BY_EXPIRY = Comparator.comparingLong(Expiry::expiresAt);

    /** Removes the entries of {@code expiries} that expired before {@code now}, unless a later expiry replaced them. */
    private static void prune(Map<String, Long> expiries, PriorityQueue<Expiry> byExpiry, long now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt() < now) {
            Expiry e = byExpiry.poll();
            Long current = expiries.get(e.key());
            if (current != null && current == e.expiresAt()) expiries.remove(e.key());
        }
    }

    private final class Clients implements ClientRepository {
        private final Map<String, Client> byId = new HashMap<>();
        /** Dynamic clients per authorization server, as counted against its cap. */
        private final Map<String, Integer> registered = new HashMap<>();

        @Override
        public boolean insert(Client client, int cap) {
            synchronized (lock) {
                open("registering a client");
                if (byId.containsKey(client.clientId())) throw conflict("registering a client", "client_id");
                int count = registered.getOrDefault(client.asId(), 0);
                if (client.dynamic() && cap != 0 && count >= cap) return false;
                byId.put(client.clientId(), client);
                if (client.dynamic()) registered.put(client.asId(), count + 1);
                return true;
            }
        }

        @Override
        public Optional<Client> find(String asId, String clientId) {
            return find(clientId).filter(c -> c.asId().equals(asId));
        }

        @Override
        public Optional<Client> find(String clientId) {
            synchronized (lock) {
                open("finding a client");
                return Optional.ofNullable(byId.get(clientId));
            }
        }

        @Override
        public List<Client> all() {
            return select("listing clients", c -> true, Comparator.comparingLong(Client::issuedAt).thenComparing(Client::clientId), Integer.MAX_VALUE);
        }

        @Override
        public List<Client> page(String asId, String afterAsId, String afterClientId, String text, int limit) {
            String needle = text == null ? null : ClientNames.asciiLowerCase(text);
            Predicate<Client> wanted = c -> (asId == null || c.asId().equals(asId))
                    && (afterAsId == null || c.asId().compareTo(afterAsId) > 0
                        || c.asId().equals(afterAsId) && afterClientId != null && c.clientId().compareTo(afterClientId) > 0)
                    && (needle == null || ClientNames.asciiLowerCase(c.clientId()).contains(needle)
                        || ClientNames.asciiLowerCase(ClientNames.name(c)).contains(needle));
            return select("listing clients", wanted, Comparator.comparing(Client::asId).thenComparing(Client::clientId), limit);
        }

        private List<Client> select(String operation, Predicate<Client> wanted, Comparator<Client> order, int limit) {
            List<Client> found = new ArrayList<>();
            synchronized (lock) {
                open(operation);
                for (Client c : byId.values()) {
                    if (wanted.test(c)) found.add(c);
                }
            }
            found.sort(order);
            return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
        }

        /** The database keeps a client's server, issue time and kind as registered; an update changes the rest. */
        @Override
        public boolean update(Client client) {
            synchronized (lock) {
                open("updating a client");
                Client stored = byId.get(client.clientId());
                if (stored == null || !stored.asId().equals(client.asId())) return false;
                byId.put(client.clientId(), new Client(stored.clientId(), stored.asId(), client.secretHash(), client.registrationTokenHash(),
                        client.metadata(), stored.issuedAt(), client.secretExpiresAt(), stored.dynamic(), client.tokens(),
                        client.previousSecretHash(), client.previousSecretExpiresAt()));
                return true;
            }
        }

        @Override
        public boolean delete(String clientId) {
            synchronized (lock) {
                open("deleting a client");
                Client removed = byId.remove(clientId);
                if (removed == null) return false;
                if (removed.dynamic()) registered.computeIfPresent(removed.asId(), (as, n) -> n > 0 ? n - 1 : 0);
                return true;
            }
        }
    }

    /** One initial access token as stored: its hash is the key, its id unique within its server. */
    private record StoredToken(String id, String tokenHash, String asId, long createdAt, long expiresAt, int usesLeft) {
    }

    private final class InitialAccessTokens implements InitialAccessTokenRepository {
        private final Map<String, StoredToken> byHash = new HashMap<>();

        @Override
        public void insert(String id, String tokenHash, String asId, long createdAt, long expiresAt, int uses) {
            synchronized (lock) {
                open("creating an initial access token");
                if (byHash.containsKey(tokenHash) || find(asId, id) != null) throw conflict("creating an initial access token", "token");
                byHash.put(tokenHash, new StoredToken(id, tokenHash, asId, createdAt, expiresAt, uses));
            }
        }

        @Override
        public Optional<String> consume(String tokenHash, String asId, long now) {
            synchronized (lock) {
                open("using an initial access token");
                StoredToken t = byHash.get(tokenHash);
                if (t == null || !t.asId().equals(asId) || t.usesLeft() == 0 || t.expiresAt() != 0 && t.expiresAt() <= now) return Optional.empty();
                if (t.usesLeft() > 0) {
                    byHash.put(tokenHash, new StoredToken(t.id(), tokenHash, asId, t.createdAt(), t.expiresAt(), t.usesLeft() - 1));
                }
                return Optional.of(t.id());
            }
        }

        @Override
        public List<InitialAccessToken> page(String asId, String afterId, int limit) {
            String after = afterId == null ? "" : afterId;
            List<InitialAccessToken> found = new ArrayList<>();
            synchronized (lock) {
                open("listing initial access tokens");
                for (StoredToken t : byHash.values()) {
                    if (t.asId().equals(asId) && t.id().compareTo(after) > 0) {
                        found.add(new InitialAccessToken(t.id(), asId, t.createdAt(), t.expiresAt(), t.usesLeft()));
                    }
                }
            }
            found.sort(Comparator.comparing(InitialAccessToken::id));
            return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
        }

        @Override
        public boolean delete(String asId, String id) {
            synchronized (lock) {
                open("deleting an initial access token");
                StoredToken t = find(asId, id);
                return t != null && byHash.remove(t.tokenHash()) != null;
            }
        }

        /** Called holding the lock. */
        private StoredToken find(String asId, String id) {
            for (StoredToken t : byHash.values()) {
                if (t.asId().equals(asId) && t.id().equals(id)) return t;
            }
            return null;
        }
    }

    private final class RevokedTokens implements RevokedTokenRepository {
        private final Map<String, Long> expiries = new HashMap<>();
        private final PriorityQueue<Expiry> byExpiry = new PriorityQueue<>(BY_EXPIRY);

        @Override
        public void revoke(String jti, String asId, long expiresAt, long now) {
            synchronized (lock) {
                open("revoking a token");
                if (expiries.putIfAbsent(jti, expiresAt) == null) byExpiry.add(new Expiry(expiresAt, jti));
                prune(expiries, byExpiry, now);
            }
        }

        @Override
        public boolean isRevoked(String jti) {
            synchronized (lock) {
                open("checking a revocation");
                return expiries.containsKey(jti);
            }
        }
    }

    private final class UsedJtis implements UsedJtiRepository {
        private final Map<String, Long> expiries = new HashMap<>();
        private final PriorityQueue<Expiry> byExpiry = new PriorityQueue<>(BY_EXPIRY);
        /** Live jtis per minute of expiry and owner, as the database counts them. */
        private final TreeMap<Long, Map<String, Long>> liveCounts = new TreeMap<>();

        @Override
        public boolean firstUse(String key, long expiresAt, long now) {
            synchronized (lock) {
                open("recording a jti");
                prune(expiries, byExpiry, now);
                return insert(key, expiresAt, now);
            }
        }

        @Override
        public Use firstUse(String key, long expiresAt, long now, String owner, long maxLive) {
            synchronized (lock) {
                open("recording a jti");
                prune(expiries, byExpiry, now);
                long currentMinute = JdbcUsedJtiRepository.minute(now);
                liveCounts.headMap(currentMinute).clear();
                long live = 0;
                for (Map<String, Long> owners : liveCounts.values()) live += owners.getOrDefault(owner, 0L);
                if (live >= maxLive) return isLive(key, now) ? Use.REPLAYED : Use.TOO_MANY_LIVE;
                if (!insert(key, expiresAt, now)) return Use.REPLAYED;
                liveCounts.computeIfAbsent(JdbcUsedJtiRepository.minute(expiresAt), m -> new HashMap<>()).merge(owner, 1L, Long::sum);
                return Use.FIRST;
            }
        }

        /** Records {@code key}, or lets it take the place of its expired entry; false when a live entry holds it. */
        private boolean insert(String key, long expiresAt, long now) {
            if (isLive(key, now)) return false;
            expiries.put(key, expiresAt);
            byExpiry.add(new Expiry(expiresAt, key));
            return true;
        }

        private boolean isLive(String key, long now) {
            Long expiresAt = expiries.get(key);
            return expiresAt != null && expiresAt >= now;
        }
    }

    private final class SigningKeys implements SigningKeyRepository {
        private final Map<String, List<StoredKey>> byServer = new HashMap<>();

        @Override
        public synchronized List<StoredKey> update(String asId, Function<List<StoredKey>, Changes> change) {
            open("updating signing keys");
            Changes changes = change.apply(sorted(byServer.getOrDefault(asId, List.of())));
            Set<String> kids = new HashSet<>();
            for (List<StoredKey> keys : byServer.values()) {
                for (StoredKey k : keys) kids.add(k.kid());
            }
            // As the database does: the inserts first, then the retirements among this server's keys; made aside, then
            // put in place, so that a refused change leaves nothing behind.
            Map<String, List<StoredKey>> changed = new HashMap<>();
            for (StoredKey k : changes.inserts()) {
                if (!kids.add(k.kid())) throw conflict("updating signing keys", "kid"); // a kid is unique across servers
                changed.computeIfAbsent(k.asId(), a -> new ArrayList<>(byServer.getOrDefault(a, List.of()))).add(k);
            }
            List<StoredKey> keys = new ArrayList<>();
            for (StoredKey k : changed.getOrDefault(asId, byServer.getOrDefault(asId, List.of()))) {
                keys.add(changes.retire().contains(k.kid())
                        ? new StoredKey(k.kid(), k.asId(), k.algorithm(), k.privateJwk(), k.createdAt(), changes.retiredAt()) : k);
            }
            changed.put(asId, keys);
            byServer.putAll(changed);
            return sorted(keys);
        }

        @Override
        public synchronized List<StoredKey> live(String asId, long retiredAfter) {
            open("reading signing keys");
            List<StoredKey> live = new ArrayList<>();
            for (StoredKey k : byServer.getOrDefault(asId, List.of())) {
                if (k.active() || k.retiredAt() > retiredAfter) live.add(k);
            }
            return sorted(live);
        }

        @Override
        public synchronized List<StoredKey> newest(String asId, int limit) {
            open("reading signing keys");
            List<StoredKey> keys = sorted(byServer.getOrDefault(asId, List.of()));
            return keys.size() > limit ? new ArrayList<>(keys.subList(0, limit)) : keys;
        }

        /** Newest first, as the database answers. */
        private static List<StoredKey> sorted(List<StoredKey> keys) {
            List<StoredKey> copy = new ArrayList<>(keys);
            copy.sort(Comparator.comparingLong(StoredKey::createdAt).reversed().thenComparing(StoredKey::kid));
            return copy;
        }
    }
}
