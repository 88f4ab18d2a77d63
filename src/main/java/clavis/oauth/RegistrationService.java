package clavis.oauth;

import java.time.Clock;
import java.util.UUID;

/**
 * Dynamic client registration (RFC 7591 section 3): applies the authorization server's scope policy, creates
 * the credentials and stores the client before anything is answered.
 */
public final class RegistrationService {
    private final ClientRepository clients;
    private final Secrets secrets;
    private final Clock clock;

    public RegistrationService(ClientRepository clients, Secrets secrets, Clock clock) {
        this.clients = clients;
        this.secrets = secrets;
        this.clock = clock;
    }

    public Registration register(AuthorizationServer as, ClientMetadata requested) {
        Scope granted = grantedScope(as, requested.scope());
        ClientMetadata metadata = requested.withScope(granted);
        String secret = secrets.generate();
        Client client = new Client(UUID.randomUUID().toString(), as.id(), Secrets.hash(secret), metadata,
                clock.instant().getEpochSecond(), 0);
        clients.insert(client);
        return new Registration(client, secret);
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
