package clavis.oauth;

import java.util.List;

/**
 * An issuer of JWTs that an authorization server accepts as the subject of a grant: for token exchange (RFC 8693, a
 * token from another IAM) or for the JWT bearer grant (RFC 7523 section 2.1, a workload's identity token).
 *
 * @param label the operator's name for it, and the client_id of anonymous JWT bearer requests
 * @param keys its public keys from a file, or empty when they come from {@code jwksUri}
 * @param jwksUri the JWK Set URL the keys are fetched from (an operator's URL: internal addresses allowed), or null
 * @param subjects which {@code sub} values it may speak for: exact, or a prefix ending in {@code *}; empty for any
 * @param scopes the most a token about one of its subjects may be given (its tokens carry no scope of ours)
 * @param maxLifetimeSeconds the longest {@code exp - iat} accepted
 * @param singleUse whether each JWT is accepted once ({@code jti} required and remembered until it expires)
 * @param anonymous whether a request may come without client authentication (JWT bearer only)
 */
public record TrustedIssuer(String label, String issuer, List<clavis.jwt.PublicJwk> keys, String jwksUri, List<String> subjects,
                            Scope scopes, long maxLifetimeSeconds, boolean singleUse, boolean anonymous) {
    public TrustedIssuer {
        keys = List.copyOf(keys);
        subjects = List.copyOf(subjects);
    }

    /** Whether this issuer may speak for {@code subject}. */
    public boolean trusts(String subject) {
        if (subjects.isEmpty()) return true;
        for (String s : subjects) {
            if (s.endsWith("*") ? subject.startsWith(s.substring(0, s.length() - 1)) : subject.equals(s)) return true;
        }
        return false;
    }
}
