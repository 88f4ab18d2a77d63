package clavis.oauth;

import java.util.List;

/**
 * The parameters of a token request (RFC 6749 section 4.4.2, RFC 8707 section 2) once the client has authenticated.
 *
 * @param scope the {@code scope} parameter, or null for all of the client's scopes
 * @param resources every {@code resource} parameter, in order; empty for a token for the whole authorization server
 */
public record TokenRequest(String grantType, String scope, List<String> resources) {
    public TokenRequest {
        resources = List.copyOf(resources);
    }
}
