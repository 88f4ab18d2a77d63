package clavis.oauth;

import java.util.List;
import java.util.Map;

import clavis.jwt.PublicJwk;

/**
 * Which software statements (RFC 7591 section 2.3) an authorization server accepts.
 *
 * @param trustedIssuers the public keys of each trusted statement issuer, by its {@code iss}
 * @param required whether every registration must carry a statement
 */
public record SoftwareStatementPolicy(Map<String, List<PublicJwk>> trustedIssuers, boolean required) {
    public SoftwareStatementPolicy {
        trustedIssuers = Map.copyOf(trustedIssuers);
    }
}
