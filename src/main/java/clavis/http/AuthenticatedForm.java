package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.ClientCredentials;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * The shared first steps of the token, introspection and revocation endpoints: a form body (never the query
 * string, RFC 6749 section 2.3.1), then client authentication.
 */
final class AuthenticatedForm {
    private AuthenticatedForm() {
    }

    /** The form parameters of a request that must carry them in an {@code application/x-www-form-urlencoded} body. */
    static Map<String, String> parameters(Request request) {
        if (request.rawQuery() != null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "parameters must be sent in the request body, not the URL");
        }
        if (!request.hasContentType("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "Content-Type must be application/x-www-form-urlencoded");
        }
        return Form.parse(request.body());
    }

    /**
     * The client that authenticated the request, by exactly one method.
     *
     * @param endpointUrl the URL of the endpoint called, which a client assertion may name as its audience
     */
    static Client client(Request request, Map<String, String> params, AuthorizationServer as, ClientAuthenticator authenticator,
                         String endpointUrl) {
        ClientCredentials credentials = ClientCredentialsParser.parse(request.header("authorization"), params,
                request.clientCertificates(), endpointUrl);
        request.clientId().set(credentials.clientId());
        return authenticator.authenticate(as, credentials, request.remoteAddress());
    }

    /**
     * Whether the form carries a {@code client_assertion}, whose jti authentication stores (a commit to wait for).
     * A look at the raw bytes, before the form is parsed.
     */
    static boolean carriesAssertion(Request request) {
        byte[] body = request.body();
        byte[] name = ASSERTION_PARAMETER;
        outer:
        for (int i = 0; i + name.length <= body.length; i++) {
            if (i > 0 && body[i - 1] != '&') continue;
            for (int j = 0; j < name.length; j++) if (body[i + j] != name[j]) continue outer;
            return true;
        }
        return false;
    }

    private static final byte[] ASSERTION_PARAMETER = "client_assertion=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A required parameter, or {@code invalid_request}. */
    static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is required");
        return value;
    }
}
