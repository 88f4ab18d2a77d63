package clavis.oauth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import clavis.jwt.Jws;
import clavis.jwt.PublicJwk;

/**
 * Software statements (RFC 7591 section 2.3, 3.1.1): a JWT signed by a trusted issuer whose claims are client
 * metadata. Its signature and lifetime are checked, and its claims take precedence over the same fields sent in
 * the clear; the statement itself is kept and echoed as {@code software_statement}.
 */
public final class SoftwareStatements {
    /** Claims about the statement itself, not metadata for the client. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "software_statement");

    private final Clock clock;

    public SoftwareStatements(Clock clock) {
        this.clock = clock;
    }

    /**
     * The registration request with the statement's claims applied; the request unchanged when it has no statement
     * and none is required. {@code invalid_software_statement} or {@code unapproved_software_statement} otherwise.
     */
    public Map<String, Object> apply(AuthorizationServer as, Map<String, Object> request) {
        Object value = request.get("software_statement");
        SoftwareStatementPolicy policy = as.softwareStatements();
        if (value == null) {
            if (policy.required()) throw invalid("this authorization server requires a software_statement");
            return request;
        }
        if (!(value instanceof String statement)) throw invalid("software_statement must be a JWT");
        Jws jws;
        try {
            jws = Jws.parse(statement, ClientMetadata.MAX_SOFTWARE_STATEMENT_LENGTH);
            jws.algorithm();
        } catch (IllegalArgumentException e) {
            throw invalid("software_statement is not a JWS signed with RS256, PS256, ES256 or EdDSA");
        }
        String issuer = jws.string("iss");
        List<PublicJwk> keys = issuer == null ? null : policy.trustedIssuers().get(issuer);
        if (keys == null) {
            throw new OAuthException(OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, "the software_statement's issuer is not trusted here");
        }
        if (!ClientAssertions.verifiedByAny(keys, jws)) throw invalid("the software_statement's signature does not verify");
        long now = clock.instant().getEpochSecond();
        Long exp = jws.seconds("exp");
        Long nbf = jws.seconds("nbf");
        Long iat = jws.seconds("iat");
        if (exp != null && exp + ClientAssertions.SKEW_SECONDS <= now) throw invalid("the software_statement has expired");
        if ((nbf != null && nbf > now + ClientAssertions.SKEW_SECONDS) || (iat != null && iat > now + ClientAssertions.SKEW_SECONDS)) {
            throw invalid("the software_statement is not valid yet");
        }
        Map<String, Object> merged = new LinkedHashMap<>(request);
        jws.claims().forEach((claim, v) -> {
            if (!JWT_CLAIMS.contains(claim)) merged.put(claim, v);
        });
        return merged;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_SOFTWARE_STATEMENT, description);
    }
}
