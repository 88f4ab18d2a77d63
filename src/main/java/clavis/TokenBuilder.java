package clavis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import clavis.json.Json;
import clavis.jwt.Base64Url;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;
import clavis.oauth.AuthorizationServer;

/**
 * A token of any shape from an embedded server ({@code clavis.token("myAS")}), for tests of how code treats good and
 * bad tokens. Java API only: nothing of it is reachable over HTTP. By default the token is what the token endpoint
 * would issue to client {@code test-client}: signed by the server's active key with its {@code typ}, with its issuer,
 * audience and lifetime, {@code iat} now by the configuration's clock. Each setter changes one thing; the bad shapes
 * ({@link #expired()}, {@link #notYetValid()}, {@link #signedByUnknownKey()}, {@link #wrongIssuer()},
 * {@link #algNone()}, {@link #tamperedSignature()}) are made on purpose. Not thread-safe; {@link #mint()} may be
 * called more than once.
 */
public final class TokenBuilder {
    /** How far in the past an expired token expired, and in the future a not-yet-valid one starts: past any usual leeway. */
    public static final Duration BAD_TIME_MARGIN = Duration.ofMinutes(5);
    /** The issuer {@link #wrongIssuer()} writes. */
    public static final String WRONG_ISSUER = "https://wrong-issuer.invalid";
    /** Keys that no server publishes, one per algorithm, made when first needed. */
    private static final Map<SigningAlgorithm, SigningKey> UNKNOWN_KEYS = new ConcurrentHashMap<>();

    private final AuthorizationServer as;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private String subject;
    private String clientId = "test-client";
    private String scope;
    private Object audience;
    private String issuer;
    private Instant issuedAt;
    private Instant notBefore;
    private Instant expiresAt;
    private Duration lifetime;
    private String type;
    private String keyId;
    private boolean unknownKey;
    private boolean algNone;
    private boolean tampered;

    /** A token minted by authorization server {@code as}; see {@code Clavis.token}. */
    TokenBuilder(AuthorizationServer as, Clock clock, SecureRandom random) {
        this.as = as;
        this.clock = clock;
        this.random = random;
    }

    /** A compact JWT, with its decoded header and claims. */
    public record MintedToken(String jwt, Map<String, Object> header, Map<String, Object> claims) {
        public MintedToken {
            header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
            claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        }

        @Override
        public String toString() {
            return jwt;
        }
    }

    /** {@code sub} (default: the client_id). */
    public TokenBuilder subject(String sub) {
        this.subject = sub;
        return this;
    }

    /** {@code client_id} (default {@code test-client}); null leaves it out. */
    public TokenBuilder clientId(String id) {
        this.clientId = id;
        return this;
    }

    /** {@code scope}, space-separated (default: none). */
    public TokenBuilder scope(String scopes) {
        this.scope = scopes;
        return this;
    }

    /** {@code aud}: one value is written as a string, several as an array (default: the server's audience). */
    public TokenBuilder audience(String... audiences) {
        if (audiences.length == 0) throw new IllegalArgumentException("give at least one audience");
        this.audience = audiences.length == 1 ? audiences[0] : List.of(audiences);
        return this;
    }

    /** Any other claim; also overrides a standard one ({@code null} removes it). */
    public TokenBuilder claim(String name, Object value) {
        extra.put(name, value);
        return this;
    }

    /** {@code iss} (default: the server's issuer). */
    public TokenBuilder issuer(String iss) {
        this.issuer = iss;
        return this;
    }

    /** {@code iat} (default: now, by the configuration's clock). */
    public TokenBuilder issuedAt(Instant iat) {
        this.issuedAt = iat;
        return this;
    }

    /** {@code nbf} (default: none). */
    public TokenBuilder notBefore(Instant nbf) {
        this.notBefore = nbf;
        return this;
    }

    /** {@code exp} (default: {@code iat} plus the lifetime). */
    public TokenBuilder expiresAt(Instant exp) {
        this.expiresAt = exp;
        return this;
    }

    /** {@code exp} as {@code iat} plus this (default: the server's token lifetime). */
    public TokenBuilder lifetime(Duration duration) {
        this.lifetime = duration;
        return this;
    }

