package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/**
 * Many large registrations, each followed by a token, against the production flags of docs/operations.md: the client cache
 * once kept every registration whole and for good, until an OutOfMemoryError killed the database writer while
 * /health still said UP. Registrations and tokens must keep working, and the server stay ready.
 */
class MemoryExhaustionTest {
    private static final int CLIENTS = 1000;
    private static final int CONCURRENT = 4;

    @TempDir
    Path dir;

    /** About 60 KB of metadata within every documented bound: strings of 2048 characters at most, 64 KiB of body. */
    private static String largeMetadata(int n) {
        StringBuilder json = new StringBuilder(64 * 1024).append("{\"client_name\":\"client ").append(n).append(' ')
                .append("n".repeat(1900)).append("\",\"redirect_uris\":[");
        for (int i = 0; i < 15; i++) json.append(i == 0 ? "" : ",").append("\"https://client.example/").append(i).append('/').append("r".repeat(1990)).append('"');
        json.append("],\"contacts\":[");
        for (int i = 0; i < 14; i++) json.append(i == 0 ? "" : ",").append('"').append(i).append("c".repeat(2000)).append("@client.example\"");
        return json.append("]}").toString();
    }

    @Test
    void largeRegistrationsWithATokenEachLeaveRegistrationAndHealthWorking() throws Exception {
        assertTrue(largeMetadata(CLIENTS).getBytes(StandardCharsets.UTF_8).length > 58_000, "about 60 KB each");
        assertTrue(largeMetadata(CLIENTS).getBytes(StandardCharsets.UTF_8).length < 65_536, "within the body limit");
        Path log = dir.resolve("clavis.log");
        int port = ChildProcess.freePort();
        try (ChildProcess child = ChildProcess.startWithJvmOptions(List.of("-Xmx64m", "-XX:+UseSerialGC"), port, log,
                "--store.url=" + TestDatabases.sqlite(dir), "--as.myAS.scopes=client-scope",
                // one address registers all of them: lift the registration rate, which would stop it first
                "--throttle.registration-burst=100000", "--throttle.registrations-per-minute=6000000")) {
            String register = child.url(Paths.REGISTRATION.replace("{as}", "myAS"));
            String token = child.url(Paths.TOKEN.replace("{as}", "myAS"));
            ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
            List<Future<String>> outcomes = new ArrayList<>();
            try {
                for (int t = 0; t < CONCURRENT; t++) {
                    int first = t;
                    outcomes.add(clients.submit(() -> {
                        for (int n = first; n < CLIENTS; n += CONCURRENT) {
                            HttpResponse<String> r = TestServer.postJson(register, largeMetadata(n));
                            if (r.statusCode() != 201) return "registration " + n + ": " + r.statusCode() + " " + r.body();
                            Map<String, Object> reg = TestServer.json(r);
                            HttpResponse<String> t2 = TestServer.postForm(token,
                                    TestServer.basic((String) reg.get("client_id"), (String) reg.get("client_secret")), "grant_type=client_credentials");
                            if (t2.statusCode() != 200) return "token " + n + ": " + t2.statusCode() + " " + t2.body();
                        }
                        return "ok";
                    }));
                }
                for (Future<String> f : outcomes) assertEquals("ok", f.get());
            } finally {
                clients.shutdownNow();
            }
            assertEquals(201, TestServer.postJson(register, largeMetadata(CLIENTS)).statusCode(), "registration still works");
            HttpResponse<String> health = TestServer.get(child.url("/health"));
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(Map.of("status", "UP", "database", "UP"), TestServer.json(health));
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
        }
    }
}
