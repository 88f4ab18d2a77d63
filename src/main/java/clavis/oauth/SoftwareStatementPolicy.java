package clavis.oauth;

import java.util.List;
import java.util.Map;

import clavis.jwt.PublicJwk;

/**
 * Which software statements (RFC 7591 section 2.3) an authorization server accepts.
 *
 * @param trustedIssuers the public keys of each trusted statement issuer, by its {@code iss}
 * @param required whether every registration must carry a statement
 * @param maxAgeSeconds how long after its {@code iat} a statement without {@code exp} is accepted; 0 for no bound
 */
public record SoftwareStatementPolicy(Map<String, List<PublicJwk>> trustedIssuers, boolean required, long maxAgeSeconds) {
    public SoftwareStatementPolicy {
        trustedIssuers = Map.copyOf(trustedIssuers);
        if (maxAgeSeconds < 0) throw new IllegalArgumentException("maxAgeSeconds must be 0 (no bound) or positive");
    }
}
