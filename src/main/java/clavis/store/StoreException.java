package clavis.store;

/** A storage failure; carries the operation, never the SQL parameters (they may hold secrets). */
public final class StoreException extends RuntimeException {
    public StoreException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
    }
}
