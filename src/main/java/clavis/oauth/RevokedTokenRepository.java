package clavis.oauth;

/** The {@code jti}s of revoked access tokens, each kept until its token would have expired. */
public interface RevokedTokenRepository {
    /** Records a revocation (idempotent) and forgets revocations whose tokens expired before {@code now}. */
    void revoke(String jti, String asId, long expiresAt, long now);

    boolean isRevoked(String jti);
}
