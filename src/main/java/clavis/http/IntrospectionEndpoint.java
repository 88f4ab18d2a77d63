package clavis.http;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.IntrospectionService;

/** {@code POST {issuer}/introspect} (RFC 7662): for any client of this authorization server that authenticates. */
public final class IntrospectionEndpoint implements Endpoint {
    private final ClientAuthenticator authenticator;
    private final IntrospectionService introspection;

    public IntrospectionEndpoint(ClientAuthenticator authenticator, IntrospectionService introspection) {
        this.authenticator = authenticator;
        this.introspection = introspection;
    }

    /** Whether answering {@code request} stores a jti (a client assertion's), so it waits for a commit. */
    public static boolean storesJti(Request request) {
        return AuthenticatedForm.carriesAssertion(request);
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        String token = request.required("token");
        Client client = AuthenticatedForm.client(request, as, authenticator, as.urls().introspection());
        // token_type_hint is only a hint (RFC 7662 section 2.1): there is one kind of token here.
        return AuthenticatedForm.forClient(client, () -> Response.jsonNoStore(200, introspection.introspect(as, token)));
    }
}
