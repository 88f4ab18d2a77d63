package clavis.oauth;

/** Initial access tokens (RFC 7591 section 3), stored hashed. */
public interface InitialAccessTokenRepository {
    /**
     * @param expiresAt epoch seconds, or 0 for never
     * @param uses how many registrations it allows, or -1 for any number
     */
    void insert(String tokenHash, String asId, long createdAt, long expiresAt, int uses);

    /** Uses the token once if it exists for {@code asId}, has not expired and has a use left. */
    boolean consume(String tokenHash, String asId, long now);
}
