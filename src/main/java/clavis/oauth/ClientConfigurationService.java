package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.net.AddressPolicy;

/**
 * RFC 7592 client configuration: a client reads, replaces or deletes its own registration with its
 * registration access token. A missing or wrong token and an unknown client are the same 401
 * {@code invalid_token}; an unknown client still costs one hash comparison.
 */
public final class ClientConfigurationService {
    /** Fields RFC 7592 section 2.2 forbids in an update request. */
    private static final List<String> SERVER_FIELDS =
            List.of("registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at");

    private final ClientRepository clients;
    private final Secrets secrets;
    private final SoftwareStatements statements;
    private final AddressPolicy fetchPolicy;
    private final Audit audit;

    /** @param fetchPolicy what a registered {@code jwks_uri} may point at */
    public ClientConfigurationService(ClientRepository clients, Secrets secrets, SoftwareStatements statements, AddressPolicy fetchPolicy,
                                      Audit audit) {
        this.audit = audit;
        this.fetchPolicy = fetchPolicy;
        this.clients = clients;
        this.secrets = secrets;
        this.statements = statements;
    }

    public Map<String, Object> read(AuthorizationServer as, String clientId, String bearer) {
        return ClientInformation.configuration(as, authorize(as, clientId, bearer), null);
    }

    /**
     * Replaces the metadata (RFC 7592 section 2.2) and rotates the registration access token. An operator's scope (the
     * admin scope) stays only if the client already holds it: an update never grants it.
     *
     * @param address the client address the request came from, for the audit trail
     */
    public Map<String, Object> update(AuthorizationServer as, String clientId, String bearer, Map<String, Object> request, String address) {
        Client client = authorize(as, clientId, bearer);
        if (!clientId.equals(request.get("client_id"))) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "client_id must be present and match the client being updated");
        }
        for (String field : SERVER_FIELDS) {
            if (request.containsKey(field)) throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, field + " must not be sent");
        }
        Object secret = request.get("client_secret");
        if (secret != null && (!(secret instanceof String s) || !Secrets.matches(s, client.secretHash()))) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "client_secret does not match the current secret");
        }
        Map<String, Object> metadataOnly = new LinkedHashMap<>(request);
        metadataOnly.remove("client_id");
        metadataOnly.remove("client_secret");
        ClientMetadata metadata = RegistrationService.allowed(as,
                ClientMetadata.parse(statements.applyToUpdate(as, client.metadata(), metadataOnly), fetchPolicy), client.scope());
        if (metadata.usesSecret() != client.metadata().usesSecret()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA,
                    "token_endpoint_auth_method cannot change between a secret and keys or certificates; register a new client");
        }
        String registrationToken = secrets.generate();
        Client updated = client.withMetadata(metadata, Secrets.hash(registrationToken));
        if (!clients.update(updated)) throw invalidToken();
        audit.record(Audit.Event.CLIENT_UPDATED, as.id(), Actor.client(clientId, address), "client_id", clientId, "scope", metadata.scope().toString());
        return ClientInformation.configuration(as, updated, registrationToken);
    }

    /** Deletes the client: its secret, registration access token and issued tokens stop working. */
    public void delete(AuthorizationServer as, String clientId, String bearer, String address) {
        authorize(as, clientId, bearer);
        if (!clients.delete(clientId)) throw invalidToken();
        audit.record(Audit.Event.CLIENT_DELETED, as.id(), Actor.client(clientId, address), "client_id", clientId);
    }

    private Client authorize(AuthorizationServer as, String clientId, String bearer) {
        if (bearer == null) throw invalidToken();
        // The registration as stored, not the token path's cached copy: it is shown and replaced whole.
        Optional<Client> found = clients.find(clientId).filter(c -> c.asId().equals(as.id()));
        String hash = found.map(Client::registrationTokenHash).orElse(secrets.decoyHash());
        boolean matches = Secrets.matches(bearer, hash);
        if (found.isEmpty() || !matches) throw invalidToken();
        return found.get();
    }

    private static OAuthException invalidToken() {
        return new OAuthException(OAuthError.INVALID_TOKEN, "the registration access token is missing, invalid, or not for this client");
    }
}
