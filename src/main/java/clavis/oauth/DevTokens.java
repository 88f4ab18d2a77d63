package clavis.oauth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import clavis.json.Json;
import clavis.jwt.Base64Url;

/**
 * Dev mode's {@code POST {issuer}/dev/token} ({@code server.dev-mode=true} only; never made otherwise): any claims a
 * test asks for, signed by the authorization server's own key, as its access tokens are.
 */
public final class DevTokens {
    private final Clock clock;
    private final SecureRandom random;

    public DevTokens(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A compact JWS of {@code claims} over defaults for {@code iss}, {@code iat}, {@code exp} and {@code jti}. */
    public String sign(AuthorizationServer as, Map<String, Object> claims) {
        long now = clock.instant().getEpochSecond();
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("iss", as.issuer());
        all.put("iat", now);
        all.put("exp", now + as.tokenPolicy().lifetimeSeconds());
        all.put("jti", Base64Url.encode(jti));
        all.putAll(claims);
        return as.keys().signer().sign(Json.write(all));
    }
}
