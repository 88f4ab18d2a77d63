package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.GrantType;
import clavis.oauth.JwtBearerGrant;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;
import clavis.oauth.DevClients;
import clavis.oauth.TokenBinding;
import clavis.oauth.TokenExchange;
import clavis.oauth.TokenRequest;
import clavis.oauth.TokenService;

/**
 * {@code POST {issuer}/token} (RFC 6749 section 3.2): authenticate the client, find what the token is bound to (a
 * DPoP key, a TLS certificate), then run its grant: client credentials (section 4.4), token exchange (RFC 8693) or
 * the JWT bearer grant (RFC 7523 section 2.1, which alone may come without client authentication).
 */
public final class TokenEndpoint implements Endpoint {
    private final ClientAuthenticator authenticator;
    private final TokenBinding binding;
    private final TokenService tokens;
    private final TokenExchange exchange;
    private final JwtBearerGrant jwtBearer;
    /** Dev mode's stand-in clients; null outside dev mode. */
    private final DevClients devClients;

    /** @param devClients dev mode's stand-ins for unregistered clients, or null (outside dev mode) */
    public TokenEndpoint(ClientAuthenticator authenticator, TokenBinding binding, TokenService tokens, TokenExchange exchange,
                         JwtBearerGrant jwtBearer, DevClients devClients) {
        this.authenticator = authenticator;
        this.binding = binding;
        this.tokens = tokens;
        this.exchange = exchange;
        this.jwtBearer = jwtBearer;
        this.devClients = devClients;
    }

    /**
     * Whether answering {@code request} waits: it stores a jti (a client assertion's, a DPoP proof's, a single-use JWT
     * bearer assertion's) or may fetch an issuer's keys.
     */
    public static boolean storesJti(Request request) {
        return !request.headers("dpop").isEmpty() || AuthenticatedForm.carriesAssertion(request)
                || GrantType.JWT_BEARER.wireName().equals(request.form().get("grant_type"));
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        String grantType = request.required("grant_type");
        if (grantType.equals(GrantType.JWT_BEARER.wireName()) && !AuthenticatedForm.hasCredentials(request)) {
            return Response.jsonNoStore(200, bearer(request, as, null).toJson());
        }
        Client client = AuthenticatedForm.client(request, as, authenticator, as.tokenEndpoint(), devClients);
        return AuthenticatedForm.forClient(client, () -> Response.jsonNoStore(200, grant(request, as, client, grantType).toJson()));
    }

    private clavis.oauth.TokenResponse grant(Request request, AuthorizationServer as, Client client, String grantType) {
        if (grantType.equals(GrantType.TOKEN_EXCHANGE.wireName())) {
            Map<String, Object> cnf = binding.confirmation(as, client, request.headers("dpop"), request.clientCertificates());
            Map<String, String> f = request.form();
            TokenExchange.Request r = new TokenExchange.Request(f.get("subject_token"), f.get("subject_token_type"), f.get("actor_token"),
                    f.get("actor_token_type"), request.formValues("resource"), request.formValues("audience"), f.get("scope"),
                    f.get("requested_token_type"));
            return exchange.exchange(as, client, r, cnf, request.clientCertificates());
        }
        if (grantType.equals(GrantType.JWT_BEARER.wireName())) return bearer(request, as, client);
        Map<String, Object> cnf = binding.confirmation(as, client, request.headers("dpop"), request.clientCertificates());
        TokenRequest token = new TokenRequest(grantType, request.form().get("scope"), request.formValues("resource"));
        return tokens.issue(as, client, token, cnf);
    }

    private clavis.oauth.TokenResponse bearer(Request request, AuthorizationServer as, Client client) {
        String assertion = request.required("assertion");
        if (as.delegation().bearerIssuers().isEmpty()) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "no issuer is trusted for the JWT bearer grant here");
        }
        Map<String, Object> cnf = binding.confirmation(as, client, request.headers("dpop"), request.clientCertificates());
        return jwtBearer.grant(as, client, assertion, request.form().get("scope"), request.formValues("resource"), cnf);
    }
}
