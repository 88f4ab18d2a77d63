package clavis.oauth;

/** The grant types a client may register (RFC 7591 section 2), and whether Clavis serves each at its token endpoint. */
public enum GrantType {
    /** RFC 6749 section 4.4: the grant Clavis serves. */
    CLIENT_CREDENTIALS("client_credentials", true),
    /** Kept for clients, like the reference scenario's, that list it; not served. */
    AUTHORIZATION_CODE("authorization_code", false),
    /** Kept for clients that list it; not served. */
    REFRESH_TOKEN("refresh_token", false),
    /** RFC 8693: served where {@code as.<id>.token-exchange=true}. */
    TOKEN_EXCHANGE("urn:ietf:params:oauth:grant-type:token-exchange", true),
    /** RFC 7523 section 2.1: served where an issuer is trusted for it. */
    JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer", true);

    private final String wireName;
    private final boolean served;

    GrantType(String wireName, boolean served) {
        this.wireName = wireName;
        this.served = served;
    }

    /** The {@code grant_type} value. */
    public String wireName() {
        return wireName;
    }

    /** Whether the token endpoint serves it. */
    public boolean served() {
        return served;
    }

    /** The grant type named {@code wireName}; IllegalArgumentException for any other. */
    public static GrantType of(String wireName) {
        for (GrantType g : values()) {
            if (g.wireName.equals(wireName)) return g;
        }
        throw new IllegalArgumentException("'" + wireName + "' is not a grant type a client may register here");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
