package clavis.oauth;

import java.time.Clock;
import java.util.UUID;

/**
 * Dynamic client registration (RFC 7591 section 3): checks the initial access token where the authorization
 * server requires one, applies its scope policy, creates the credentials and stores the client before anything
 * is answered.
 */
public final class RegistrationService {
    private final ClientRepository clients;
    private final InitialAccessTokenRepository initialAccessTokens;
    private final Secrets secrets;
    private final Clock clock;

    public RegistrationService(ClientRepository clients, InitialAccessTokenRepository initialAccessTokens, Secrets secrets, Clock clock) {
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** @param initialAccessToken the request's Bearer token, or null */
    public Registration register(AuthorizationServer as, ClientMetadata requested, String initialAccessToken) {
        long now = clock.instant().getEpochSecond();
        if (as.registrationPolicy() == AuthorizationServer.RegistrationPolicy.INITIAL_ACCESS_TOKEN
                && (initialAccessToken == null || !initialAccessTokens.consume(Secrets.hash(initialAccessToken), as.id(), now))) {
            throw new OAuthException(OAuthError.INVALID_TOKEN, "a valid initial access token is required to register");
        }
        ClientMetadata metadata = requested.withScope(grantedScope(as, requested.scope()));
        String secret = secrets.generate();
        String registrationToken = secrets.generate();
        Client client = new Client(UUID.randomUUID().toString(), as.id(), Secrets.hash(secret), Secrets.hash(registrationToken),
                metadata, now, as.secretExpiry(now));
        clients.insert(client);
        return new Registration(as, client, secret, registrationToken);
    }

    /**
     * The requested scopes this server allows, the others dropped (as Airlock IAM does: "strong client-scope"
     * becomes "client-scope"); the default scopes when none were requested; refused when none may be granted.
     */
    static Scope grantedScope(AuthorizationServer as, Scope requested) {
        if (requested == null) return as.defaultScopes();
        Scope granted = requested.intersect(as.allowedScopes());
        if (granted.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "none of the requested scopes may be granted");
        }
        return granted;
    }
}
