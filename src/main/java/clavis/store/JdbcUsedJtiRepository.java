package clavis.store;

import java.sql.PreparedStatement;

import clavis.oauth.UsedJtiRepository;

/** Used {@code jti}s in {@code used_jtis}: one committed insert per JWT, so a replay on any node is refused. */
public final class JdbcUsedJtiRepository implements UsedJtiRepository {
    private final Database db;
    /** The second expired entries were last deleted in: once a second is enough, and keeps each write small. */
    private final java.util.concurrent.atomic.AtomicLong prunedAt = new java.util.concurrent.atomic.AtomicLong();

    public JdbcUsedJtiRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean firstUse(String key, long expiresAt, long now) {
        long last = prunedAt.get();
        boolean prune = now > last && prunedAt.compareAndSet(last, now);
        return db.write("recording a jti", c -> {
            if (prune) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM used_jtis WHERE expires_at < ?")) {
                    p.setLong(1, now);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO used_jtis (jti_key, expires_at) VALUES (?, ?) ON CONFLICT (jti_key) DO NOTHING")) {
                p.setString(1, key);
                p.setLong(2, expiresAt);
                return p.executeUpdate() == 1;
            }
        });
    }
}
