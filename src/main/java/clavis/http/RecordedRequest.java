package clavis.http;

import java.time.Instant;
import java.util.Map;

/**
 * One request an embedded server answered, as {@link RecordedRequests} keeps it for tests. Holds no secret: client
 * secrets, assertions, tokens, passwords and software statements are masked, the Authorization and DPoP headers are
 * never kept, and every value is cut to a bounded length.
 *
 * @param sequence its place among every request recorded since start, from 1
 * @param at when it was answered, by the configuration's clock
 * @param endpoint the route's name: {@code token}, {@code introspect}, {@code revoke}, {@code register},
 *                 {@code client_configuration}, {@code jwks}, {@code metadata}, {@code health}, {@code metrics},
 *                 {@code dev_token}; {@code none} when no route matched
 * @param authorizationServer the id the path named, or null
 * @param parameters the form parameters, or the JSON body's top-level members, by name; secret ones masked
 * @param clientId the client it authenticated as (for a registration, the client registered); when it did not
 *                 authenticate (refused, or answered by a fault), the client_id it claimed (HTTP Basic, the form,
 *                 the path); null when neither
 * @param authenticated whether {@code clientId} authenticated
 * @param status the HTTP status answered; 0 when the connection was closed without an answer
 * @param error the OAuth {@code error} of an error answer, or null
 * @param faulted whether an injected fault answered, delayed or dropped it ({@link Faults})
 */
public record RecordedRequest(long sequence, Instant at, String method, String path, String endpoint, String authorizationServer,
                              Map<String, String> parameters, String clientId, boolean authenticated, int status, String error,
                              boolean faulted) {
    public RecordedRequest {
        parameters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(parameters));
    }

    /** A parameter's value as recorded ({@code ****} when masked), or null. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** Whether it went to the token endpoint. */
    public boolean isTokenRequest() {
        return "token".equals(endpoint);
    }
}
