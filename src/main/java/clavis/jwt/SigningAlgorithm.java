package clavis.jwt;

/** The JWS algorithms (RFC 7518 section 3, RFC 8037) Clavis signs access tokens with. */
public enum SigningAlgorithm {
    RS256, PS256, ES256, EdDSA;

    public static SigningAlgorithm of(String name) {
        for (SigningAlgorithm alg : values()) {
            if (alg.name().equals(name)) return alg;
        }
        throw new IllegalArgumentException("unsupported signing algorithm: " + name);
    }
}
