package clavis.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

import clavis.jwt.Base64Url;
import clavis.jwt.Sha256;

/**
 * Client secrets: generated, hashed for storage, compared in constant time.
 *
 * <p>Secrets are 256 random bits from a CSPRNG, so a guess succeeds with probability 2^-256 whatever the hash
 * costs; a slow password hash (bcrypt, PBKDF2) would add nothing but CPU on every token request. SHA-256 keeps
 * the stored value useless to a reader of the database. The {@code sha256:} prefix leaves room for other
 * schemes.
 */
public final class Secrets {
    private static final int SECRET_BYTES = 32;
    private static final String SCHEME = "sha256:";

    private final SecureRandom random;
    /** The hash compared against when the client does not exist, so that an unknown client costs the same. */
    private final String decoyHash;

    public Secrets(SecureRandom random) {
        this.random = random;
        this.decoyHash = hash(generate());
    }

    /** A new secret: 256 bits from the CSPRNG, base64url (43 characters). */
    public String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }

    public static String hash(String secret) {
        return SCHEME + Base64Url.encode(Sha256.of(secret));
    }

    /** Whether {@code secret} hashes to {@code storedHash}; constant-time in the hash. */
    public static boolean matches(String secret, String storedHash) {
        return equal(hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash);
    }

    /**
     * Which stored hash {@code secret} matches: 1 for {@code current}, 2 for {@code previous}, 0 for neither. The
     * secret is hashed once and both comparisons always run, in constant time, so the answer costs the same whichever
     * it is (and whether a previous secret exists).
     */
    public static int whichMatches(String secret, String current, String previous) {
        byte[] actual = hash(secret).getBytes(StandardCharsets.US_ASCII);
        boolean first = equal(actual, current);
        boolean second = equal(actual, previous);
        return first ? 1 : second ? 2 : 0;
    }

    private static boolean equal(byte[] actual, String storedHash) {
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII), actual);
    }

    public String decoyHash() {
        return decoyHash;
    }

}
