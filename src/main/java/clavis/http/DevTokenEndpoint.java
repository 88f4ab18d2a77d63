package clavis.http;

import java.util.LinkedHashMap;
import java.util.Map;

import clavis.json.Json;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.DevTokens;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * {@code POST {issuer}/dev/token}, routed in dev mode only: a JSON object of claims in, {@code {"access_token"}}
 * signed by the authorization server's key out, with defaults for iss, iat, exp and jti that the JSON overrides.
 */
public final class DevTokenEndpoint implements Endpoint {
    private final DevTokens tokens;

    public DevTokenEndpoint(DevTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Response handle(Request request, AuthorizationServer as) {
        Map<String, Object> claims;
        if (!request.hasContentType("application/json")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, 415, "Content-Type must be application/json");
        }
        try {
            claims = Json.parseObject(request.body());
        } catch (Json.MalformedJsonException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.sign(as, claims));
        body.put("token_type", "Bearer");
        return Response.jsonNoStore(200, body);
    }
}
