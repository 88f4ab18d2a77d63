package clavis.http;

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
        String token = request.required("token");
        Client client = AuthenticatedForm.client(request, as, authenticator, as.urls().revocation());
        return AuthenticatedForm.forClient(client, () -> {
            revocation.revoke(as, client, token);
            return Response.empty(200);
        });
    }
}
