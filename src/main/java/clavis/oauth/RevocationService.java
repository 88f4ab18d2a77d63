package clavis.oauth;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Token revocation (RFC 7009). Tokens stay self-contained JWTs: only a revoked token's {@code jti} is stored,
 * with its expiry, and forgotten once the token would have expired anyway.
 */
public final class RevocationService {
    private final AccessTokenValidator validator;
    private final RevokedTokenRepository revoked;
    private final Clock clock;

    public RevocationService(AccessTokenValidator validator, RevokedTokenRepository revoked, Clock clock) {
        this.validator = validator;
        this.revoked = revoked;
        this.clock = clock;
    }

    /**
     * Revokes {@code token} when it is a live token issued to {@code caller}; an invalid, expired or unknown token
     * needs nothing (RFC 7009 section 2.2). Another client's token is refused (section 2.1).
     */
    public void revoke(AuthorizationServer as, Client caller, String token) {
        Optional<Map<String, Object>> claims = validator.verified(as, token);
        if (claims.isEmpty()) return;
        Map<String, Object> c = claims.get();
        if (!caller.clientId().equals(c.get("client_id"))) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "the token was not issued to this client");
        }
        revoked.revoke((String) c.get("jti"), as.id(), ((Number) c.get("exp")).longValue(), clock.instant().getEpochSecond());
    }
}
