package clavis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import clavis.net.AddressPolicy;
import clavis.oauth.Actor;
import clavis.oauth.AdminService;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientChange;
import clavis.oauth.ClientMetadata;
import clavis.oauth.ClientRepository;
import clavis.oauth.OAuthException;
import clavis.oauth.Registration;
import clavis.oauth.RegistrationService;
import clavis.oauth.TokenRequest;
import clavis.oauth.TokenService;

/**
 * Clients and tokens made in code for a test, without HTTP: the same services the endpoints use, with the actor
 * {@code embedding} in the audit trail. A refusal is an IllegalArgumentException carrying the OAuth error code.
 */
final class EmbeddedClients {
    /** What {@link #register} applies as an operator would (the admin API's PATCH), after the registration. */
    private static final List<String> OPERATOR_SETTINGS = List.of("access_token_lifetime", "access_token_claims", "token_exchange");

    private final RegistrationService registrations;
    private final AdminService admin;
    private final ClientRepository clients;
    private final TokenService tokens;
    private final AddressPolicy fetchPolicy;

    EmbeddedClients(RegistrationService registrations, AdminService admin, ClientRepository clients, TokenService tokens,
                    AddressPolicy fetchPolicy) {
        this.registrations = registrations;
        this.admin = admin;
        this.clients = clients;
        this.tokens = tokens;
        this.fetchPolicy = fetchPolicy;
    }

    /** Registers a client with RFC 7591 metadata plus, optionally, the operator's per-client settings; see Clavis. */
    Clavis.RegisteredClient register(AuthorizationServer as, Map<String, Object> metadata) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("client_name", "registered in code");
        fields.putAll(metadata);
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String member : OPERATOR_SETTINGS) {
            if (fields.containsKey(member)) settings.put(member, fields.remove(member));
        }
        try {
            ClientChange change = settings.isEmpty() ? null : ClientChange.parse(settings);
            Registration r = registrations.create(as, ClientMetadata.parse(fields, fetchPolicy), false, Actor.EMBEDDING);
            String clientId = r.client().clientId();
            if (change != null) {
                try {
                    admin.updateClient(Actor.EMBEDDING, as.id(), clientId, change);
                } catch (OAuthException e) {
                    admin.deleteClient(Actor.EMBEDDING, as.id(), clientId);
                    throw e;
                }
            }
            return new Clavis.RegisteredClient(clientId, r.clientSecret(), r.client().scope().toString());
        } catch (OAuthException e) {
            throw refused(e);
        }
    }

    /** A client credentials token for a registered client, exactly as the token endpoint would issue it. */
    String mint(AuthorizationServer as, String clientId, String scope) {
        Client client = clients.find(as.id(), clientId)
                .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " at " + as.id()));
        try {
            return tokens.issue(as, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, scope, List.of()), Map.of()).accessToken();
        } catch (OAuthException e) {
            throw refused(e);
        }
    }

    private static IllegalArgumentException refused(OAuthException e) {
        return new IllegalArgumentException(e.error().code() + ": " + e.description(), e);
    }
}
