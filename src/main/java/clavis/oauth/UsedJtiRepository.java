package clavis.oauth;

/**
 * The {@code jti}s of client assertions (RFC 7523 section 3) and DPoP proofs (RFC 9449 section 11.1) already
 * seen, each kept until the JWT that carried it expires. Shared by every node, so a JWT replayed to another node
 * is refused too.
 */
public interface UsedJtiRepository {
    /** What recording a jti found. */
    enum Use {
        /** Not seen while it lived: now recorded. */
        FIRST,
        /** Recorded before and not yet expired: a replay. */
        REPLAYED,
        /** New, but its owner already holds as many live jtis as it may: nothing recorded. */
        TOO_MANY_LIVE
    }

    /**
     * Records {@code key} as used until {@code expiresAt}; false when it was already recorded and has not expired
     * (a replay). An entry that expired before {@code now} no longer counts, and is deleted in time.
     */
    boolean firstUse(String key, long expiresAt, long now);

    /**
     * As {@link #firstUse(String, long, long)}, and counted against {@code owner}'s live jtis, which every node
     * sees: {@link Use#TOO_MANY_LIVE} when {@code owner} already holds {@code maxLive}. A jti counts until the end of
     * the minute it expires in (so at most a minute longer than it is refused as a replay).
     */
    Use firstUse(String key, long expiresAt, long now, String owner, long maxLive);

    /** The key a {@code jti} is stored under: fixed length, and unique per kind of JWT and per issuer. */
    static String key(String kind, String issuer, String jti) {
        return clavis.jwt.Sha256.base64url((kind + '\u0000' + issuer + '\u0000' + jti + '\u0000').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The owner key of a client's jtis: fixed length, unique per authorization server and client. */
    static String owner(String asId, String clientId) {
        return clavis.jwt.Sha256.base64url(("client" + '\u0000' + asId + '\u0000' + clientId + '\u0000').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
