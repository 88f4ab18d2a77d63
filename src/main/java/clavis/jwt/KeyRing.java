package clavis.jwt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.json.Json;

/**
 * The keys of one authorization server: the active one that signs, and those the JWKS still publishes because
 * tokens they signed may not have expired yet.
 */
public final class KeyRing {
    /** Longer than any token Clavis signs; longer input is not worth parsing. */
    static final int MAX_TOKEN_LENGTH = 8192;

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
                inserts.add(new StoredKey(fresh.kid(), asId, algorithm, Json.writeString(fresh.privateJwk()), now, 0));
            }
            return new SigningKeyRepository.Changes(inserts, retire, now);
        });
        SigningKey active = null;
        List<SigningKey> published = new ArrayList<>();
        for (StoredKey k : stored) {
            boolean mayHaveLiveTokens = k.active() || k.retiredAt() + tokenLifetimeSeconds > now;
            if (!mayHaveLiveTokens) continue;
            SigningKey key = SigningKey.fromPrivateJwk(k.algorithm(), parse(k.privateJwk()), random);
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

    /**
     * The claims of a compact JWS signed by one of the published keys, with the algorithm of that key; empty for
     * anything else (malformed, unknown kid, other algorithm, bad signature). Claims are not checked here.
     */
    public Optional<Map<String, Object>> verify(String jws) {
        if (jws == null || jws.length() > MAX_TOKEN_LENGTH) return Optional.empty();
        int first = jws.indexOf('.');
        int second = jws.indexOf('.', first + 1);
        if (first < 0 || second < 0 || jws.indexOf('.', second + 1) >= 0) return Optional.empty();
        try {
            Map<String, Object> header = Json.parseObject(Base64Url.decode(jws.substring(0, first)));
            SigningKey key = null;
            for (SigningKey k : published) if (k.kid().equals(header.get("kid"))) key = k;
            if (key == null || !key.algorithm().name().equals(header.get("alg"))) return Optional.empty();
            byte[] input = jws.substring(0, second).getBytes(StandardCharsets.US_ASCII);
            if (!key.verify(input, Base64Url.decode(jws.substring(second + 1)))) return Optional.empty();
            return Optional.of(Json.parseObject(Base64Url.decode(jws.substring(first + 1, second))));
        } catch (IllegalArgumentException | Json.MalformedJsonException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new IllegalStateException("a stored signing key is not JSON", e);
        }
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
