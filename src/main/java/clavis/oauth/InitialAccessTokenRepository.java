package clavis.oauth;

import java.util.List;
import java.util.Optional;

/** Initial access tokens (RFC 7591 section 3), stored hashed, each with an id that is not the token. */
public interface InitialAccessTokenRepository {
    /**
     * @param expiresAt epoch seconds, or 0 for never
     * @param uses how many registrations it allows, or -1 for any number
     */
    void insert(String id, String tokenHash, String asId, long createdAt, long expiresAt, int uses);

    /** Uses the token once if it exists for {@code asId}, has not expired and has a use left; its id, or empty. */
    Optional<String> consume(String tokenHash, String asId, long now);

    /** Up to {@code limit} tokens of {@code asId}, used up and expired ones too, by id after {@code afterId} (null: from the start). */
    List<InitialAccessToken> page(String asId, String afterId, int limit);

    /** Removes a token; false when {@code asId} has none with this id. */
    boolean delete(String asId, String id);
}
