package clavis.oauth;

/** The error codes of RFC 6749 section 5.2, RFC 7591 section 3.2.2 and RFC 9449, each with its HTTP status. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 8707 section 2: a resource that is not one, or not one this client may have a token for. */
    INVALID_TARGET("invalid_target", 400),
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    /** RFC 6750 section 3.1: a missing or bad Bearer token (registration access token, initial access token). */
    INVALID_TOKEN("invalid_token", 401),
    /** RFC 9449 section 5.2: a missing, malformed, replayed or wrongly signed DPoP proof at the token endpoint. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    /** RFC 7591 section 3.2.2. */
    INVALID_SOFTWARE_STATEMENT("invalid_software_statement", 400),
    UNAPPROVED_SOFTWARE_STATEMENT("unapproved_software_statement", 400),
    /** RFC 6750 section 3.1: a valid access token without the scope the resource needs. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** Not an OAuth code: the admin API's answer for an id it does not know. */
    NOT_FOUND("not_found", 404),
    SERVER_ERROR("server_error", 500),
    /** RFC 6749 section 4.1.2.1; used with 429 when a client or address is throttled. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The code as it appears on the wire. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
