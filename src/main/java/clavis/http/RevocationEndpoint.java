package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.RevocationService;

/** {@code POST {issuer}/revoke} (RFC 7009): a client revokes its own access tokens. */
public final class RevocationEndpoint implements Endpoint {
    private final ClientAuthenticator authenticator;
    private final RevocationService revocation;

    public RevocationEndpoint(ClientAuthenticator authenticator, RevocationService revocation) {
        this.authenticator = authenticator;
        this.revocation = revocation;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Map<String, String> params = AuthenticatedForm.parameters(request);
        String token = AuthenticatedForm.required(params, "token");
        Client client = AuthenticatedForm.client(request, params, as, authenticator, as.revocationEndpoint());
        revocation.revoke(as, client, token);
        return new Response(200, Map.of(), new byte[0]);
    }
}
