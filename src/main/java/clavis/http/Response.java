package clavis.http;

import java.util.LinkedHashMap;
import java.util.Map;

import clavis.json.Json;

/**
 * An HTTP response: status, headers, body. The Router adds the headers every response carries.
 *
 * @param clientId the client the request was for, for the access log only (never sent); null when unknown
 */
public record Response(int status, Map<String, String> headers, byte[] body, String clientId) {
    static final String JSON = "application/json;charset=UTF-8";

    public Response(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, null);
    }

    public static Response json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON);
        return new Response(status, headers, Json.write(body));
    }

    /** A response that carries a credential or token: never cached (RFC 6749 section 5.1, RFC 7591 section 3.2.1). */
    public static Response jsonNoStore(int status, Object body) {
        return json(status, body).with("Cache-Control", "no-store").with("Pragma", "no-cache");
    }

    /** An empty response. */
    public static Response empty(int status) {
        return new Response(status, Map.of(), new byte[0]);
    }

    public Response with(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new Response(status, copy, body, clientId);
    }

    /** The same response, noted in the access log as being for {@code clientId}. */
    public Response forClient(String id) {
        return new Response(status, headers, body, id);
    }
}
