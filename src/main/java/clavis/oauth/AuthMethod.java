package clavis.oauth;

/** The client authentication methods Clavis knows (RFC 7591 section 2, RFC 7523 section 2.2, RFC 8705 section 2). */
public enum AuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    PRIVATE_KEY_JWT("private_key_jwt"),
    TLS_CLIENT_AUTH("tls_client_auth"),
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

    private final String wireName;

    AuthMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code token_endpoint_auth_method} value. */
    public String wireName() {
        return wireName;
    }

    /** Whether the method authenticates with a client secret; clients of the others get none. */
    public boolean usesSecret() {
        return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
    }

    /** The method named {@code wireName}; IllegalArgumentException for any other name. */
    public static AuthMethod of(String wireName) {
        for (AuthMethod m : values()) {
            if (m.wireName.equals(wireName)) return m;
        }
        throw new IllegalArgumentException("'" + wireName + "' is not a client authentication method Clavis knows");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
