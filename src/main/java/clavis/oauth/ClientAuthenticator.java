package clavis.oauth;

import java.time.Clock;
import java.util.Optional;

/**
 * Authenticates a client before any grant logic runs. Every failure (unknown client, wrong secret, another
 * method than the registered one, expired secret) is the same {@code invalid_client}, and an unknown client
 * still costs one hash comparison, so the answer tells an attacker nothing. Repeated failures are throttled
 * per client_id and per source address.
 */
public final class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";

    private final ClientRepository clients;
    private final Secrets secrets;
    private final FailureThrottle throttle;
    private final Events events;
    private final Clock clock;

    public ClientAuthenticator(ClientRepository clients, Secrets secrets, FailureThrottle throttle, Events events, Clock clock) {
        this.clients = clients;
        this.secrets = secrets;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
    }

    /** The authenticated client; {@code invalid_client} on any failure, 429 while throttled. */
    public Client authenticate(AuthorizationServer as, ClientCredentials credentials, String address) {
        try {
            throttle.check(as.id(), credentials.clientId(), address);
        } catch (OAuthException e) {
            events.throttled(as.id());
            throw e;
        }
        Optional<Client> found = clients.find(as.id(), credentials.clientId());
        String failure = failure(found, credentials);
        if (failure == null) return found.get();
        events.authenticationFailed(as.id(), failure);
        throttle.recordFailure(as.id(), credentials.clientId(), address);
        throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED);
    }

    /** Why authentication fails, or null when it succeeds. The hash is compared even for an unknown client. */
    private String failure(Optional<Client> found, ClientCredentials credentials) {
        String hash = found.map(Client::secretHash).orElse(secrets.decoyHash());
        boolean secretMatches = Secrets.matches(credentials.secret(), hash);
        if (found.isEmpty()) return "unknown_client";
        if (!secretMatches) return "wrong_secret";
        Client client = found.get();
        if (!client.authMethod().equals(credentials.method())) return "wrong_method";
        long expiresAt = client.secretExpiresAt();
        if (expiresAt != 0 && clock.instant().getEpochSecond() >= expiresAt) return "expired_secret";
        return null;
    }
}
