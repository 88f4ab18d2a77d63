package clavis.config;

import java.util.List;

/**
 * The settings of one authorization server, keyed {@code as.<id>.*} in the configuration.
 *
 * @param audience the {@code aud} claim of its access tokens; null means the issuer
 * @param tokenType the JWT {@code typ} header: {@code at+jwt} (RFC 9068) or {@code JWT}
 * @param registration {@code open} or {@code initial-access-token}
 * @param secretLifetimeSeconds how long client secrets are valid, 0 for ever
 */
public record AuthorizationServerConfig(
        String id,
        List<String> scopes,
        List<String> defaultScopes,
        long tokenLifetimeSeconds,
        String audience,
        String signingAlgorithm,
        String tokenType,
        String registration,
        long secretLifetimeSeconds) {

    public AuthorizationServerConfig {
        scopes = List.copyOf(scopes);
        defaultScopes = List.copyOf(defaultScopes);
    }
}
