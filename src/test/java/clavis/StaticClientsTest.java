package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.ConfigException;
import clavis.oauth.Secrets;

/** Clients fixed in the configuration exist from the first start, with plain or hashed secrets. */
class StaticClientsTest {
    @TempDir
    Path dir;

    private static int status(TestServer server, String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode();
    }

    @Test
    void plainAndHashedSecretsWorkFromTheFirstStartAndFollowTheConfiguration() {
        String plain = "service-account-secret-1";
        String hashed = "another-long-random-secret";
        try (TestServer server = TestServer.start(dir, "as.myAS.scopes", "client-scope reports",
                "as.myAS.client.billing.secret", plain, "as.myAS.client.billing.scope", "reports",
                "as.myAS.client.audit.secret-hash", Secrets.hash(hashed),
                "as.myAS.client.audit.auth-method", "client_secret_post")) {
            HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), TestServer.basic("billing", plain), "grant_type=client_credentials");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("reports", TestServer.json(r).get("scope"));
            HttpResponse<String> post = TestServer.postForm(server.tokenEndpoint(), null,
                    "grant_type=client_credentials&client_id=audit&client_secret=" + hashed);
            assertEquals(200, post.statusCode(), post.body());
            assertEquals("client-scope reports", TestServer.json(post).get("scope"), "all of the server's scopes by default");

            server.properties.put("as.myAS.client.billing.secret", "rotated-service-secret");
            server.restart();
            assertEquals(401, status(server, "billing", plain), "the configuration decides the secret at every start");
            assertEquals(200, status(server, "billing", "rotated-service-secret"));
        }
    }

    @Test
    void badStaticClientsAreConfigurationProblems() {
        ConfigException e = assertThrows(ConfigException.class, () -> clavis.config.Config.fromProperties(java.util.Map.of(
                "as.a.scopes", "x",
                "as.a.client.one.secret", "short",
                "as.a.client.two.secret-hash", "md5:abc",
                "as.a.client.three.scope", "x",
                "as.a.client.four.secret", "long-enough-secret-value",
                "as.a.client.four.scope", "y",
                "as.a.client.five.secret", "long-enough-secret-value",
                "as.a.client.five.colour", "blue")));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("as.a.client.one.secret: at least 16"), all);
        assertTrue(all.contains("as.a.client.two.secret-hash"), all);
        assertTrue(all.contains("as.a.client.three.secret: give exactly one"), all);
        assertTrue(all.contains("as.a.client.four.scope"), all);
        assertTrue(all.contains("as.a.client.five.colour: unknown key"), all);
    }

    @Test
    void describeNeverShowsAStaticSecret() {
        var config = clavis.config.Config.fromProperties(java.util.Map.of("as.a.scopes", "x", "as.a.client.svc.secret", "do-not-print-this-secret"));
        assertTrue(config.describe().stream().noneMatch(l -> l.contains("do-not-print-this-secret")));
        assertTrue(config.describe().stream().anyMatch(l -> l.contains("as.a.client.svc")));
    }
}
