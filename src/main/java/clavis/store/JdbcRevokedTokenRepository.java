package clavis.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import clavis.oauth.RevokedTokenRepository;

/** Revoked {@code jti}s in {@code revoked_tokens}, pruned as their tokens expire. */
public final class JdbcRevokedTokenRepository implements RevokedTokenRepository {
    private final Database db;

    public JdbcRevokedTokenRepository(Database db) {
        this.db = db;
    }

    @Override
    public void revoke(String jti, String asId, long expiresAt, long now) {
        db.write("revoking a token", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO revoked_tokens (jti, as_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING")) {
                p.setString(1, jti);
                p.setString(2, asId);
                p.setLong(3, expiresAt);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM revoked_tokens WHERE expires_at < ?")) {
                p.setLong(1, now);
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean isRevoked(String jti) {
        return db.read("checking a revocation", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM revoked_tokens WHERE jti = ?")) {
                p.setString(1, jti);
                try (ResultSet r = p.executeQuery()) {
                    return r.next();
                }
            }
        });
    }
}
