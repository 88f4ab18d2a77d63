package clavis.oauth;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import clavis.jwt.Jws;
import clavis.jwt.JwtTimes;
import clavis.jwt.PublicJwk;

/**
 * Software statements (RFC 7591 sections 2.3 and 3.1.1, RFC 7592 section 2.2): a JWT signed by a trusted issuer
 * whose claims are client metadata. It is checked when first sent; its claims then replace the same fields of the
 * request, and it is kept with the client (echoed as {@code software_statement}) and applied again on every update,
 * so what it fixed stays fixed until a new statement for the same {@code software_id} replaces it.
 */
public final class SoftwareStatements {
    private static final String FIELD = "software_statement";
    /** Claims about the statement itself, not metadata for the client. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", FIELD);

    private final Clock clock;

    public SoftwareStatements(Clock clock) {
        this.clock = clock;
    }

    /**
     * A registration request (RFC 7591 section 3.1) with its statement's claims applied; the request unchanged when it
     * has no statement and none is required. {@code invalid_software_statement} or {@code unapproved_software_statement}
     * otherwise.
     */
    public Map<String, Object> apply(AuthorizationServer as, Map<String, Object> request) {
        Object sent = request.get(FIELD);
        if (sent == null) {
            if (as.clientPolicy().softwareStatements().required()) throw invalid("this authorization server requires a software_statement");
            return request;
        }
        String statement = compact(sent);
        return merge(request, verified(as, statement).claims(), statement);
    }

    /**
     * An RFC 7592 update request of a client registered with {@code registered}, with a statement's claims applied:
     * the client's own statement when the request has none or the same one again, else the one sent, which is checked
     * as a new one and, when the client already has a statement, must be for the same {@code software_id}.
     */
    public Map<String, Object> applyToUpdate(AuthorizationServer as, ClientMetadata registered, Map<String, Object> request) {
        String kept = registered.softwareStatement();
        if (kept == null) return apply(as, request);
        Object sent = request.get(FIELD);
        // Checked when registered, so not refused for having expired since: RFC 7592 section 2.2 has clients send back
        // all their metadata, this statement included.
        Map<String, Object> keptClaims = Jws.parse(kept, ClientMetadata.MAX_SOFTWARE_STATEMENT_LENGTH).claims();
        if (sent == null || sent.equals(kept)) return merge(request, keptClaims, kept);
        String statement = compact(sent);
        Jws replacement = verified(as, statement);
        if (!(keptClaims.get("software_id") instanceof String softwareId)) {
            throw invalid("this client's software_statement has no software_id: send that same statement again, or none");
        }
        if (!softwareId.equals(replacement.claims().get("software_id"))) {
            throw invalid("the software_statement is not for this client's software_id");
        }
        return merge(request, replacement.claims(), statement);
    }

    /** The statement parsed, from a trusted issuer, signed by one of its keys, and within its time window. */
    private Jws verified(AuthorizationServer as, String statement) {
        Jws jws;
        try {
            jws = Jws.parse(statement, ClientMetadata.MAX_SOFTWARE_STATEMENT_LENGTH);
            jws.algorithm();
        } catch (IllegalArgumentException e) {
            throw invalid("software_statement is not a JWS signed with RS256, PS256, ES256 or EdDSA");
        }
        SoftwareStatementPolicy policy = as.clientPolicy().softwareStatements();
        String issuer = jws.string("iss");
        List<PublicJwk> keys = issuer == null ? null : policy.trustedIssuers().get(issuer);
        if (keys == null) {
            throw new OAuthException(OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, "the software_statement's issuer is not trusted here");
        }
        if (!ClientAssertions.verifiedByAny(keys, jws)) throw invalid("the software_statement's signature does not verify");
        checkTimes(jws, policy.maxAgeSeconds(), clock.instant().getEpochSecond());
        return jws;
    }

    /**
     * exp bounds a statement; without exp, its iat plus the policy's maximum age does (unless that is 0).
     * Comparisons are written so that no claim value can overflow them.
     */
    private static void checkTimes(Jws jws, long maxAgeSeconds, long now) {
        JwtTimes times;
        try {
            times = JwtTimes.of(jws);
        } catch (IllegalArgumentException e) {
            throw invalid("the software_statement's " + e.getMessage());
        }
        if (times.exp() != null) {
            if (times.expired(now)) throw invalid("the software_statement has expired");
        } else if (maxAgeSeconds > 0) {
            if (times.iat() == null) throw invalid("the software_statement has neither exp nor iat, so its age cannot be bounded");
            if (times.olderThan(maxAgeSeconds, now)) {
                throw invalid("the software_statement has no exp and was issued more than " + maxAgeSeconds + " seconds ago");
            }
        }
        if (times.notYetValid(now)) throw invalid("the software_statement is not valid yet");
    }

    /**
     * The request with every metadata claim of the statement in place of the same field. A localizable field the
     * statement sets (in any language) also drops all the request's values of it, so no {@code client_name#en} from
     * the request is shown instead of the statement's name; without a statement scope, the request's is dropped too,
     * so the server's default scopes apply.
     */
    private static Map<String, Object> merge(Map<String, Object> request, Map<String, Object> claims, String statement) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        Set<String> fixed = new HashSet<>();
        claims.forEach((claim, value) -> {
            if (JWT_CLAIMS.contains(claim)) return;
            metadata.put(claim, value);
            String base = ClientMetadata.baseName(claim);
            if (ClientMetadata.LOCALIZABLE.contains(base)) fixed.add(base);
        });
        Map<String, Object> merged = new LinkedHashMap<>(request);
        merged.keySet().removeIf(name -> fixed.contains(ClientMetadata.baseName(name)));
        if (!metadata.containsKey("scope")) merged.remove("scope");
        merged.putAll(metadata);
        merged.put(FIELD, statement);
        return merged;
    }

    private static String compact(Object sent) {
        if (!(sent instanceof String statement)) throw invalid("software_statement must be a JWT");
        return statement;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_SOFTWARE_STATEMENT, description);
    }
}
