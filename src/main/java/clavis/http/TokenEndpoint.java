package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.ClientCredentials;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;
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
        if (request.rawQuery() != null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "parameters must be sent in the request body, not the URL");
        }
        if (!request.hasContentType("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> params = Form.parse(request.body());
        String grantType = params.get("grant_type");
        if (grantType == null) throw new OAuthException(OAuthError.INVALID_REQUEST, "grant_type is required");
        ClientCredentials credentials = ClientCredentialsParser.parse(request.header("authorization"), params);
        Client client = authenticator.authenticate(as, credentials, request.remoteAddress());
        return Response.jsonNoStore(200, tokens.issue(as, client, grantType, params.get("scope")).toJson());
    }
}
