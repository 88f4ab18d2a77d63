package clavis.oauth;

/**
 * An API behind an authorization server: a resource server that accepts only tokens meant for it (RFC 8707). A token
 * request names it by its URI in {@code resource}; the token's {@code aud} is then that URI and its scope is narrowed
 * to the API's scopes.
 *
 * @param name the name operators give it in the configuration
 * @param uri an absolute URI without a fragment (RFC 8707 section 2), compared exactly
 * @param scopes the scopes of the authorization server that belong to this API
 */
public record Api(String name, String uri, Scope scopes) {
}
