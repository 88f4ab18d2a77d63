package clavis.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.sqlite.SQLiteConfig;

/** What differs between the databases Clavis runs on; every other line of SQL is the same for both. */
public enum Dialect {
    /** The embedded default: WAL, {@code synchronous=FULL}, a busy timeout, {@code BEGIN IMMEDIATE} for writes. */
    SQLITE("sqlite") {
        @Override
        Connection connect(String url, boolean readOnly) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(Database.BUSY_TIMEOUT_MILLIS);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.enforceForeignKeys(true);
            config.setReadOnly(readOnly);
            return config.createConnection(url);
        }

        @Override
        String lockSigningKeys() {
            return null; // BEGIN IMMEDIATE already excludes every other writer
        }

        @Override
        String skipLockedRows() {
            return ""; // one writer at a time: no row is ever locked by another
        }
    },
    /** Several nodes on one server: a short connect timeout, and table locks where SQLite needed none. */
    POSTGRESQL("postgresql") {
        @Override
        Connection connect(String url, boolean readOnly) throws SQLException {
            DriverManager.setLoginTimeout(10);
            Connection c = DriverManager.getConnection(url);
            c.setReadOnly(readOnly);
            return c;
        }

        @Override
        String lockSigningKeys() {
            // Two nodes starting at once must not both add an active key: the second waits, then sees the first's.
            return "LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE";
        }

        @Override
        String skipLockedRows() {
            return " FOR UPDATE SKIP LOCKED";
        }
    };

    /** The folder of this dialect's migration scripts under {@code /db}. */
    final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    abstract Connection connect(String url, boolean readOnly) throws SQLException;

    /** The statement that makes one writer at a time change signing keys, or null when writes already are. */
    abstract String lockSigningKeys();

    /**
     * What ends a SELECT of rows to delete so that rows another node's transaction holds are passed over, not
     * waited for (nodes pruning the same expired rows at once neither wait nor deadlock).
     */
    abstract String skipLockedRows();

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException("unsupported store.url: only jdbc:sqlite: and jdbc:postgresql: are supported");
    }
}
