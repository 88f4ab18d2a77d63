package clavis.oauth;

import clavis.jwt.KeyRing;

/**
 * One authorization server as the protocol sees it: its URLs, its policies, its token settings and keys.
 *
 * @param allowedScopes the scopes its clients may be granted
 * @param defaultScopes what a registration without {@code scope} is granted
 * @param audience the {@code aud} claim of its tokens
 * @param secretLifetimeSeconds how long a client secret is valid, or 0 for ever
 */
public record AuthorizationServer(
        String id,
        String issuer,
        String tokenEndpoint,
        String registrationEndpoint,
        String jwksUri,
        String introspectionEndpoint,
        String revocationEndpoint,
        Scope allowedScopes,
        Scope defaultScopes,
        long tokenLifetimeSeconds,
        String audience,
        RegistrationPolicy registrationPolicy,
        long secretLifetimeSeconds,
        KeyRing keys) {

    /** Who may register clients (RFC 7591 section 3). */
    public enum RegistrationPolicy {
        /** Anyone, as in the Airlock IAM reference scenario. */
        OPEN,
        /** Only a request with a valid initial access token as its Bearer token. */
        INITIAL_ACCESS_TOKEN
    }

    /** The RFC 7592 client configuration endpoint of one client. */
    public String registrationClientUri(String clientId) {
        return registrationEndpoint + "/" + clientId;
    }

    /** When a secret issued at {@code issuedAt} expires: epoch seconds, or 0 for never. */
    public long secretExpiry(long issuedAt) {
        return secretExpiry(issuedAt, secretLifetimeSeconds);
    }

    /** The one rule for secret expiry, also for the admin commands, which have no running server. */
    public static long secretExpiry(long issuedAt, long lifetimeSeconds) {
        return lifetimeSeconds == 0 ? 0 : issuedAt + lifetimeSeconds;
    }
}
