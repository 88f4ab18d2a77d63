package clavis.http;

import java.util.LinkedHashMap;
import java.util.Map;

import clavis.json.Json;

/** An HTTP response: status, headers, body. The Router adds the headers every response carries. */
public record Response(int status, Map<String, String> headers, byte[] body) {
    static final String JSON = "application/json;charset=UTF-8";

    public static Response json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON);
        return new Response(status, headers, Json.write(body));
    }

    /** A response that carries a credential or token: never cached (RFC 6749 section 5.1, RFC 7591 section 3.2.1). */
    public static Response jsonNoStore(int status, Object body) {
        return json(status, body).with("Cache-Control", "no-store").with("Pragma", "no-cache");
    }

    public Response with(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new Response(status, copy, body);
    }
}
