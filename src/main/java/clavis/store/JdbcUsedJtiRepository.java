package clavis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import clavis.oauth.UsedJtiRepository;

/**
 * Used {@code jti}s in {@code used_jtis}: one committed insert per JWT, so a replay on any node is refused. An entry
 * that has expired no longer counts (the insert takes its place), so refusing replays never depends on pruning;
 * pruning only keeps the table at its live size, a few expired entries with each insert: a steady trickle of
 * deletes rather than one large delete a second, which made every write in its commit wait.
 *
 * <p>The live jtis of an owner (a client) are counted in {@code live_jti_counts}, one row per owner, expiry minute
 * and node: the bound is checked by summing the owner's rows of minutes not yet past (about 62 per node for
 * one-hour assertions), never by counting its jtis. Each node changes only its own rows, so nodes never wait on
 * each other's counts and a commit holding counts of many owners cannot deadlock with another node's. The count is
 * exact on SQLite (one writer at a time) and on one PostgreSQL node; nodes sharing PostgreSQL see each other's
 * committed counts, so together they can pass the bound by the writes other nodes have in flight (at most one
 * group commit each). Rows of past minutes are pruned a few at a time with counted inserts, until none is left.
 */
public final class JdbcUsedJtiRepository implements UsedJtiRepository {
    /** Expired entries deleted with each insert, at most: more than arrive, so the table stays at its live size. */
    static final int PRUNED_PER_INSERT = 4;
    /** Counts are kept per minute of expiry. */
    static final long BUCKET_SECONDS = 60;

    private final Database db;
    /** This node's name in live_jti_counts: random, new at each start (rows of a node gone expire with their minute). */
    private final String node;
    private final String prune;
    private final String pruneCounts;
    /** No count of a minute before this one is left, as far as this node knows; written by the committer only. */
    private volatile long countsPrunedBefore = Long.MIN_VALUE;

    public JdbcUsedJtiRepository(Database db) {
        this.db = db;
        this.node = UUID.randomUUID().toString().substring(0, 13);
        String skipLocked = db.dialect().skipLockedRows();
        this.prune = "DELETE FROM used_jtis WHERE jti_key IN (SELECT jti_key FROM used_jtis WHERE expires_at < ? LIMIT "
                + PRUNED_PER_INSERT + skipLocked + ")";
        this.pruneCounts = "DELETE FROM live_jti_counts WHERE (owner, minute, node) IN "
                + "(SELECT owner, minute, node FROM live_jti_counts WHERE minute < ? LIMIT " + PRUNED_PER_INSERT + skipLocked + ")";
    }

    @Override
    public boolean firstUse(String key, long expiresAt, long now) {
        return db.write("recording a jti", c -> {
            prune(c, now);
            return insert(c, key, expiresAt, now);
        });
    }

    @Override
    public Use firstUse(String key, long expiresAt, long now, String owner, long maxLive) {
        return db.write("recording a jti", c -> {
            prune(c, now);
            long currentMinute = minute(now);
            pruneCounts(c, currentMinute);
            if (live(c, owner, currentMinute) >= maxLive) return isLive(c, key, now) ? Use.REPLAYED : Use.TOO_MANY_LIVE;
            if (!insert(c, key, expiresAt, now)) return Use.REPLAYED;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO live_jti_counts (owner, minute, node, jtis) VALUES (?, ?, ?, 1) "
                    + "ON CONFLICT (owner, minute, node) DO UPDATE SET jtis = live_jti_counts.jtis + 1")) {
                p.setString(1, owner);
                p.setLong(2, minute(expiresAt));
                p.setString(3, node);
                p.executeUpdate();
            }
            return Use.FIRST;
        });
    }

    /**
     * Deletes a few counts of past minutes. Once a prune finds fewer than it may delete, none is left until the
     * minute turns (counts are only ever made for minutes to come), so until then the statement is not run at all.
     */
    private void pruneCounts(Connection c, long currentMinute) throws SQLException {
        if (countsPrunedBefore >= currentMinute) return;
        try (PreparedStatement p = c.prepareStatement(pruneCounts)) {
            p.setLong(1, currentMinute);
            if (p.executeUpdate() < PRUNED_PER_INSERT) countsPrunedBefore = currentMinute;
        }
    }

    /** The minute of expiry a jti is counted in. */
    static long minute(long epochSeconds) {
        return Math.floorDiv(epochSeconds, BUCKET_SECONDS);
    }

    private void prune(Connection c, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(prune)) {
            p.setLong(1, now);
            p.executeUpdate();
        }
    }

    /** Inserts {@code key}, or takes the place of its expired entry; false when a live entry holds it. */
    private static boolean insert(Connection c, String key, long expiresAt, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO used_jtis (jti_key, expires_at) VALUES (?, ?) "
                + "ON CONFLICT (jti_key) DO UPDATE SET expires_at = excluded.expires_at WHERE used_jtis.expires_at < ?")) {
            p.setString(1, key);
            p.setLong(2, expiresAt);
            p.setLong(3, now);
            return p.executeUpdate() == 1;
        }
    }

    /** The live jtis {@code owner} holds on every node: those expiring in this minute or later. */
    private static long live(Connection c, String owner, long currentMinute) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(SUM(jtis), 0) FROM live_jti_counts WHERE owner = ? AND minute >= ?")) {
            p.setString(1, owner);
            p.setLong(2, currentMinute);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static boolean isLive(Connection c, String key, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM used_jtis WHERE jti_key = ? AND expires_at >= ?")) {
            p.setString(1, key);
            p.setLong(2, now);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }
}
