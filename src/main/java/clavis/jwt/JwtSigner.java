package clavis.jwt;

import java.nio.charset.StandardCharsets;

/**
 * Produces compact JWS (RFC 7515 section 7.1) with one key and one {@code typ}. The protected header never
 * changes for a key, so it is encoded once.
 */
public final class JwtSigner {
    private final SigningKey key;
    private final String type;
    private final String encodedHeader;

    public JwtSigner(SigningKey key, String type) {
        this.key = key;
        this.type = type;
        String header = "{\"alg\":\"" + key.algorithm().name() + "\",\"typ\":\"" + type + "\",\"kid\":\"" + key.kid() + "\"}";
        this.encodedHeader = Base64Url.encode(header.getBytes(StandardCharsets.US_ASCII));
    }

    public SigningKey key() {
        return key;
    }

    /** The {@code typ} header of what it signs. */
    public String type() {
        return type;
    }

    /** Signs a UTF-8 JSON claims set. */
    public String sign(byte[] claimsJson) {
        String signingInput = encodedHeader + "." + Base64Url.encode(claimsJson);
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64Url.encode(signature);
    }
}
