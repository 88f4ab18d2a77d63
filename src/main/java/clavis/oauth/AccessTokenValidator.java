package clavis.oauth;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Checks Clavis's own access tokens: signature, issuer and expiry, and for "active" also revocation and client. */
public final class AccessTokenValidator {
    private final ClientRepository clients;
    private final RevokedTokenRepository revoked;
    private final Clock clock;

    public AccessTokenValidator(ClientRepository clients, RevokedTokenRepository revoked, Clock clock) {
        this.clients = clients;
        this.revoked = revoked;
        this.clock = clock;
    }

    /** The claims of a token this authorization server signed and that has not expired. */
    public Optional<Map<String, Object>> verified(AuthorizationServer as, String token) {
        return as.keys().verify(token).filter(c -> as.issuer().equals(c.get("iss"))
                && c.get("exp") instanceof Number exp && exp.longValue() > clock.instant().getEpochSecond()
                && c.get("jti") instanceof String && c.get("client_id") instanceof String);
    }

    /**
     * As {@link #verified}, and not revoked, and its client still registered (or, for an anonymous JWT bearer token,
     * its issuer still trusted so).
     */
    public Optional<Map<String, Object>> active(AuthorizationServer as, String token) {
        return verified(as, token).filter(c -> !revoked.isRevoked((String) c.get("jti"))
                && (as.anonymousClient((String) c.get("client_id")) || clients.find(as.id(), (String) c.get("client_id")).isPresent()));
    }
}
