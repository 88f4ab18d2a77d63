package clavis.config;

import java.util.List;
import java.util.Map;

import clavis.jwt.PublicJwk;

/**
 * The settings of one authorization server, keyed {@code as.<id>.*} in the configuration.
 *
 * @param audience the {@code aud} claim of its access tokens; null means the issuer
 * @param tokenType the JWT {@code typ} header: {@code at+jwt} (RFC 9068) or {@code JWT}
 * @param registration {@code open} or {@code initial-access-token}
 * @param secretLifetimeSeconds how long client secrets are valid, 0 for ever
 * @param keyRotationSeconds how often a new signing key takes over, 0 for never
 * @param staticClients clients that exist from the first start, fixed in the configuration
 * @param authMethods the token_endpoint_auth_methods turned on
 * @param dpop whether DPoP proofs bind tokens (RFC 9449)
 * @param softwareStatementRequired whether every registration must carry a software statement
 * @param softwareStatementIssuers the trusted software-statement issuers' public keys, by issuer
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
        List<StaticClient> staticClients,
        List<String> authMethods,
        boolean dpop,
        boolean softwareStatementRequired,
        Map<String, List<PublicJwk>> softwareStatementIssuers) {

    public AuthorizationServerConfig {
        authMethods = List.copyOf(authMethods);
        softwareStatementIssuers = Map.copyOf(softwareStatementIssuers);
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
