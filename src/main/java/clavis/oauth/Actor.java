package clavis.oauth;

/**
 * Who made a change, and from which address, as the audit trail names them.
 *
 * @param name {@code admin:<client_id>} (the admin API), {@code client:<client_id>} (a client through RFC 7592),
 *             {@code command-line:<user>}, {@code registration} (RFC 7591), {@code configuration} (static clients),
 *             {@code embedding} (the embedding API), {@code server} (automatic key rotation), or {@code unauthenticated}
 * @param address the client address the request came from, or null for no request
 */
public record Actor(String name, String address) {
    public static final Actor CONFIGURATION = new Actor("configuration", null);
    public static final Actor EMBEDDING = new Actor("embedding", null);
    public static final Actor SERVER = new Actor("server", null);

    /** An admin API caller: the client its access token was issued to. */
    public static Actor admin(String clientId, String address) {
        return new Actor("admin:" + clientId, address);
    }

    /** A client changing its own registration through RFC 7592. */
    public static Actor client(String clientId, String address) {
        return new Actor("client:" + clientId, address);
    }

    /** A client registering itself through RFC 7591. */
    public static Actor registration(String address) {
        return new Actor("registration", address);
    }

    /** A request that has not (or not yet) authenticated. */
    public static Actor unauthenticated(String address) {
        return new Actor("unauthenticated", address);
    }

    /** An admin command of the jar, run by the operating-system user who ran it. */
    public static Actor commandLine() {
        return new Actor("command-line:" + System.getProperty("user.name", "unknown"), null);
    }
}
