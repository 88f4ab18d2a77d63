package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.oauth.Actor;
import clavis.oauth.AdminService;

/**
 * Secret rotation with overlap: within the grace period the old and the new secret both work, after it only the new
 * one; checked by moving the server's clock. The admin API and the admin command share the implementation.
 */
class SecretRotationTest {
    @TempDir
    Path dir;

    private static int tokenStatus(TestServer server, String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode();
    }

    @Test
    void withAGracePeriodTheOldAndTheNewSecretBothWorkUntilItEnds() {
        TestClock clock = new TestClock();
        // store.cache-seconds=0: the token endpoint reads the client at every request, so each check sees the rotation
        try (TestServer server = TestServer.start(dir, clock, AdminCalls.settings("store.cache-seconds", "0"))) {
            String[] client = server.registerClient();
            String admin = AdminCalls.operatorToken(server);
            long now = clock.instant().getEpochSecond();
            Map<String, Object> rotated = AdminCalls.ok(200, server, "POST", "/clients/myAS/" + client[0] + "/secret", admin,
                    "{\"grace_seconds\":300}");
            String newSecret = (String) rotated.get("client_secret");
            assertNotEquals(client[1], newSecret);
            assertEquals(now + 300, ((Number) rotated.get("previous_client_secret_expires_at")).longValue());

            assertEquals(200, tokenStatus(server, client[0], client[1]), "the old secret inside the grace period");
            assertEquals(200, tokenStatus(server, client[0], newSecret), "the new secret at once");
            clock.advance(Duration.ofSeconds(299));
            assertEquals(200, tokenStatus(server, client[0], client[1]), "the old secret in the grace period's last second");
            Map<String, Object> shown = AdminCalls.ok(200, server, "GET", "/clients/myAS/" + client[0], admin, null);
            assertEquals(now + 300, ((Number) shown.get("previous_client_secret_expires_at")).longValue(), "show says until when");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(401, tokenStatus(server, client[0], client[1]), "the old secret once the grace period has ended");
            assertEquals(200, tokenStatus(server, client[0], newSecret));
            assertEquals(1, server.authenticationFailures("expired_secret"), "counted as an expired secret");
            assertFalse(AdminCalls.ok(200, server, "GET", "/clients/myAS/" + client[0], AdminCalls.operatorToken(server), null)
                    .containsKey("previous_client_secret_expires_at"), "no longer shown once it has ended");
            server.assertAlive();
        }
    }

    @Test
    void withoutAGracePeriodTheOldSecretStopsAtOnce() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("store.cache-seconds", "0"))) {
            String[] client = server.registerClient();
            Map<String, Object> rotated = AdminCalls.ok(200, server, "POST", "/clients/myAS/" + client[0] + "/secret",
                    AdminCalls.operatorToken(server), null);
            assertFalse(rotated.containsKey("previous_client_secret_expires_at"));
            assertEquals(401, tokenStatus(server, client[0], client[1]));
            assertEquals(200, tokenStatus(server, client[0], (String) rotated.get("client_secret")));
        }
    }

    @Test
    void aSecondRotationEndsTheFirstOldSecretAndTheGraceNeverOutlivesTheOldSecretsOwnExpiry() {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, AdminCalls.settings("store.cache-seconds", "0", "as.myAS.secret-lifetime", "100"))) {
            String[] client = server.registerClient();
            String path = "/clients/myAS/" + client[0] + "/secret";
            long now = clock.instant().getEpochSecond();
            Map<String, Object> first = AdminCalls.ok(200, server, "POST", path, AdminCalls.operatorToken(server), "{\"grace_seconds\":3600}");
            assertEquals(now + 100, ((Number) first.get("previous_client_secret_expires_at")).longValue(),
                    "the old secret expired in 100 s anyway: the grace does not extend it");
            String second = (String) AdminCalls.ok(200, server, "POST", path, AdminCalls.operatorToken(server), "{\"grace_seconds\":60}")
                    .get("client_secret");
            assertEquals(401, tokenStatus(server, client[0], client[1]), "only the two newest secrets ever work");
            assertEquals(200, tokenStatus(server, client[0], (String) first.get("client_secret")), "the one replaced just now, in its grace");
            assertEquals(200, tokenStatus(server, client[0], second));
        }
    }

    @Test
    void theAdminCommandRotatesWithTheSameRuleAndShowSaysUntilWhen() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, "store.cache-seconds", "0")) {
            String[] client = server.registerClient();
            // the command's own code path, with the server's clock so that the grace can be checked without sleeping
            AdminService.WithSecret rotated;
            try (Administration admin = Clavis.administration(Config.fromProperties(server.properties).withClock(clock))) {
                rotated = admin.service().rotateSecret(Actor.commandLine(), null, client[0], 60).orElseThrow();
            }
            assertEquals(200, tokenStatus(server, client[0], client[1]));
            assertEquals(200, tokenStatus(server, client[0], rotated.secret()));
            clock.advance(Duration.ofSeconds(60));
            assertEquals(401, tokenStatus(server, client[0], client[1]));

            // and the command line itself: --grace, the secret printed once, show naming the previous secret's end
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String store = "--store.url=jdbc:sqlite:" + dir.resolve("clavis.db");
            int code = Main.run(new String[] {"clients", "rotate-secret", client[0], "--grace", "600", store},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8).trim();
            assertEquals(200, tokenStatus(server, client[0], printed));
            assertEquals(200, tokenStatus(server, client[0], rotated.secret()), "the secret it replaced, in its grace period");
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("the previous secret works until"), err.toString(StandardCharsets.UTF_8));
            out.reset();
            assertEquals(0, Main.run(new String[] {"clients", "show", client[0], store}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            String shown = out.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("\"previous_client_secret_expires_at\":"), shown);
            assertFalse(shown.contains(printed) || shown.contains("sha256:"), "never the secret or a hash");
            assertEquals(2, Main.run(new String[] {"clients", "rotate-secret", client[0], "--grace", "soon", store},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(1, Main.run(new String[] {"clients", "rotate-secret", client[0], "--grace", "99999999", store},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                    "a grace longer than 30 days");
        }
    }

    @Test
    void aClientWithoutASecretHasNoneToRotate() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings())) {
            Jose.Key key = Jose.generate("ES256");
            Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}");
            var r = AdminCalls.call(server, "POST", "/clients/myAS/" + reg.get("client_id") + "/secret", AdminCalls.operatorToken(server), null);
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("invalid_request", TestServer.json(r).get("error"));
            server.assertAlive();
        }
    }
}
