package clavis.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import clavis.oauth.InitialAccessToken;
import clavis.oauth.InitialAccessTokenRepository;

/** Initial access tokens in {@code initial_access_tokens}; {@code uses_left} -1 means unlimited. */
public final class JdbcInitialAccessTokenRepository implements InitialAccessTokenRepository {
    private final Database db;

    public JdbcInitialAccessTokenRepository(Database db) {
        this.db = db;
    }

    @Override
    public void insert(String id, String tokenHash, String asId, long createdAt, long expiresAt, int uses) {
        db.write("creating an initial access token", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO initial_access_tokens (id, token_hash, as_id, created_at, expires_at, uses_left) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, tokenHash);
                p.setString(3, asId);
                p.setLong(4, createdAt);
                p.setLong(5, expiresAt);
                p.setInt(6, uses);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> consume(String tokenHash, String asId, long now) {
        return db.write("using an initial access token", c -> {
            String id;
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM initial_access_tokens "
                    + "WHERE token_hash = ? AND as_id = ? AND uses_left <> 0 AND (expires_at = 0 OR expires_at > ?)")) {
                p.setString(1, tokenHash);
                p.setString(2, asId);
                p.setLong(3, now);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) return Optional.empty();
                    id = r.getString(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE initial_access_tokens "
                    + "SET uses_left = CASE WHEN uses_left > 0 THEN uses_left - 1 ELSE uses_left END "
                    + "WHERE token_hash = ? AND as_id = ? AND uses_left <> 0")) {
                p.setString(1, tokenHash);
                p.setString(2, asId);
                return p.executeUpdate() == 1 ? Optional.of(id) : Optional.empty();
            }
        });
    }

    @Override
    public List<InitialAccessToken> page(String asId, String afterId, int limit) {
        return db.read("listing initial access tokens", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, created_at, expires_at, uses_left FROM initial_access_tokens "
                    + "WHERE as_id = ? AND id > ? ORDER BY id LIMIT " + limit)) {
                p.setString(1, asId);
                p.setString(2, afterId == null ? "" : afterId);
                List<InitialAccessToken> tokens = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) tokens.add(new InitialAccessToken(r.getString(1), asId, r.getLong(2), r.getLong(3), r.getInt(4)));
                }
                return tokens;
            }
        });
    }

    @Override
    public boolean delete(String asId, String id) {
        return db.write("deleting an initial access token", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM initial_access_tokens WHERE as_id = ? AND id = ?")) {
                p.setString(1, asId);
                p.setString(2, id);
                return p.executeUpdate() == 1;
            }
        });
    }
}
