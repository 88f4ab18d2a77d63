package clavis.oauth;

/**
 * An initial access token as operators see it: never the token, which only its creator saw, once.
 *
 * @param expiresAt epoch seconds, or 0 for never
 * @param usesLeft registrations it still allows, or -1 for any number
 */
public record InitialAccessToken(String id, String asId, long createdAt, long expiresAt, int usesLeft) {
}
