package clavis.oauth;

/**
 * The {@code jti}s of client assertions (RFC 7523 section 3) and DPoP proofs (RFC 9449 section 11.1) already
 * seen, each kept until the JWT that carried it expires. Shared by every node, so a JWT replayed to another node
 * is refused too.
 */
public interface UsedJtiRepository {
    /**
     * Records {@code key} as used until {@code expiresAt}; false when it was already recorded and has not expired
     * (a replay). An entry that expired before {@code now} no longer counts, and is deleted in time.
     */
    boolean firstUse(String key, long expiresAt, long now);

    /** The key a {@code jti} is stored under: fixed length, and unique per kind of JWT and per issuer. */
    static String key(String kind, String issuer, String jti) {
        return clavis.jwt.Sha256.base64url((kind + '\u0000' + issuer + '\u0000' + jti + '\u0000').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
