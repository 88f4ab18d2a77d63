package clavis.http;

import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.ClientConfigurationService;

/** {@code GET|PUT|DELETE {registration endpoint}/{client_id}}: RFC 7592 client configuration, by method. */
public final class ClientConfigurationEndpoint implements Endpoint {
    private final ClientConfigurationService configuration;

    public ClientConfigurationEndpoint(ClientConfigurationService configuration) {
        this.configuration = configuration;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        String clientId = request.pathParams().get("client_id");
        String bearer = request.bearerToken();
        return switch (request.method()) {
            case "GET" -> Response.jsonNoStore(200, configuration.read(as, clientId, bearer));
            case "PUT" -> {
                Map<String, Object> body = RegistrationEndpoint.jsonBody(request);
                yield Response.jsonNoStore(200, configuration.update(as, clientId, bearer, body, request.remoteAddress()));
            }
            case "DELETE" -> {
                configuration.delete(as, clientId, bearer, request.remoteAddress());
                yield Response.empty(204);
            }
            default -> throw new IllegalStateException("routed method " + request.method());
        };
    }
}
