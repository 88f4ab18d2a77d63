package clavis.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * An HTTP request as the endpoints see it: routed, its body read within the route's cap and, for form routes,
 * parsed. Immutable.
 *
 * @param pathParams the route's captured path segments, such as {@code client_id}
 * @param rawQuery the undecoded query string, or null
 * @param headers header values; names are matched without regard to case
 * @param form the parameters of an {@code application/x-www-form-urlencoded} body (form routes), else empty; a
 *             parameter that may repeat has its first value here
 * @param repeated every value of the form's parameters that may repeat ({@code resource}, RFC 8707)
 * @param remoteAddress the peer's IP address, as text
 * @param clientCertificates the TLS client certificate chain, leaf first, or null when none was presented
 */
public record Request(String method, String path, Map<String, String> pathParams, String rawQuery, Map<String, List<String>> headers,
                      byte[] body, Map<String, String> form, Map<String, List<String>> repeated, String remoteAddress,
                      X509Certificate[] clientCertificates) {

    /** Every value of a header, in order; empty when absent. */
    public List<String> headers(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }

    /** The only value of a header, null when absent; a repeated header is {@code invalid_request}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw new OAuthException(OAuthError.INVALID_REQUEST, "the " + name + " header is repeated");
        return values.get(0);
    }

    /** The token of an {@code Authorization: Bearer} header (RFC 6750 section 2.1), or null when there is none. */
    public String bearerToken() {
        String value = header("authorization");
        if (value == null || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Whether the Content-Type's media type (parameters aside) is {@code mediaType}. */
    public boolean hasContentType(String mediaType) {
        String value = header("content-type");
        if (value == null) return false;
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(mediaType);
    }

    /** Every value of a form parameter that may repeat, in order; empty when absent. */
    public List<String> formValues(String name) {
        List<String> values = repeated.get(name);
        return values == null ? List.of() : values;
    }

    /** A required form parameter, or {@code invalid_request}. */
    public String required(String name) {
        String value = form.get(name);
        if (value == null) throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is required");
        return value;
    }
}
