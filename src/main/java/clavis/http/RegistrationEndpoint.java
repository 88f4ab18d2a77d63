package clavis.http;

import java.util.Map;

import clavis.json.Json;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;
import clavis.oauth.Registration;
import clavis.oauth.RegistrationService;

/** {@code POST .../{as}/register}: dynamic client registration (RFC 7591 section 3). */
public final class RegistrationEndpoint implements Endpoint {
    private final RegistrationService registrations;

    public RegistrationEndpoint(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Registration registration = registrations.register(as, jsonBody(request), request.bearerToken(), request.remoteAddress());
        return Response.jsonNoStore(201, registration.toJson()).forClient(registration.client().clientId());
    }

    /** A JSON object body with Content-Type application/json, as registration and RFC 7592 updates send. */
    static Map<String, Object> jsonBody(Request request) {
        if (!request.hasContentType("application/json")) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, 415, "Content-Type must be application/json");
        }
        try {
            return Json.parseObject(request.body());
        } catch (Json.MalformedJsonException e) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, e.getMessage());
        }
    }
}
