package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.json.Json;

/**
 * Kill -9 under concurrent registrations, several times: every registration that was answered survives and
 * authenticates, and no client is half written.
 */
class CrashTest {
    static final int CYCLES = 4;
    static final int WRITERS = 12;

    @TempDir
    Path dir;

    @Test
    void everyAnsweredRegistrationSurvivesSigkill() throws Exception {
        Random random = new Random(20261125L);
        String store = "--store.url=" + TestDatabases.sqlite(dir);
        Path log = dir.resolve("clavis.log");
        int port = ChildProcess.freePort();
        Map<String, String> answered = new ConcurrentHashMap<>();

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            ChildProcess clavis = ChildProcess.start(port, log, store, "--as.myAS.scopes=client-scope",
                    "--throttle.registration-burst=100000", "--throttle.registrations-per-minute=6000000"); // one address registers them all
            String register = clavis.url("/auth-login/rest/public/tech-client-registration/oauth2/myAS/register");
            AtomicBoolean dead = new AtomicBoolean();
            CountDownLatch[] answeredInCycle = {new CountDownLatch(20 + random.nextInt(300))};
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                writers.submit(() -> {
                    while (!dead.get()) {
                        try {
                            HttpResponse<String> r = TestServer.postJson(register, "{\"client_name\":\"crash\"}");
                            if (r.statusCode() == 201) {
                                Map<String, Object> reg = TestServer.json(r);
                                answered.put((String) reg.get("client_id"), (String) reg.get("client_secret"));
                                answeredInCycle[0].countDown();
                            }
                        } catch (RuntimeException connectionLost) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            answeredInCycle[0].await(); // the kill comes after a random number of answers, not a random time
            clavis.kill();
            dead.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(answered.size() > 100, "the test registered enough to mean something: " + answered.size());

        try (ChildProcess clavis = ChildProcess.start(port, log, store, "--as.myAS.scopes=client-scope")) {
            String token = clavis.url("/auth-login/rest/oauth2/authorization-servers/myAS/token");
            for (Map.Entry<String, String> e : answered.entrySet()) {
                HttpResponse<String> r = TestServer.postForm(token, TestServer.basic(e.getKey(), e.getValue()), "grant_type=client_credentials");
                assertEquals(200, r.statusCode(), "answered registration " + e.getKey() + " was lost: " + r.body());
            }
        }

        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(TestDatabases.sqlite(dir)); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT client_id, secret_hash, registration_token_hash, metadata, issued_at FROM clients")) {
            while (r.next()) {
                stored.add(r.getString(1));
                assertTrue(r.getString(2).startsWith("sha256:"), "complete secret hash");
                assertTrue(r.getString(3).startsWith("sha256:"), "complete registration token hash");
                Map<String, Object> metadata = Json.parseObject(r.getString(4).getBytes());
                assertEquals("crash", metadata.get("client_name"), "complete metadata");
                assertTrue(r.getLong(5) > 0);
            }
        }
        assertTrue(stored.containsAll(answered.keySet()), "every answered registration is stored");
        // The only clients stored without an answer are those whose commit the kill overtook: at most one per writer
        // per cycle, so nothing is written twice or left half-done.
        assertTrue(stored.size() - answered.size() <= (long) CYCLES * WRITERS,
                (stored.size() - answered.size()) + " stored but never answered, in " + CYCLES + " cycles of " + WRITERS + " writers");
    }
}
