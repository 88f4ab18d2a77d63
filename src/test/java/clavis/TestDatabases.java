package clavis;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Random;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Store URLs for tests: a SQLite file in a temp dir, or a fresh database on the PostgreSQL cluster that
 * {@code build.sh test} starts (CLAVIS_TEST_POSTGRES_URL). Without one the PostgreSQL tests are skipped, unless
 * CLAVIS_REQUIRE_POSTGRES=1 (CI), where that is a failure.
 */
final class TestDatabases {
    private static final Random RANDOM = new Random();

    private TestDatabases() {
    }

    static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("clavis.db");
    }

    /** A new, empty PostgreSQL database, or the test is skipped (failed in CI) when there is no cluster. */
    static String newPostgres() {
        String admin = System.getenv("CLAVIS_TEST_POSTGRES_URL");
        if (admin == null) {
            if ("1".equals(System.getenv("CLAVIS_REQUIRE_POSTGRES"))) Assertions.fail("CLAVIS_TEST_POSTGRES_URL is not set; run ./build.sh test");
            Assumptions.abort("no PostgreSQL cluster: CLAVIS_TEST_POSTGRES_URL is not set");
        }
        String name = "clavis_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new AssertionError("cannot create a PostgreSQL database at " + admin, e);
        }
        return admin.replaceFirst("/[^/?]+\\?", "/" + name + "?");
    }

    /** The store URL for a kind: "sqlite" or "postgresql". */
    static String of(String kind, Path dir) {
        return kind.equals("sqlite") ? sqlite(dir) : newPostgres();
    }
}
