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

    /** A required parameter, or {@code invalid_request}. */
    static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is required");
        return value;
    }
}
