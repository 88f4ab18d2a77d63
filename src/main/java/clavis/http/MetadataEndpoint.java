package clavis.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.ClientMetadata;
import clavis.oauth.TokenService;

/** Authorization server metadata (RFC 8414 section 2), served at both of its well-known places. */
public final class MetadataEndpoint implements Endpoint {
    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", as.issuer());
        m.put("token_endpoint", as.tokenEndpoint());
        m.put("registration_endpoint", as.registrationEndpoint());
        m.put("jwks_uri", as.jwksUri());
        m.put("scopes_supported", List.copyOf(as.allowedScopes().tokens()));
        // No authorization endpoint: no response type is served.
        m.put("response_types_supported", List.of());
        m.put("grant_types_supported", List.of(TokenService.CLIENT_CREDENTIALS));
        m.put("token_endpoint_auth_methods_supported", ClientMetadata.AUTH_METHODS);
        m.put("introspection_endpoint", as.introspectionEndpoint());
        m.put("introspection_endpoint_auth_methods_supported", ClientMetadata.AUTH_METHODS);
        m.put("revocation_endpoint", as.revocationEndpoint());
        m.put("revocation_endpoint_auth_methods_supported", ClientMetadata.AUTH_METHODS);
        return Response.json(200, m).with("Cache-Control", "public, max-age=60");
    }
}
