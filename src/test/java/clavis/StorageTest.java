package clavis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.oauth.Secrets;

/** What the database sees: nothing on the token path, and a schema that upgrades in place. */
class StorageTest {
    @TempDir
    Path dir;

    private byte[] digest(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (Files.exists(file)) md.update(Files.readAllBytes(file));
        return md.digest();
    }

    @Test
    void issuingAndIntrospectingTokensWritesNothing() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            String[] resourceServer = server.registerClient();
            Path db = dir.resolve("clavis.db");
            Path wal = dir.resolve("clavis.db-wal");
            byte[] dbBefore = digest(db);
            byte[] walBefore = digest(wal);
            long walSize = Files.exists(wal) ? Files.size(wal) : 0;
            for (int i = 0; i < 50; i++) {
                String token = (String) server.token(client[0], client[1]).get("access_token");
                server.introspect(resourceServer, token);
            }
            assertArrayEquals(dbBefore, digest(db), "the database file changed");
            assertArrayEquals(walBefore, digest(wal), "the write-ahead log changed");
            assertEquals(walSize, Files.exists(wal) ? Files.size(wal) : 0);
        }
    }

    @Test
    void aVersionOneDatabaseIsUpgradedAndItsClientsKeepWorking() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("clavis.db");
        String secret = "v1-client-secret-with-enough-entropy-for-a-test";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
            try (InputStream in = StorageTest.class.getResourceAsStream("/db/sqlite/V1.sql")) {
                for (String statement : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";")) {
                    if (!statement.replaceAll("(?m)--.*$", "").isBlank()) s.execute(statement);
                }
            }
            s.execute("INSERT INTO schema_version VALUES (1, 0)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO clients VALUES (?, 'myAS', ?, ?, 1700000000, 0)")) {
                p.setString(1, "v1-client");
                p.setString(2, Secrets.hash(secret));
                p.setString(3, "{\"scope\":\"client-scope\",\"token_endpoint_auth_method\":\"client_secret_basic\",\"grant_types\":[\"client_credentials\"]}");
                p.executeUpdate();
            }
        }
        try (TestServer server = TestServer.start(dir)) {
            assertEquals("client-scope", server.token("v1-client", secret).get("scope"));
            String[] fresh = server.registerClient();
            server.token(fresh[0], fresh[1]);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            r.next();
            assertEquals(latestMigration(), r.getInt(1), "upgraded through every migration");
        }
    }

    @Test
    void migrationsAreAppliedOnceAcrossRestarts() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.restart();
            server.registerClient();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("clavis.db")); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_version")) {
            r.next();
            assertEquals(latestMigration(), r.getInt(1), "one row per migration, however often the server started");
            assertEquals(r.getInt(1), r.getInt(2));
            assertEquals(latestMigration(), r.getInt(3));
        }
    }

    /** The number of the last migration script shipped. */
    private static int latestMigration() {
        int n = 0;
        while (StorageTest.class.getResource("/db/sqlite/V" + (n + 1) + ".sql") != null) n++;
        return n;
    }
}
