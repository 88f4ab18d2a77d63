package clavis.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import clavis.json.Json;

/**
 * A compact JWS (RFC 7515 section 7.1) taken apart but not yet verified: its protected header, its JSON
 * payload, the signing input and the signature. A header with {@code crit} is refused, since Clavis understands
 * no extension (RFC 7515 section 4.1.11).
 */
public record Jws(Map<String, Object> header, Map<String, Object> claims, byte[] signingInput, byte[] signature) {

    /** Parses {@code compact}; throws IllegalArgumentException when it is longer than {@code maxLength} or malformed. */
    public static Jws parse(String compact, int maxLength) {
        if (compact == null || compact.length() > maxLength) throw new IllegalArgumentException("missing or too long");
        int first = compact.indexOf('.');
        int second = compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) throw new IllegalArgumentException("not a compact JWS");
        try {
            Map<String, Object> header = Json.parseObject(Base64Url.decode(compact.substring(0, first)));
            if (header.containsKey("crit")) throw new IllegalArgumentException("crit is not supported");
            Map<String, Object> claims = Json.parseObject(Base64Url.decode(compact.substring(first + 1, second)));
            byte[] input = compact.substring(0, second).getBytes(StandardCharsets.US_ASCII);
            return new Jws(header, claims, input, Base64Url.decode(compact.substring(second + 1)));
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    /** The header's {@code alg} when it is one Clavis verifies; never {@code none} or an HMAC. */
    public SigningAlgorithm algorithm() {
        Object alg = header.get("alg");
        if (!(alg instanceof String name)) throw new IllegalArgumentException("alg is missing");
        return SigningAlgorithm.of(name);
    }

    /** Whether {@code key} fits the header's algorithm and its signature verifies. */
    public boolean verifiedBy(PublicJwk key) {
        SigningAlgorithm alg = algorithm();
        return key.fits(alg) && key.verify(alg, signingInput, signature);
    }

    /** A string claim, or null when absent or not a string. */
    public String string(String claim) {
        return claims.get(claim) instanceof String s ? s : null;
    }

    /** A numeric date claim in whole seconds, or null when absent or not a number. */
    public Long seconds(String claim) {
        return claims.get(claim) instanceof Number n ? n.longValue() : null;
    }
}
