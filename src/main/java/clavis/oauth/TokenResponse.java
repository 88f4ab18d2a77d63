package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful access token response (RFC 6749 section 5.1).
 *
 * @param issuedTokenType RFC 8693 section 2.2.1's {@code issued_token_type}, for a token exchange; else null
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, Scope scope, String issuedTokenType) {

    public TokenResponse(String accessToken, String tokenType, long expiresIn, Scope scope) {
        this(accessToken, tokenType, expiresIn, scope, null);
    }

    /** The same answer for a token exchange. */
    public TokenResponse issuedAs(String type) {
        return new TokenResponse(accessToken, tokenType, expiresIn, scope, type);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        if (issuedTokenType != null) json.put("issued_token_type", issuedTokenType);
        json.put("scope", scope.toString());
        json.put("token_type", tokenType);
        json.put("expires_in", expiresIn);
        return json;
    }
}
