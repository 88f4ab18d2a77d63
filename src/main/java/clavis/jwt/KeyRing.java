package clavis.jwt;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of one authorization server: the active one that signs, and those the JWKS still publishes because
 * tokens they signed may not have expired yet.
 */
public final class KeyRing {
    private final JwtSigner signer;
    private final List<SigningKey> published;
    private final Map<String, Object> jwks;

    private KeyRing(JwtSigner signer, List<SigningKey> published) {
        this.signer = signer;
        this.published = List.copyOf(published);
        List<Object> keys = new ArrayList<>();
        for (SigningKey k : published) keys.add(k.publicJwk());
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", List.copyOf(keys));
        this.jwks = java.util.Collections.unmodifiableMap(set);
    }

    /**
     * Loads the keys of {@code asId}, creating an active key for {@code algorithm} when there is none (first
     * start, or the configured algorithm changed: the old key is retired and stays published for
     * {@code tokenLifetimeSeconds}).
     */
    public static KeyRing load(SigningKeyRepository repository, String asId, SigningAlgorithm algorithm,
                               String tokenType, long tokenLifetimeSeconds, Clock clock, SecureRandom random) {
        long now = clock.instant().getEpochSecond();
        List<StoredKey> stored = repository.update(asId, keys -> {
            List<String> retire = new ArrayList<>();
            boolean haveActive = false;
            for (StoredKey k : keys) {
                if (!k.active()) continue;
                if (k.algorithm() == algorithm && !haveActive) haveActive = true;
                else retire.add(k.kid());
            }
            if (haveActive && retire.isEmpty()) return SigningKeyRepository.Changes.NONE;
            List<StoredKey> inserts = new ArrayList<>();
            if (!haveActive) {
                SigningKey fresh = SigningKey.generate(algorithm, random);
                inserts.add(new StoredKey(fresh.kid(), asId, algorithm, fresh.pkcs8(), now, 0));
            }
            return new SigningKeyRepository.Changes(inserts, retire, now);
        });
        SigningKey active = null;
        List<SigningKey> published = new ArrayList<>();
        for (StoredKey k : stored) {
            boolean mayHaveLiveTokens = k.active() || k.retiredAt() + tokenLifetimeSeconds > now;
            if (!mayHaveLiveTokens) continue;
            SigningKey key = SigningKey.fromPkcs8(k.algorithm(), k.pkcs8(), random);
            if (k.active()) {
                active = key;
                published.add(0, key);
            } else {
                published.add(key);
            }
        }
        if (active == null) throw new IllegalStateException("no active signing key for " + asId);
        return new KeyRing(new JwtSigner(active, tokenType), published);
    }

    public JwtSigner signer() {
        return signer;
    }

    public List<SigningKey> published() {
        return published;
    }

    /** The JWK Set (RFC 7517 section 5) of the published keys; public members only. */
    public Map<String, Object> jwks() {
        return jwks;
    }
}
