package clavis.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import clavis.jwt.Jws;
import clavis.jwt.JwtTimes;
import clavis.jwt.PublicJwk;
import clavis.jwt.Sha256;

/**
 * Checks DPoP proofs (RFC 9449 section 4.3) sent to the token endpoint: one {@code DPoP} header holding a JWS of
 * type {@code dpop+jwt}, signed with a supported asymmetric algorithm by the public key in its {@code jwk} header,
 * for this method and URL, fresh, and with a {@code jti} not used before. The key's RFC 7638 thumbprint is what the
 * access token is bound to ({@code cnf.jkt}).
 */
public final class DpopProofs {
    /** How old a proof may be; its jti is remembered this long. */
    public static final long MAX_AGE_SECONDS = 60;
    static final int MAX_LENGTH = 8192;

    private final UsedJtiRepository usedJtis;
    private final Clock clock;

    public DpopProofs(UsedJtiRepository usedJtis, Clock clock) {
        this.usedJtis = usedJtis;
        this.clock = clock;
    }

    /**
     * The thumbprint of the key that signed the one valid proof in {@code headers}; {@code invalid_dpop_proof}
     * otherwise. Records the proof's jti.
     */
    public String verify(AuthorizationServer as, List<String> headers, String method, String url) {
        return verify(as, headers, method, url, null);
    }

    /**
     * As {@link #verify}, for a request to a protected resource with a DPoP-bound access token (RFC 9449 section 7.1):
     * the proof must also carry {@code ath}, the base64url SHA-256 of {@code accessToken}. The caller compares the
     * returned thumbprint with the token's {@code cnf.jkt}.
     */
    public String verifyForResource(AuthorizationServer as, List<String> headers, String method, String url, String accessToken) {
        return verify(as, headers, method, url, Sha256.base64url(accessToken.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /** @param ath the access token hash the proof must carry, or null when it is not for a resource */
    private String verify(AuthorizationServer as, List<String> headers, String method, String url, String ath) {
        if (headers.size() != 1) throw invalid("send exactly one DPoP header");
        Jws proof;
        PublicJwk key;
        try {
            proof = Jws.parse(headers.get(0).trim(), MAX_LENGTH);
            if (!"dpop+jwt".equals(proof.header().get("typ"))) throw invalid("typ must be dpop+jwt");
            if (!(proof.header().get("jwk") instanceof Map<?, ?> jwk)) throw invalid("the jwk header is missing");
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) jwk;
            key = PublicJwk.parse(typed);
            if (!proof.verifiedBy(key)) throw invalid("the signature does not verify with the jwk header's key");
        } catch (IllegalArgumentException e) {
            throw invalid("the proof is malformed: " + e.getMessage());
        }
        if (!method.equals(proof.string("htm"))) throw invalid("htm does not match the request method");
        if (proof.string("htu") == null || !sameUrl(proof.string("htu"), url)) throw invalid("htu does not match the request URL");
        if (ath != null && !ath.equals(proof.string("ath"))) throw invalid("ath must be the base64url SHA-256 of the access token");
        long now = clock.instant().getEpochSecond();
        Long iat = proof.seconds("iat");
        if (iat == null || iat < now - MAX_AGE_SECONDS || iat > now + JwtTimes.SKEW_SECONDS) {
            throw invalid("iat must be within " + MAX_AGE_SECONDS + " seconds of the server's time");
        }
        String jti = proof.string("jti");
        if (jti == null || jti.isEmpty() || jti.length() > ClientAssertions.MAX_JTI_LENGTH) throw invalid("jti is missing");
        if (!usedJtis.firstUse(UsedJtiRepository.key("dpop", as.id() + "/" + key.thumbprint(), jti), iat + MAX_AGE_SECONDS + 1, now)) {
            throw invalid("this proof was already used");
        }
        return key.thumbprint();
    }

    /** RFC 9449 section 4.3 step 9: equal after RFC 3986 normalization, query and fragment ignored. */
    static boolean sameUrl(String htu, String url) {
        String a = normalized(htu);
        return a != null && a.equals(normalized(url));
    }

    private static String normalized(String url) {
        try {
            URI u = new URI(url).normalize();
            if (u.getScheme() == null || u.getHost() == null) return null;
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            String path = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_DPOP_PROOF, description);
    }
}
