package clavis.oauth;

import java.util.List;

import clavis.jwt.KeyRing;

/**
 * One authorization server as the protocol sees it: its URLs, its policies, its token settings and keys.
 *
 * @param allowedScopes the scopes its clients may be granted
 * @param defaultScopes what a registration without {@code scope} is granted
 * @param audience the {@code aud} claim of its tokens
 * @param secretLifetimeSeconds how long a client secret is valid, or 0 for ever
 * @param authMethods the token_endpoint_auth_methods turned on, also for introspection and revocation
 * @param dpop whether DPoP proofs (RFC 9449) bind tokens
 * @param mutualTls whether clients can present TLS certificates (RFC 8705), so tokens can be bound to them
 * @param softwareStatements which software statements registrations may (or must) carry
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
        List<String> authMethods,
        boolean dpop,
        boolean mutualTls,
        SoftwareStatementPolicy softwareStatements,
        KeyRing keys) {

    public AuthorizationServer {
        authMethods = List.copyOf(authMethods);
    }

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
