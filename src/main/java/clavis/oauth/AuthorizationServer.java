package clavis.oauth;

import clavis.jwt.KeyRing;

/**
 * One authorization server as the protocol sees it: its URLs, its scope policy, its token settings and keys.
 *
 * @param allowedScopes the scopes its clients may be granted
 * @param defaultScopes what a registration without {@code scope} is granted
 * @param audience the {@code aud} claim of its tokens
 */
public record AuthorizationServer(
        String id,
        String issuer,
        String tokenEndpoint,
        String registrationEndpoint,
        String jwksUri,
        Scope allowedScopes,
        Scope defaultScopes,
        long tokenLifetimeSeconds,
        String audience,
        KeyRing keys) {
}
