package clavis.store;

import java.sql.PreparedStatement;

import clavis.oauth.InitialAccessTokenRepository;

/** Initial access tokens in {@code initial_access_tokens}; {@code uses_left} -1 means unlimited. */
public final class JdbcInitialAccessTokenRepository implements InitialAccessTokenRepository {
    private final Database db;

    public JdbcInitialAccessTokenRepository(Database db) {
        this.db = db;
    }

    @Override
    public void insert(String tokenHash, String asId, long createdAt, long expiresAt, int uses) {
        db.write("creating an initial access token", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO initial_access_tokens (token_hash, as_id, created_at, expires_at, uses_left) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, tokenHash);
                p.setString(2, asId);
                p.setLong(3, createdAt);
                p.setLong(4, expiresAt);
                p.setInt(5, uses);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean consume(String tokenHash, String asId, long now) {
        return db.write("using an initial access token", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE initial_access_tokens "
                    + "SET uses_left = CASE WHEN uses_left > 0 THEN uses_left - 1 ELSE uses_left END "
                    + "WHERE token_hash = ? AND as_id = ? AND uses_left <> 0 AND (expires_at = 0 OR expires_at > ?)")) {
                p.setString(1, tokenHash);
                p.setString(2, asId);
                p.setLong(3, now);
                return p.executeUpdate() == 1;
            }
        });
    }
}
