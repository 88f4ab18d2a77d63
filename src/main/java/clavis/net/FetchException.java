package clavis.net;

import java.io.IOException;

/**
 * A fetch that gave no body: refused by the {@link AddressPolicy} before any connection, or failed on the way. The
 * reason is never null: an exception without a message is named by its class.
 */
public final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean refused;

    FetchException(String reason, boolean refused) {
        super(reason == null || reason.isBlank() ? "unknown failure" : reason);
        this.refused = refused;
    }

    static FetchException failed(String reason) {
        return new FetchException(reason, false);
    }

    static FetchException refused(String reason) {
        return new FetchException(reason, true);
    }

    /** A failure for {@code cause}, its message or else its class name as the reason. */
    static FetchException failed(Throwable cause) {
        String message = cause.getMessage();
        FetchException e = failed(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
        e.initCause(cause);
        return e;
    }

    /** Whether the policy refused the URL or its addresses, so that no connection was made. */
    public boolean refused() {
        return refused;
    }

    /** Why the fetch gave nothing; never null. */
    public String reason() {
        return getMessage();
    }
}
