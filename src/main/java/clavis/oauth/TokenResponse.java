package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/** A successful access token response (RFC 6749 section 5.1). */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, Scope scope) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        json.put("scope", scope.toString());
        json.put("token_type", tokenType);
        json.put("expires_in", expiresIn);
        return json;
    }
}
