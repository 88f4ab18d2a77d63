package clavis.jwt;

/**
 * A signing key as the database keeps it: its private JWK as JSON text.
 *
 * @param retiredAt epoch seconds when another key took over signing, or 0 while it is the active key
 */
public record StoredKey(String kid, String asId, SigningAlgorithm algorithm, String privateJwk, long createdAt, long retiredAt) {
    public boolean active() {
        return retiredAt == 0;
    }
}
