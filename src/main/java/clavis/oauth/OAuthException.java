package clavis.oauth;

/** A request the protocol refuses: an RFC error code, a description safe to show the client, and a status. */
public final class OAuthException extends RuntimeException {
    private final OAuthError error;
    private final int status;
    private final int retryAfterSeconds;
    /** The client the refused request was for, when known: context for the access log, never sent. */
    private final String clientId;

    public OAuthException(OAuthError error, String description) {
        this(error, error.status(), description);
    }

    /** For the few cases where HTTP demands another status than the error's own (413, 415). */
    public OAuthException(OAuthError error, int status, String description) {
        this(error, status, description, 0);
    }

    /** A refusal the client may retry after {@code retryAfterSeconds} (429). */
    public OAuthException(OAuthError error, int status, String description, int retryAfterSeconds) {
        this(error, status, description, retryAfterSeconds, null);
    }

    private OAuthException(OAuthError error, int status, String description, int retryAfterSeconds, String clientId) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.clientId = clientId;
    }

    /** The same refusal, known to be for {@code id} (unless already known to be for another). */
    public OAuthException about(String id) {
        return clientId != null ? this : new OAuthException(error, status, getMessage(), retryAfterSeconds, id);
    }

    /** The client the refused request was for, or null. */
    public String clientId() {
        return clientId;
    }

    /** Seconds the client should wait before retrying, or 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public OAuthError error() {
        return error;
    }

    public int status() {
        return status;
    }

    public String description() {
        return getMessage();
    }
}
