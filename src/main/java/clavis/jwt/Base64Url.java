package clavis.jwt;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/** Unpadded base64url (RFC 7515 section 2), the only encoding JOSE uses. */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text) {
        return DECODER.decode(text);
    }

    /** An unsigned big-endian integer in exactly {@code length} bytes (RFC 7518 section 6.2.1.2). */
    static byte[] fixedLength(BigInteger n, int length) {
        byte[] raw = n.toByteArray();
        if (raw.length == length) return raw;
        if (raw.length > length) return Arrays.copyOfRange(raw, raw.length - length, raw.length);
        byte[] padded = new byte[length];
        System.arraycopy(raw, 0, padded, length - raw.length, raw.length);
        return padded;
    }

    /** An unsigned big-endian integer in as few bytes as it needs (RFC 7518 section 2, Base64urlUInt). */
    static byte[] unsigned(BigInteger n) {
        byte[] raw = n.toByteArray();
        return raw[0] == 0 && raw.length > 1 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
    }
}
