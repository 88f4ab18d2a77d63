package clavis.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Forward-only, versioned schema migrations: {@code /db/<dialect>/V1.sql}, {@code V2.sql}, ... applied in order,
 * each in its own transaction together with its row in {@code schema_version}. On PostgreSQL an advisory lock
 * keeps nodes that start together from migrating twice.
 */
final class Migrations {
    private Migrations() {
    }

    /** An arbitrary number that names Clavis's migration lock among PostgreSQL advisory locks. */
    private static final long LOCK_ID = 0x636c61766973L;

    static int apply(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + LOCK_ID + ")");
            }
            try {
                return migrate(c, dialect);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK_ID + ")");
                }
            }
        }
        return migrate(c, dialect);
    }

    private static int migrate(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
        }
        int version = current(c);
        for (int next = version + 1; ; next++) {
            String sql = script(dialect, next);
            if (sql == null) return next - 1;
            c.setAutoCommit(false);
            try {
                if (current(c) >= next) { // another process migrated meanwhile
                    c.commit();
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    for (String statement : sql.replaceAll("(?m)--.*$", "").split(";")) { // comments first: they may hold a ;
                        if (!statement.isBlank()) s.execute(statement);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                    p.setInt(1, next);
                    p.setLong(2, System.currentTimeMillis() / 1000);
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String script(Dialect dialect, int version) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/" + dialect.folder + "/V" + version + ".sql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("migration V" + version + " cannot be read", e);
        }
    }
}
