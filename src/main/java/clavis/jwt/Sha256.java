package clavis.jwt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 (FIPS 180-4), the one hash Clavis uses: thumbprints, stored secrets, jti keys. */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] of(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static byte[] of(String utf8) {
        return of(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash, unpadded base64url: the form of RFC 7638 thumbprints and RFC 8705 {@code x5t#S256}. */
    public static String base64url(byte[] input) {
        return Base64Url.encode(of(input));
    }
}
