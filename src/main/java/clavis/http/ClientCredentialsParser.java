package clavis.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import clavis.oauth.ClientCredentials;
import clavis.oauth.ClientCredentials.Basic;
import clavis.oauth.ClientCredentials.Post;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** Finds the one client authentication method of a request (RFC 6749 section 2.3.1). */
final class ClientCredentialsParser {
    private ClientCredentialsParser() {
    }

    /**
     * Reads the one authentication method of a request from its Authorization header (may be null) and its form
     * parameters. Two methods at once is {@code invalid_request}; none is {@code invalid_client}.
     */
    static ClientCredentials parse(String authorization, Map<String, String> params) {
        String formId = params.get("client_id");
        String formSecret = params.get("client_secret");
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
        throw new OAuthException(OAuthError.INVALID_CLIENT, "client authentication required");
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
