package clavis.oauth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator changes in a client ({@code clients update}, the admin API's PATCH); a member that is null (or
 * empty) is left as it is.
 *
 * @param scope the client's new scope
 * @param lifetimeSeconds its tokens' lifetime, 0 for the server's
 * @param setClaims claims to set in its tokens; a null value removes the claim (JSON merge patch, RFC 7396)
 * @param removeClaims claims to remove
 * @param authMethod its new {@code token_endpoint_auth_method}
 * @param tokenExchange whether it may exchange tokens (RFC 8693) where its server allows it
 */
public record ClientChange(Scope scope, Long lifetimeSeconds, Map<String, Object> setClaims, List<String> removeClaims, AuthMethod authMethod,
                           Boolean tokenExchange) {
    private static final Set<String> MEMBERS = Set.of("scope", "access_token_lifetime", "access_token_claims", "token_endpoint_auth_method",
            "token_exchange");

    public ClientChange {
        setClaims = Collections.unmodifiableMap(new LinkedHashMap<>(setClaims));
        removeClaims = List.copyOf(removeClaims);
    }

    /**
     * The change a JSON body asks for: {@code scope} (a string), {@code access_token_lifetime} (whole seconds),
     * {@code access_token_claims} (an object merged into the claims, a null member removing one) and
     * {@code token_endpoint_auth_method} and {@code token_exchange} (true or false). Any other member, or a member of the wrong type, is {@code invalid_request}.
     */
    public static ClientChange parse(Map<String, Object> body) {
        for (String member : body.keySet()) {
            if (!MEMBERS.contains(member)) throw invalid("'" + member + "' cannot be changed; the members are " + MEMBERS);
        }
        Scope scope = null;
        if (body.get("scope") != null) {
            if (!(body.get("scope") instanceof String s)) throw invalid("scope must be a string");
            scope = Scope.parse(s, OAuthError.INVALID_SCOPE);
        }
        AuthMethod method = null;
        if (body.get("token_endpoint_auth_method") != null) {
            try {
                method = AuthMethod.of(String.valueOf(body.get("token_endpoint_auth_method")));
            } catch (IllegalArgumentException e) {
                throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, e.getMessage());
            }
        }
        return new ClientChange(scope, lifetime(body.get("access_token_lifetime")), claims(body.get("access_token_claims")), List.of(), method,
                tokenExchange(body.get("token_exchange")));
    }

    /** A token_exchange member: null when absent, else true or false, or {@code invalid_request}. */
    static Boolean tokenExchange(Object value) {
        if (value == null) return null;
        if (value instanceof Boolean b) return b;
        throw invalid("token_exchange must be true or false");
    }

    /** A lifetime member: null when absent, else whole seconds, or {@code invalid_request}. */
    static Long lifetime(Object value) {
        if (value == null) return null;
        if (value instanceof Integer || value instanceof Long) return ((Number) value).longValue();
        throw invalid("access_token_lifetime must be a whole number of seconds");
    }

    /** A claims member: empty when absent, else an object, or {@code invalid_request}. */
    static Map<String, Object> claims(Object value) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map)) throw invalid("access_token_claims must be an object");
        Map<String, Object> claims = new LinkedHashMap<>();
        map.forEach((k, v) -> claims.put((String) k, v));
        return claims;
    }

    /** {@code base} with the changes applied: the checks of {@link ClientTokens} become {@code invalid_request}. */
    static ClientTokens tokens(ClientTokens base, Long lifetimeSeconds, Map<String, Object> setClaims, List<String> removeClaims) {
        try {
            ClientTokens tokens = lifetimeSeconds == null ? base : base.withLifetime(lifetimeSeconds);
            List<String> removed = new ArrayList<>(removeClaims);
            setClaims.forEach((name, value) -> {
                if (value == null) removed.add(name);
            });
            for (String name : removed) tokens = tokens.withClaim(name, null);
            for (Map.Entry<String, Object> claim : setClaims.entrySet()) {
                if (claim.getValue() != null) tokens = tokens.withClaim(claim.getKey(), claim.getValue());
            }
            return tokens;
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
