package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;
import clavis.json.Json;

/**
 * The audit trail in server.audit-log: one JSON line per change, in the file by the time the change is answered,
 * naming the event, the authorization server, the target, the actor and the source address; never a secret, token
 * or hash. The lines are read back and every event checked.
 */
class AuditTrailTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit.log");
    }

    private List<Map<String, Object>> lines() throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file())) lines.add(Json.parseObject(line.getBytes(StandardCharsets.UTF_8)));
        return lines;
    }

    /** The last line, which must be there already: a change is answered only once its line is written. */
    private Map<String, Object> last(String event) throws Exception {
        List<Map<String, Object>> lines = lines();
        Map<String, Object> line = lines.get(lines.size() - 1);
        assertEquals(event, line.get("event"), line.toString());
        assertTrue(line.get("time") instanceof String t && t.endsWith("Z"), line.toString());
        return line;
    }

    private static void assertLine(Map<String, Object> line, String as, String actor, Object... pairs) {
        assertEquals(as, line.get("as"), line.toString());
        assertEquals(actor, line.get("actor"), line.toString());
        for (int i = 0; i < pairs.length; i += 2) assertEquals(pairs[i + 1], line.get((String) pairs[i]), line.toString());
    }

    @Test
    void everyChangeIsOneLineWithItsActorAndAddressAndNoSecret() throws Exception {
        TestClock clock = new TestClock();
        List<String> secrets = new ArrayList<>(List.of(AdminCalls.OPERATOR_SECRET));
        try (TestServer server = TestServer.start(dir, clock, AdminCalls.settings("server.audit-log", file().toString(),
                "as.gated.scopes", "x", "as.gated.registration", "initial-access-token", "as.gated.key-rotation-seconds", "60",
                "throttle.client-failures", "2", "throttle.registration-burst", "3", "throttle.registrations-per-minute", "1"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
            assertLine(lines().get(0), "myAS", "configuration", "event", "client_registered", "client_id", AdminCalls.OPERATOR);
            String admin = AdminCalls.operatorToken(server);
            secrets.add(admin);
            String me = "admin:" + AdminCalls.OPERATOR;

            // a client registers itself (RFC 7591), then changes and deletes itself (RFC 7592)
            Map<String, Object> reg = server.register("{\"client_name\":\"self-service\"}");
            String id = (String) reg.get("client_id");
            secrets.add((String) reg.get("client_secret"));
            secrets.add((String) reg.get("registration_access_token"));
            assertLine(last("client_registered"), "myAS", "registration", "client_id", id, "address", "127.0.0.1", "dynamic", true);
            String uri = server.registrationEndpoint() + "/" + id;
            HttpResponse<String> updated = TestServer.withBearer("PUT", uri, (String) reg.get("registration_access_token"),
                    "{\"client_id\":\"" + id + "\",\"client_name\":\"renamed\"}");
            assertEquals(200, updated.statusCode(), updated.body());
            String rat = (String) TestServer.json(updated).get("registration_access_token");
            secrets.add(rat);
            assertLine(last("client_updated"), "myAS", "client:" + id, "client_id", id, "address", "127.0.0.1");
            assertEquals(204, TestServer.withBearer("DELETE", uri, rat, null).statusCode());
            assertLine(last("client_deleted"), "myAS", "client:" + id, "client_id", id);

            // an operator through the admin API
            Map<String, Object> created = AdminCalls.ok(201, server, "POST", "/clients/myAS", admin, "{\"client_name\":\"made\"}");
            String made = (String) created.get("client_id");
            secrets.add((String) created.get("client_secret"));
            assertLine(last("client_registered"), "myAS", me, "client_id", made, "address", "127.0.0.1", "dynamic", false);
            AdminCalls.ok(200, server, "PATCH", "/clients/myAS/" + made, admin, "{\"access_token_lifetime\":60}");
            assertLine(last("client_updated"), "myAS", me, "client_id", made, "changed", List.of("access_token_lifetime"));
            Map<String, Object> rotated = AdminCalls.ok(200, server, "POST", "/clients/myAS/" + made + "/secret", admin, "{\"grace_seconds\":30}");
            secrets.add((String) rotated.get("client_secret"));
            assertLine(last("secret_rotated"), "myAS", me, "client_id", made, "grace_seconds", 30,
                    "previous_secret_expires_at", rotated.get("previous_client_secret_expires_at"));
            AdminCalls.ok(204, server, "DELETE", "/clients/myAS/" + made, admin, null);
            assertLine(last("client_deleted"), "myAS", me, "client_id", made);
            String kid = (String) AdminCalls.ok(200, server, "POST", "/keys/myAS/rotate", admin, null).get("kid");
            assertLine(last("key_rotated"), "myAS", me, "kid", kid);

            // initial access tokens: created, used by a registration, deleted
            Map<String, Object> iat = AdminCalls.ok(201, server, "POST", "/initial-access-tokens/gated", admin, "{\"uses\":5}");
            String iatId = (String) iat.get("id");
            secrets.add((String) iat.get("initial_access_token"));
            assertLine(last("initial_access_token_created"), "gated", me, "initial_access_token_id", iatId, "uses", 5);
            HttpResponse<String> gated = TestServer.withBearer("POST", server.url(Paths.REGISTRATION, "gated"), (String) iat.get("initial_access_token"), "{}");
            assertEquals(201, gated.statusCode());
            secrets.add((String) TestServer.json(gated).get("client_secret"));
            secrets.add((String) TestServer.json(gated).get("registration_access_token"));
            List<Map<String, Object>> all = lines();
            assertLine(all.get(all.size() - 2), "gated", "registration", "event", "initial_access_token_used", "initial_access_token_id", iatId);
            assertLine(all.get(all.size() - 1), "gated", "registration", "event", "client_registered", "initial_access_token_id", iatId,
                    "client_id", TestServer.json(gated).get("client_id"));
            AdminCalls.ok(204, server, "DELETE", "/initial-access-tokens/gated/" + iatId, admin, null);
            assertLine(last("initial_access_token_deleted"), "gated", me, "initial_access_token_id", iatId);

            // refusals and throttling (throttle.client-failures=2: the second refused admin call from an address starts it)
            assertEquals(401, AdminCalls.call(server, "GET", "/keys", "forged", null).statusCode());
            assertLine(last("admin_call_refused"), "myAS", "unauthenticated", "reason", "invalid_token", "method", "GET",
                    "path", Paths.ADMIN + "/keys", "address", "127.0.0.1");
            String[] plain = server.registerClient();
            secrets.add(plain[1]);
            assertEquals(403, AdminCalls.call(server, "GET", "/keys", (String) server.token(plain[0], plain[1]).get("access_token"), null).statusCode());
            List<Map<String, Object>> refusals = lines();
            assertLine(refusals.get(refusals.size() - 2), "myAS", "admin:" + plain[0], "event", "admin_call_refused", "reason", "insufficient_scope");
            assertLine(last("throttling_started"), "myAS", "admin:" + plain[0], "reason", "admin_call_refused");
            for (int i = 0; i < 2; i++) {
                TestServer.postForm(server.tokenEndpoint(), TestServer.basic(plain[0], "wrong-" + i), "grant_type=client_credentials");
            }
            assertLine(last("throttling_started"), "myAS", "unauthenticated", "client_id", plain[0], "reason", "failed_client_authentication");
            int registrationsBefore = lines().size();
            while (TestServer.postJson(server.registrationEndpoint(), "{}").statusCode() != 429) {
                assertTrue(lines().size() < registrationsBefore + 10, "the registration rate never started");
            }
            assertLine(last("throttling_started"), "myAS", "registration", "reason", "registration_rate");
            assertEquals(429, TestServer.postJson(server.registrationEndpoint(), "{}").statusCode());
            assertEquals("throttling_started", lines().get(lines().size() - 1).get("event"), "one line when throttling starts, not one per refusal");

            // the automatic rotation, by the server itself
            clock.advance(Duration.ofSeconds(61));
            long deadline = System.nanoTime() + 5_000_000_000L; // the refresher runs every second
            while (lines().stream().noneMatch(l -> "key_rotated".equals(l.get("event")) && "gated".equals(l.get("as")))) {
                assertTrue(System.nanoTime() < deadline, "no automatic rotation within 5 s");
                Thread.onSpinWait();
            }
            assertTrue(lines().stream().anyMatch(l -> "key_rotated".equals(l.get("event")) && "server".equals(l.get("actor"))));
        }

        // an admin command appends to the same file, naming the operating-system user
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"keys", "rotate", "--as", "myAS", "--store.url=jdbc:sqlite:" + dir.resolve("clavis.db"),
                "--server.audit-log=" + file(), "--as.myAS.scopes=client-scope"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertLine(last("key_rotated"), "myAS", "command-line:" + System.getProperty("user.name"), "kid", out.toString(StandardCharsets.UTF_8).trim());

        String text = Files.readString(file());
        for (String secret : secrets) assertFalse(text.contains(secret), "a secret or token in the audit log");
        assertFalse(text.contains("sha256:"), "nor a hash of one");
        Set<String> events = new TreeSet<>();
        for (Map<String, Object> line : lines()) events.add((String) line.get("event"));
        assertEquals(new TreeSet<>(Set.of("client_registered", "client_updated", "client_deleted", "secret_rotated", "key_rotated",
                "initial_access_token_created", "initial_access_token_used", "initial_access_token_deleted", "admin_call_refused",
                "throttling_started")), events);
    }

    @Test
    void withoutAFileTheTrailGoesToTheLoggerAlone() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.registerClient();
            assertFalse(Files.exists(file()));
        }
    }
}
