package clavis.config;

import java.util.List;

/**
 * The settings of one authorization server, keyed {@code as.<id>.*} in the configuration.
 *
 * @param audience the {@code aud} claim of its access tokens; null means the issuer
 * @param tokenType the JWT {@code typ} header: {@code at+jwt} (RFC 9068) or {@code JWT}
 * @param registration {@code open} or {@code initial-access-token}
 * @param secretLifetimeSeconds how long client secrets are valid, 0 for ever
 * @param keyRotationSeconds how often a new signing key takes over, 0 for never
 * @param staticClients clients that exist from the first start, fixed in the configuration
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
        long secretLifetimeSeconds,
        long keyRotationSeconds,
        List<StaticClient> staticClients) {

    public AuthorizationServerConfig {
        scopes = List.copyOf(scopes);
        defaultScopes = List.copyOf(defaultScopes);
        staticClients = List.copyOf(staticClients);
    }

    /**
     * A client fixed in the configuration, for test environments and service accounts.
     *
     * @param secret the secret in plain text, or null when {@code secretHash} is given
     * @param secretHash {@code sha256:...} as {@code hash-secret} prints it, or null
     */
    public record StaticClient(String clientId, String secret, String secretHash, List<String> scope, String authMethod) {
        @Override
        public String toString() {
            return "StaticClient[" + clientId + ", scope=" + scope + ", " + authMethod + "]";
        }
    }
}
