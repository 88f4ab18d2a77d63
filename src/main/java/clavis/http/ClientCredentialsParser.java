package clavis.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import clavis.jwt.Jws;
import clavis.oauth.ClientAssertions;
import clavis.oauth.ClientCredentials;
import clavis.oauth.ClientCredentials.Assertion;
import clavis.oauth.ClientCredentials.Certificate;
import clavis.oauth.ClientCredentials.Basic;
import clavis.oauth.ClientCredentials.Post;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** Finds the one client authentication method of a request (RFC 6749 section 2.3.1, RFC 7521 section 4.2, RFC 8705). */
final class ClientCredentialsParser {
    private ClientCredentialsParser() {
    }

    /**
     * Reads the one authentication method of a request from its Authorization header (may be null), its form
     * parameters and its TLS client certificate chain (may be null). Two methods at once is {@code invalid_request};
     * none is {@code invalid_client}.
     *
     * @param endpointUrl the URL of the endpoint called, an audience a client assertion may name
     */
    static ClientCredentials parse(String authorization, Map<String, String> params, X509Certificate[] chain, String endpointUrl) {
        String formId = params.get("client_id");
        String formSecret = params.get("client_secret");
        if (params.containsKey("client_assertion") || params.containsKey("client_assertion_type")) {
            if (authorization != null || formSecret != null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "more than one client authentication method in one request");
            }
            return assertion(params, formId, endpointUrl);
        }
        if (authorization != null) {
            if (formSecret != null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "more than one client authentication method in one request");
            }
            Basic basic = parseBasic(authorization);
            if (formId != null && !formId.equals(basic.clientId())) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "client_id does not match the Authorization header");
            }
            return basic;
        }
        if (formId != null && formSecret != null) return new Post(formId, formSecret);
        if (formSecret != null) throw new OAuthException(OAuthError.INVALID_REQUEST, "client_secret without client_id");
        if (formId != null && chain != null && chain.length > 0) return new Certificate(formId, chain);
        throw new OAuthException(OAuthError.INVALID_CLIENT, "client authentication required");
    }

    /** RFC 7521 section 4.2: the assertion names the client; a client_id sent along must name the same one. */
    private static Assertion assertion(Map<String, String> params, String formId, String endpointUrl) {
        if (!ClientAssertions.JWT_BEARER.equals(params.get("client_assertion_type"))) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "client_assertion_type must be " + ClientAssertions.JWT_BEARER);
        }
        String assertion = params.get("client_assertion");
        if (assertion == null) throw new OAuthException(OAuthError.INVALID_REQUEST, "client_assertion is required");
        Jws jws;
        try {
            jws = Jws.parse(assertion, ClientAssertions.MAX_LENGTH);
        } catch (IllegalArgumentException e) {
            jws = null; // refused by the authenticator, which counts the failure
        }
        String subject = jws == null ? null : jws.string("sub");
        if (formId != null && subject != null && !formId.equals(subject)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "client_id does not match the client assertion's sub");
        }
        return new Assertion(subject != null ? subject : formId != null ? formId : "", jws, endpointUrl);
    }

    private static Basic parseBasic(String authorization) {
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "unsupported authentication scheme; use Basic");
        }
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(authorization.substring(space + 1).trim());
            decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "malformed Basic authorization header");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) throw new OAuthException(OAuthError.INVALID_REQUEST, "malformed Basic authorization header");
        // RFC 6749 section 2.3.1: both parts are form-url-encoded before Basic encoding.
        String id = Form.decodeComponent(decoded.substring(0, colon));
        String secret = Form.decodeComponent(decoded.substring(colon + 1));
        if (id == null || secret == null || id.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "malformed Basic authorization header");
        }
        return new Basic(id, secret);
    }
}
