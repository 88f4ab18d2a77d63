package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token introspection (RFC 7662 section 2.2) of this authorization server's access tokens, with the {@code cnf} of
 * bound tokens (RFC 8705 section 3.2, RFC 9449 section 6.2).
 */
public final class IntrospectionService {
    private static final List<String> CLAIMS = List.of("scope", "client_id", "exp", "iat", "sub", "aud", "iss", "jti", "cnf");

    private final AccessTokenValidator validator;

    public IntrospectionService(AccessTokenValidator validator) {
        this.validator = validator;
    }

    /** {@code active: true} with the token's claims, or only {@code active: false} for any other token. */
    public Map<String, Object> introspect(AuthorizationServer as, String token) {
        Map<String, Object> answer = new LinkedHashMap<>();
        validator.active(as, token).ifPresentOrElse(claims -> {
            answer.put("active", true);
            answer.put("token_type", TokenService.tokenType(claims.get("cnf") instanceof Map<?, ?> cnf ? cnf : null));
            for (String name : CLAIMS) if (claims.containsKey(name)) answer.put(name, claims.get(name));
        }, () -> answer.put("active", false));
        return answer;
    }
}
