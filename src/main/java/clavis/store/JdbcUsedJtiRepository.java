package clavis.store;

import java.sql.PreparedStatement;

import clavis.oauth.UsedJtiRepository;

/**
 * Used {@code jti}s in {@code used_jtis}: one committed insert per JWT, so a replay on any node is refused. An entry
 * that has expired no longer counts (the insert takes its place), so refusing replays never depends on pruning;
 * pruning only keeps the table at its live size, a few expired entries with each insert: a steady trickle of
 * deletes rather than one large delete a second, which made every write in its commit wait.
 */
public final class JdbcUsedJtiRepository implements UsedJtiRepository {
    /** Expired entries deleted with each insert, at most: more than arrive, so the table stays at its live size. */
    static final int PRUNED_PER_INSERT = 4;

    private final Database db;
    private final String prune;

    public JdbcUsedJtiRepository(Database db) {
        this.db = db;
        this.prune = "DELETE FROM used_jtis WHERE jti_key IN (SELECT jti_key FROM used_jtis WHERE expires_at < ? LIMIT "
                + PRUNED_PER_INSERT + db.dialect().skipLockedRows() + ")";
    }

    @Override
    public boolean firstUse(String key, long expiresAt, long now) {
        return db.write("recording a jti", c -> {
            try (PreparedStatement p = c.prepareStatement(prune)) {
                p.setLong(1, now);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO used_jtis (jti_key, expires_at) VALUES (?, ?) "
                    + "ON CONFLICT (jti_key) DO UPDATE SET expires_at = excluded.expires_at WHERE used_jtis.expires_at < ?")) {
                p.setString(1, key);
                p.setLong(2, expiresAt);
                p.setLong(3, now);
                return p.executeUpdate() == 1;
            }
        });
    }
}
