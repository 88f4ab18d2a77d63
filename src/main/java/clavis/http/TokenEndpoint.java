package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.DevClients;
import clavis.oauth.TokenBinding;
import clavis.oauth.TokenService;

/**
 * {@code POST {issuer}/token} (RFC 6749 section 3.2): authenticate the client, find what the token is bound to
 * (a DPoP key, a TLS certificate), then run its grant.
 */
public final class TokenEndpoint implements Endpoint {
    private final ClientAuthenticator authenticator;
    private final TokenBinding binding;
    private final TokenService tokens;
    /** Dev mode's stand-in clients; null outside dev mode. */
    private final DevClients devClients;

    public TokenEndpoint(ClientAuthenticator authenticator, TokenBinding binding, TokenService tokens) {
        this(authenticator, binding, tokens, null);
    }

    /** @param devClients dev mode's stand-ins for unregistered clients, or null (outside dev mode) */
    public TokenEndpoint(ClientAuthenticator authenticator, TokenBinding binding, TokenService tokens, DevClients devClients) {
        this.authenticator = authenticator;
        this.binding = binding;
        this.tokens = tokens;
        this.devClients = devClients;
    }

    /** Whether answering {@code request} stores a jti (a client assertion's, a DPoP proof's), so it waits for a commit. */
    public static boolean storesJti(Request request) {
        return !request.headers("dpop").isEmpty() || AuthenticatedForm.carriesAssertion(request);
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        String grantType = request.required("grant_type");
        Client client = AuthenticatedForm.client(request, as, authenticator, as.tokenEndpoint(), devClients);
        return AuthenticatedForm.forClient(client, () -> {
            Map<String, Object> cnf = binding.confirmation(as, client, request.headers("dpop"), request.clientCertificates());
            return Response.jsonNoStore(200, tokens.issue(as, client, grantType, request.form().get("scope"), cnf).toJson());
        });
    }
}
