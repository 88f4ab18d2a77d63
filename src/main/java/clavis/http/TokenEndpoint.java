package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.TokenService;

/** {@code POST {issuer}/token} (RFC 6749 section 3.2): authenticate the client, then run its grant. */
public final class TokenEndpoint implements Endpoint {
    private final ClientAuthenticator authenticator;
    private final TokenService tokens;

    public TokenEndpoint(ClientAuthenticator authenticator, TokenService tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Map<String, String> params = AuthenticatedForm.parameters(request);
        String grantType = AuthenticatedForm.required(params, "grant_type");
        Client client = AuthenticatedForm.client(request, params, as, authenticator);
        return Response.jsonNoStore(200, tokens.issue(as, client, grantType, params.get("scope")).toJson());
    }
}