    /** The {@code typ} header (default: the server's, {@code at+jwt} unless configured). */
    public TokenBuilder type(String typ) {
        this.type = typ;
        return this;
    }

    /** The {@code kid} header (default: the signing key's). */
    public TokenBuilder keyId(String kid) {
        this.keyId = kid;
        return this;
    }

    /** Expired {@link #BAD_TIME_MARGIN} ago, after a whole lifetime. */
    public TokenBuilder expired() {
        Instant exp = clock.instant().minus(BAD_TIME_MARGIN);
        this.expiresAt = exp;
        this.issuedAt = exp.minus(lifetime());
        return this;
    }

    /** Valid only from {@link #BAD_TIME_MARGIN} from now ({@code nbf} and {@code iat} both then). */
    public TokenBuilder notYetValid() {
        Instant start = clock.instant().plus(BAD_TIME_MARGIN);
        this.notBefore = start;
        this.issuedAt = start;
        this.expiresAt = start.plus(lifetime());
        return this;
    }

    /** Signed by a key of the same algorithm that the JWKS does not publish, with that key's own {@code kid}. */
    public TokenBuilder signedByUnknownKey() {
        this.unknownKey = true;
        return this;
    }

    /** Issued by {@link #WRONG_ISSUER}. */
    public TokenBuilder wrongIssuer() {
        return issuer(WRONG_ISSUER);
    }

    /** Unsigned: {@code alg: none}, no {@code kid}, an empty signature (RFC 7519 section 6). */
    public TokenBuilder algNone() {
        this.algNone = true;
        return this;
    }

    /** Signed, then one bit of the signature flipped: any verifier refuses it. */
    public TokenBuilder tamperedSignature() {
        this.tampered = true;
        return this;
    }

    /** Signs the token as set up. */
    public MintedToken mint() {
        SigningKey key = unknownKey ? UNKNOWN_KEYS.computeIfAbsent(as.keys().signer().key().algorithm(), a -> SigningKey.generate(a, random))
                : as.keys().signer().key();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algNone ? "none" : key.algorithm().name());
        header.put("typ", type != null ? type : as.keys().signer().type());
        if (!algNone) header.put("kid", keyId != null ? keyId : key.kid());
        byte[] claimsJson = Json.write(claims());
        // The claims as a JSON reader sees them (numbers as it reads them), which is what a test compares with.
        Map<String, Object> claims = parse(claimsJson);
        String input = Base64Url.encode(Json.write(header)) + "." + Base64Url.encode(claimsJson);
        if (algNone) return new MintedToken(input + ".", header, claims);
        byte[] signature = key.sign(input.getBytes(StandardCharsets.US_ASCII));
        if (tampered) signature[signature.length / 2] ^= 0x01;
        return new MintedToken(input + "." + Base64Url.encode(signature), header, claims);
    }

    private Map<String, Object> claims() {
        Instant iat = issuedAt != null ? issuedAt : clock.instant();
        Instant exp = expiresAt != null ? expiresAt : iat.plus(lifetime());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer != null ? issuer : as.issuer());
        String sub = subject != null ? subject : clientId;
        if (sub != null) claims.put("sub", sub);
        claims.put("aud", audience != null ? audience : as.tokenPolicy().audience());
        if (clientId != null) claims.put("client_id", clientId);
        if (scope != null) claims.put("scope", scope);
        claims.put("iat", iat.getEpochSecond());
        if (notBefore != null) claims.put("nbf", notBefore.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        claims.put("jti", Base64Url.encode(jti));
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            if (e.getValue() == null) claims.remove(e.getKey());
            else claims.put(e.getKey(), e.getValue());
        }
        return claims;
    }

    private Duration lifetime() {
        return lifetime != null ? lifetime : Duration.ofSeconds(as.tokenPolicy().lifetimeSeconds());
    }

    private static Map<String, Object> parse(byte[] json) {
        try {
            return Json.parseObject(json);
        } catch (Json.MalformedJsonException e) {
            throw new IllegalStateException("claims that do not read back as JSON", e);
        }
    }
}
