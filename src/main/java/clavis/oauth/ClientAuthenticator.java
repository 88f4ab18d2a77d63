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
    private final Clock clock;

    public ClientAuthenticator(ClientRepository clients, Secrets secrets, FailureThrottle throttle, Clock clock) {
        this.clients = clients;
        this.secrets = secrets;
        this.throttle = throttle;
        this.clock = clock;
    }

    /** The authenticated client; {@code invalid_client} on any failure, 429 while throttled. */
    public Client authenticate(AuthorizationServer as, ClientCredentials credentials, String address) {
        throttle.check(as.id(), credentials.clientId(), address);
        try {
            return verify(as, credentials);
        } catch (OAuthException e) {
            throttle.recordFailure(as.id(), credentials.clientId(), address);
            throw e;
        }
    }

    private Client verify(AuthorizationServer as, ClientCredentials credentials) {
        Optional<Client> found = clients.find(as.id(), credentials.clientId());
        String hash = found.map(Client::secretHash).orElse(secrets.decoyHash());
        boolean secretMatches = Secrets.matches(credentials.secret(), hash);
        if (found.isEmpty() || !secretMatches) throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED);
        Client client = found.get();
        if (!client.authMethod().equals(credentials.method())) throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED);
        long expiresAt = client.secretExpiresAt();
        if (expiresAt != 0 && clock.instant().getEpochSecond() >= expiresAt) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED);
        }
        return client;
    }
}
