package clavis.oauth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import clavis.json.Json;
import clavis.jwt.Base64Url;

/**
 * The token endpoint's use case: the client credentials grant (RFC 6749 section 4.4) for an authenticated
 * client, answered with a JWT access token (RFC 9068). Writes nothing: the token is self-contained.
 */
public final class TokenService {
    public static final String CLIENT_CREDENTIALS = "client_credentials";

    private final Clock clock;
    private final SecureRandom random;
    private final Events events;

    public TokenService(Clock clock, SecureRandom random, Events events) {
        this.clock = clock;
        this.random = random;
        this.events = events;
    }

    /**
     * @param grantType the {@code grant_type} parameter, present
     * @param requestedScope the {@code scope} parameter, or null for all of the client's scopes
     * @param confirmation the {@code cnf} members that bind the token (RFC 7800), empty for a Bearer token
     */
    public TokenResponse issue(AuthorizationServer as, Client client, String grantType, String requestedScope, Map<String, Object> confirmation) {
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "only client_credentials is supported");
        }
        Scope scope = client.scope();
        if (requestedScope != null) {
            Scope requested = Scope.parse(requestedScope, OAuthError.INVALID_SCOPE);
            if (!scope.containsAll(requested)) {
                throw new OAuthException(OAuthError.INVALID_SCOPE, "the requested scope exceeds the scope registered for the client");
            }
            scope = requested;
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", as.issuer());
        claims.put("sub", client.clientId());
        claims.put("aud", as.tokenPolicy().audience());
        claims.put("client_id", client.clientId());
        claims.put("scope", scope.toString());
        claims.put("iat", now);
        claims.put("exp", now + as.tokenPolicy().lifetimeSeconds());
        claims.put("jti", newJti());
        if (!confirmation.isEmpty()) claims.put("cnf", confirmation);
        String token = as.keys().signer().sign(Json.write(claims));
        events.tokenIssued(as.id());
        return new TokenResponse(token, tokenType(confirmation), as.tokenPolicy().lifetimeSeconds(), scope);
    }

    /** {@code DPoP} for a token bound to a DPoP key (RFC 9449 section 5), otherwise {@code Bearer}. */
    static String tokenType(Map<?, ?> confirmation) {
        return confirmation != null && confirmation.containsKey("jkt") ? "DPoP" : "Bearer";
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }
}
