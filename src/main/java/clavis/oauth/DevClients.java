package clavis.oauth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dev mode's clients ({@code server.dev-mode=true} only; never made otherwise): at the token endpoint, a client_id
 * that is not registered gets a token for itself with any secret, sent by {@code client_secret_basic} or
 * {@code client_secret_post}, for the scope it asks: within the server's scope policy, or any scope at a server made
 * on first use. A registered client still needs its own secret; other methods authenticate as usual.
 */
public final class DevClients {
    /** What a static client's id may be: printable ASCII, at most 255 characters. */
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final ClientRepository clients;
    private final Clock clock;

    public DevClients(ClientRepository clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * A client that stands in for an unregistered client_id with a secret, or empty when normal authentication
     * applies (the client is registered, or authenticates otherwise).
     *
     * @param requestedScope the {@code scope} parameter, or null: the server's default scopes, or with {@code resources}
     *                       all its scopes (the token is then narrowed to those APIs' scopes)
     * @param resources the {@code resource} parameters (RFC 8707), possibly empty
     */
    public Optional<Client> standIn(AuthorizationServer as, ClientCredentials credentials, String requestedScope, List<String> resources) {
        AuthMethod method;
        if (credentials instanceof ClientCredentials.Basic) method = AuthMethod.CLIENT_SECRET_BASIC;
        else if (credentials instanceof ClientCredentials.Post) method = AuthMethod.CLIENT_SECRET_POST;
        else return Optional.empty();
        String clientId = credentials.clientId();
        if (!CLIENT_ID.matcher(clientId).matches() || clients.find(as.id(), clientId).isPresent()) return Optional.empty();
        Scope scope = resources.isEmpty() ? as.tokenPolicy().defaultScopes() : as.tokenPolicy().allowedScopes();
        if (requestedScope != null) {
            scope = Scope.parse(requestedScope, OAuthError.INVALID_SCOPE);
            if (!as.tokenPolicy().grantable(scope).containsAll(scope)) {
                throw new OAuthException(OAuthError.INVALID_SCOPE, "the requested scope is not allowed by this authorization server");
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("token_endpoint_auth_method", method.wireName());
        fields.put("grant_types", List.of(GrantType.CLIENT_CREDENTIALS.wireName()));
        ClientMetadata metadata = ClientMetadata.parse(fields).withScope(scope);
        return Optional.of(new Client(clientId, as.id(), "", "", metadata, clock.instant().getEpochSecond(), 0, false, ClientTokens.NONE));
    }
}
