package clavis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKeyRepository;
import clavis.jwt.StoredKey;

/** Signing keys in the {@code signing_keys} table, private keys as JWK JSON. */
public final class JdbcSigningKeyRepository implements SigningKeyRepository {
    private static final String FROM = "SELECT kid, algorithm, private_key, created_at, retired_at FROM signing_keys WHERE ";
    private static final String SELECT = FROM + "as_id = ?";
    /** Newest first, the kid breaking ties, in every read. */
    private static final String ORDER = " ORDER BY created_at DESC, kid";
    /**
     * The keys a key ring can use: the active ones and those retired after a time. Written as two searches joined by
     * OR, each of which the index signing_keys_live (V9) answers, so that the server's older keys are never read.
     */
    static final String LIVE = FROM + "(as_id = ? AND retired_at = 0) OR (as_id = ? AND retired_at > ?)" + ORDER;

    private final Database db;

    public JdbcSigningKeyRepository(Database db) {
        this.db = db;
    }

    @Override
    public List<StoredKey> update(String asId, Function<List<StoredKey>, Changes> change) {
        return db.write("updating signing keys", c -> {
            String lock = db.dialect().lockSigningKeys();
            if (lock != null) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(lock);
                }
            }
            Changes changes = change.apply(load(c, asId));
            for (StoredKey k : changes.inserts()) {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO signing_keys (kid, as_id, algorithm, private_key, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, k.kid());
                    p.setString(2, k.asId());
                    p.setString(3, k.algorithm().name());
                    p.setString(4, k.privateJwk());
                    p.setLong(5, k.createdAt());
                    p.setLong(6, k.retiredAt());
                    p.executeUpdate();
                }
            }
            for (String kid : changes.retire()) {
                try (PreparedStatement p = c.prepareStatement("UPDATE signing_keys SET retired_at = ? WHERE kid = ? AND as_id = ?")) {
                    p.setLong(1, changes.retiredAt());
                    p.setString(2, kid);
                    p.setString(3, asId);
                    p.executeUpdate();
                }
            }
            return load(c, asId);
        });
    }

    @Override
    public List<StoredKey> live(String asId, long retiredAfter) {
        return db.read("reading signing keys", c -> {
            try (PreparedStatement p = c.prepareStatement(LIVE)) {
                p.setString(1, asId);
                p.setString(2, asId);
                p.setLong(3, retiredAfter);
                return keys(p, asId);
            }
        });
    }

    @Override
    public List<StoredKey> newest(String asId, int limit) {
        return db.read("reading signing keys", c -> {
            try (PreparedStatement p = c.prepareStatement(SELECT + ORDER + " LIMIT " + limit)) {
                p.setString(1, asId);
                return keys(p, asId);
            }
        });
    }

    private static List<StoredKey> load(Connection c, String asId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(SELECT + ORDER)) {
            p.setString(1, asId);
            return keys(p, asId);
        }
    }

    private static List<StoredKey> keys(PreparedStatement p, String asId) throws SQLException {
        List<StoredKey> keys = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                keys.add(new StoredKey(r.getString(1), asId, SigningAlgorithm.of(r.getString(2)), r.getString(3), r.getLong(4), r.getLong(5)));
            }
        }
        return keys;
    }
}
