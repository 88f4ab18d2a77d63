package clavis.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import clavis.jwt.SigningAlgorithm;
import clavis.oauth.AuthMethod;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.GrantType;

/**
 * Authorization server metadata (RFC 8414 section 2), served at both of its well-known places and at both places of
 * OpenID Connect Discovery, for clients that only know that one.
 */
public final class MetadataEndpoint implements Endpoint {
    /** The JWS algorithms Clavis verifies, for client assertions and DPoP proofs alike. */
    private static final List<String> ALGORITHMS = Arrays.stream(SigningAlgorithm.values()).map(SigningAlgorithm::name).toList();

    private final boolean devMode;

    public MetadataEndpoint() {
        this(false);
    }

    /** @param devMode whether to say so, in the non-standard member {@code clavis_dev_mode} */
    public MetadataEndpoint(boolean devMode) {
        this.devMode = devMode;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", as.issuer());
        m.put("token_endpoint", as.tokenEndpoint());
        m.put("registration_endpoint", as.registrationEndpoint());
        m.put("jwks_uri", as.urls().jwks());
        if (!as.tokenPolicy().anyScope()) m.put("scopes_supported", List.copyOf(as.tokenPolicy().allowedScopes().tokens()));
        // No authorization endpoint: no response type is served.
        m.put("response_types_supported", List.of());
        m.put("grant_types_supported", as.grantTypes().stream().map(GrantType::wireName).toList());
        // RFC 8414 section 2, RFC 8705 section 3.3, RFC 9449 section 5.1: only what is on.
        m.put("introspection_endpoint", as.urls().introspection());
        m.put("revocation_endpoint", as.urls().revocation());
        boolean assertions = as.clientPolicy().allows(AuthMethod.PRIVATE_KEY_JWT);
        List<String> methods = as.clientPolicy().authMethods().stream().map(AuthMethod::wireName).toList();
        for (String endpoint : List.of("token_endpoint", "introspection_endpoint", "revocation_endpoint")) {
            m.put(endpoint + "_auth_methods_supported", methods);
            if (assertions) m.put(endpoint + "_auth_signing_alg_values_supported", ALGORITHMS);
        }
        if (as.tokenPolicy().mutualTls()) m.put("tls_client_certificate_bound_access_tokens", true);
        if (as.tokenPolicy().dpop()) m.put("dpop_signing_alg_values_supported", ALGORITHMS);
        if (devMode) m.put("clavis_dev_mode", true);
        return Response.json(200, m).with("Cache-Control", "public, max-age=60");
    }
}
