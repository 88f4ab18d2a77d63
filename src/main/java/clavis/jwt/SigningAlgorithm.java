package clavis.jwt;

/**
 * The JWS algorithms (RFC 7518 section 3, RFC 8037) Clavis signs and verifies with. {@code Ed25519} is RFC 9864's
 * fully specified name for what {@code EdDSA} means with an Ed25519 key: both are accepted everywhere.
 */
public enum SigningAlgorithm {
    RS256, PS256, ES256, EdDSA, Ed25519;

    /** Whether this algorithm signs with an Ed25519 key (OKP), under either name. */
    public boolean ed25519() {
        return this == EdDSA || this == Ed25519;
    }

    public static SigningAlgorithm of(String name) {
        for (SigningAlgorithm alg : values()) {
            if (alg.name().equals(name)) return alg;
        }
        throw new IllegalArgumentException("unsupported signing algorithm: " + name);
    }
}
