package clavis.oauth;

/** How a client authenticated at the token endpoint (RFC 6749 section 2.3.1): exactly one method per request. */
public sealed interface ClientCredentials {
    String clientId();

    String secret();

    /** The {@code token_endpoint_auth_method} this is. */
    String method();

    /** HTTP Basic with the form-url-encoded client id and secret. */
    record Basic(String clientId, String secret) implements ClientCredentials {
        public String method() {
            return ClientMetadata.CLIENT_SECRET_BASIC;
        }
    }

    /** {@code client_id} and {@code client_secret} in the form body. */
    record Post(String clientId, String secret) implements ClientCredentials {
        public String method() {
            return ClientMetadata.CLIENT_SECRET_POST;
        }
    }
}
