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
     * The client credentials grant for an authenticated client.
     *
     * @param confirmation the {@code cnf} members that bind the token (RFC 7800), empty for a Bearer token
     */
    public TokenResponse issue(AuthorizationServer as, Client client, TokenRequest request, Map<String, Object> confirmation) {
        if (!CLIENT_CREDENTIALS.equals(request.grantType())) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "only client_credentials is supported");
        }
        checkGrant(as, client, GrantType.CLIENT_CREDENTIALS);
        TokenTarget target = TokenTarget.of(as, client.scope(), "the client's registered scope", request.scope(), request.resources());
        return mint(as, client.clientId(), client.tokens(), client.clientId(), target, Map.of(), Long.MAX_VALUE, confirmation);
    }

    /**
     * Signs an access token (RFC 9068 section 2.2) for client {@code clientId}, about {@code subject}: the client's own
     * lifetime and claims apply, then {@code extra} claims (RFC 8693's {@code act}, say), then the binding.
     *
     * @param notAfter epoch seconds the token may not outlive (a subject token's expiry), or Long.MAX_VALUE
     */
    TokenResponse mint(AuthorizationServer as, String clientId, ClientTokens settings, String subject, TokenTarget target,
                       Map<String, Object> extra, long notAfter, Map<String, Object> confirmation) {
        long now = clock.instant().getEpochSecond();
        long lifetime = Math.min(settings.lifetime(as.tokenPolicy().lifetimeSeconds()), notAfter - now);
        if (lifetime <= 0) throw new OAuthException(OAuthError.INVALID_GRANT, "the subject token has expired");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", as.issuer());
        claims.put("sub", subject);
        claims.put("aud", target.audience());
        claims.put("client_id", clientId);
        claims.put("scope", target.scope().toString());
        claims.put("iat", now);
        claims.put("exp", now + lifetime);
        claims.put("jti", newJti());
        claims.putAll(settings.claims());
        claims.putAll(extra);
        if (!confirmation.isEmpty()) claims.put("cnf", confirmation);
        String token = as.keys().signer().sign(Json.write(claims));
        events.tokenIssued(as.id());
        return new TokenResponse(token, tokenType(confirmation), lifetime, target.scope());
    }

    /** Whether the server serves {@code grant} to {@code client}: on for the server, and, under strict grant types, registered. */
    static void checkGrant(AuthorizationServer as, Client client, GrantType grant) {
        if (client != null && as.tokenPolicy().strictGrantTypes() && !client.metadata().grantTypes().contains(grant)) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "this client did not register the " + grant.wireName() + " grant");
        }
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
