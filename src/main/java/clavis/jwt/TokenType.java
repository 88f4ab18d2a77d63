package clavis.jwt;

/** The {@code typ} header of access tokens: {@code at+jwt} (RFC 9068 section 2.1), or {@code JWT} for older resource servers. */
public enum TokenType {
    AT_JWT("at+jwt"),
    JWT("JWT");

    private final String header;

    TokenType(String header) {
        this.header = header;
    }

    /** The value of the {@code typ} header. */
    public String header() {
        return header;
    }

    /** The type whose header is {@code header}; IllegalArgumentException for any other. */
    public static TokenType of(String header) {
        for (TokenType t : values()) {
            if (t.header.equals(header)) return t;
        }
        throw new IllegalArgumentException("must be at+jwt or JWT, got '" + header + "'");
    }

    @Override
    public String toString() {
        return header;
    }
}
