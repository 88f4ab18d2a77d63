package clavis.jwt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.json.Json;

/**
 * The keys of one authorization server: the active one that signs, and those the JWKS still publishes because
 * tokens they signed may not have expired yet. Kept in the database, so every node signs with the same key:
 * {@link #refresh()} picks up a rotation made elsewhere (another node, an admin command) and rotates when the
 * automatic rotation period has passed.
 */
public final class KeyRing {
    /** Longer than any token Clavis signs; longer input is not worth parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private final SigningKeyRepository repository;
    private final String asId;
    private final SigningAlgorithm algorithm;
    private final String tokenType;
    private final long tokenLifetimeSeconds;
    private final long rotationSeconds;
    private final Clock clock;
    private final SecureRandom random;
    private final java.util.function.Function<SigningAlgorithm, SigningKey> generator;
    private final Map<String, SigningKey> parsed = new HashMap<>();
    private volatile Snapshot current;

    /** What signs and what is published, swapped whole when the keys change. */
    private record Snapshot(JwtSigner signer, List<SigningKey> published, Map<String, Object> jwks, String fingerprint) {
    }

    private KeyRing(SigningKeyRepository repository, String asId, SigningAlgorithm algorithm, String tokenType,
                    long tokenLifetimeSeconds, long rotationSeconds, Clock clock, SecureRandom random,
                    java.util.function.Function<SigningAlgorithm, SigningKey> generator) {
        this.generator = generator;
        this.repository = repository;
        this.asId = asId;
        this.algorithm = algorithm;
        this.tokenType = tokenType;
        this.tokenLifetimeSeconds = tokenLifetimeSeconds;
        this.rotationSeconds = rotationSeconds;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads the keys of {@code asId}, creating an active key for {@code algorithm} when there is none (first
     * start, or the configured algorithm changed: the old key is retired and stays published for
     * {@code tokenLifetimeSeconds}).
     *
     * @param rotationSeconds automatic rotation period, or 0 for none
     */
    public static KeyRing load(SigningKeyRepository repository, String asId, SigningAlgorithm algorithm, String tokenType,
                               long tokenLifetimeSeconds, long rotationSeconds, Clock clock, SecureRandom random) {
        return load(repository, asId, algorithm, tokenType, tokenLifetimeSeconds, rotationSeconds, clock, random,
                alg -> SigningKey.generate(alg, random));
    }

    /** As above, with new keys made by {@code generator} (the embedding API reuses keys for in-memory stores). */
    public static KeyRing load(SigningKeyRepository repository, String asId, SigningAlgorithm algorithm, String tokenType,
                               long tokenLifetimeSeconds, long rotationSeconds, Clock clock, SecureRandom random,
                               java.util.function.Function<SigningAlgorithm, SigningKey> generator) {
        KeyRing ring = new KeyRing(repository, asId, algorithm, tokenType, tokenLifetimeSeconds, rotationSeconds, clock, random, generator);
        ring.install(repository.update(asId, keys -> ring.changes(keys, false)));
        return ring;
    }

    /**
     * Re-reads the keys: takes up a rotation made elsewhere, and rotates when the active key is older than the
     * rotation period (one node does it; the others see its key). Returns the kid of the key this call made, or null.
     */
    public String refresh() {
        // Only the keys install() can use: the active ones and those whose tokens may still live.
        List<StoredKey> keys = repository.live(asId, clock.instant().getEpochSecond() - tokenLifetimeSeconds);
        String[] made = new String[1];
        if (rotationDue(keys)) {
            keys = repository.update(asId, k -> {
                if (!rotationDue(k)) return SigningKeyRepository.Changes.NONE;
                SigningKeyRepository.Changes changes = changes(k, true);
                made[0] = changes.inserts().get(0).kid();
                return changes;
            });
        }
        install(keys);
        return made[0];
    }

    /**
     * Retires the active key and makes a new one, now, and returns its kid. The old key stays published while its
     * tokens live.
     */
    public String rotate() {
        String[] made = new String[1];
        install(repository.update(asId, keys -> {
            SigningKeyRepository.Changes changes = changes(keys, true);
            made[0] = changes.inserts().get(0).kid();
            return changes;
        }));
        return made[0]; // not signer()'s: a refresh installing another node's rotation meanwhile would name its key
    }

    /** The changes that leave exactly one active key of the configured algorithm; a new one when {@code rotate}. */
    private SigningKeyRepository.Changes changes(List<StoredKey> keys, boolean rotate) {
        long now = clock.instant().getEpochSecond();
        List<String> retire = new ArrayList<>();
        boolean keep = false;
        for (StoredKey k : keys) {
            if (!k.active()) continue;
            if (!rotate && k.algorithm() == algorithm && !keep) keep = true;
            else retire.add(k.kid());
        }
        if (keep && retire.isEmpty()) return SigningKeyRepository.Changes.NONE;
        List<StoredKey> inserts = new ArrayList<>();
        if (!keep) {
            SigningKey fresh = rotate ? SigningKey.generate(algorithm, random) : generator.apply(algorithm);
            inserts.add(new StoredKey(fresh.kid(), asId, algorithm, Json.writeString(fresh.privateJwk()), now, 0));
            // The key itself, for install(): its kid names this key material alone, so reading it back from its JSON
            // (a JSON parse and, for EC, another point multiplication on a cold start) would only make it again.
            synchronized (this) {
                parsed.put(fresh.kid(), fresh);
            }
        }
        return new SigningKeyRepository.Changes(inserts, retire, now);
    }

    private boolean rotationDue(List<StoredKey> keys) {
        if (rotationSeconds <= 0) return false;
        long now = clock.instant().getEpochSecond();
        return keys.stream().filter(StoredKey::active).allMatch(k -> k.createdAt() + rotationSeconds <= now);
    }

    private synchronized void install(List<StoredKey> stored) {
        long now = clock.instant().getEpochSecond();
        StringBuilder fingerprint = new StringBuilder();
        SigningKey active = null;
        List<SigningKey> published = new ArrayList<>();
        for (StoredKey k : stored) {
            boolean mayHaveLiveTokens = k.active() || k.retiredAt() + tokenLifetimeSeconds > now;
            if (!mayHaveLiveTokens) continue;
            fingerprint.append(k.kid()).append(k.active() ? "+" : "-").append(';');
            SigningKey key = parsed.computeIfAbsent(k.kid(), kid -> SigningKey.fromPrivateJwk(k.algorithm(), parse(k.privateJwk()), random));
            if (k.active() && active == null) {
                active = key;
                published.add(0, key);
            } else {
                published.add(key);
            }
        }
        if (active == null) throw new IllegalStateException("no active signing key for " + asId);
        if (current != null && current.fingerprint().equals(fingerprint.toString())) return;
        List<Object> jwks = new ArrayList<>();
        for (SigningKey k : published) jwks.add(k.publicJwk());
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", List.copyOf(jwks));
        current = new Snapshot(new JwtSigner(active, tokenType), List.copyOf(published), Collections.unmodifiableMap(set), fingerprint.toString());
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new IllegalStateException("a stored signing key is not JSON", e);
        }
    }

    /**
     * The claims of a compact JWS signed by one of the published keys, with the algorithm of that key; empty for
     * anything else (malformed, unknown kid, other algorithm, bad signature). Claims are not checked here.
     */
    public Optional<Map<String, Object>> verify(String token) {
        try {
            Jws jws = Jws.parse(token, MAX_TOKEN_LENGTH);
            for (SigningKey k : current.published()) {
                if (k.kid().equals(jws.header().get("kid"))) {
                    boolean ok = k.algorithm().name().equals(jws.header().get("alg")) && k.verify(jws.signingInput(), jws.signature());
                    return ok ? Optional.of(jws.claims()) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public JwtSigner signer() {
        return current.signer();
    }

    public List<SigningKey> published() {
        return current.published();
    }

    /** The JWK Set (RFC 7517 section 5) of the published keys; public members only. */
    public Map<String, Object> jwks() {
        return current.jwks();
    }
}
