package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initial access tokens (RFC 7591 section 3) and secret lifetimes. */
class ProtectedRegistrationTest {
    @TempDir
    Path dir;

    private static void assertInvalidToken(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("invalid_token", TestServer.json(r).get("error"));
        assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void registrationNeedsAValidInitialAccessTokenWithUsesLeft() {
        try (TestServer server = TestServer.start(dir, "as.myAS.registration", "initial-access-token")) {
            String token;
            try (Administration admin = Clavis.administration(clavis.config.Config.fromProperties(server.properties))) {
                token = admin.service().createInitialAccessToken(clavis.oauth.Actor.commandLine(), "myAS", 0, 2).value();
            }
            String url = server.registrationEndpoint();
            assertInvalidToken(TestServer.postJson(url, "{}"));
            assertInvalidToken(TestServer.withBearer("POST", url, "wrong", "{}"));
            assertEquals(201, TestServer.withBearer("POST", url, token, "{}").statusCode());
            assertEquals(201, TestServer.withBearer("POST", url, token, "{}").statusCode());
            assertInvalidToken(TestServer.withBearer("POST", url, token, "{}"));
        }
    }

    @Test
    void anInitialAccessTokenExpiresAndBelongsToOneServer() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.registration", "initial-access-token",
                "as.other.scopes", "x", "as.other.registration", "initial-access-token")) {
            String expiring;
            String forOther;
            try (Administration admin = Clavis.administration(clavis.config.Config.fromProperties(server.properties).withClock(clock))) {
                expiring = admin.service().createInitialAccessToken(clavis.oauth.Actor.commandLine(), "myAS", 3, -1).value();
                forOther = admin.service().createInitialAccessToken(clavis.oauth.Actor.commandLine(), "other", 0, -1).value();
            }
            String url = server.registrationEndpoint();
            assertInvalidToken(TestServer.withBearer("POST", url, forOther, "{}"));
            assertEquals(201, TestServer.withBearer("POST", url, expiring, "{}").statusCode());
            clock.advance(java.time.Duration.ofSeconds(2));
            assertEquals(201, TestServer.withBearer("POST", url, expiring, "{}").statusCode(), "still valid in its third second");
            clock.advance(java.time.Duration.ofSeconds(1));
            assertInvalidToken(TestServer.withBearer("POST", url, expiring, "{}"));
        }
    }

    @Test
    void openRegistrationIgnoresABearer() {
        try (TestServer server = TestServer.start(dir)) {
            assertEquals(201, TestServer.withBearer("POST", server.registrationEndpoint(), "anything", "{}").statusCode());
        }
    }

    @Test
    void anExpiredSecretIsInvalidClient() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.secret-lifetime", "1")) {
            var reg = server.register("{}");
            long issued = ((Number) reg.get("client_id_issued_at")).longValue();
            assertEquals(issued + 1, ((Number) reg.get("client_secret_expires_at")).longValue());
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");
            clock.advance(java.time.Duration.ofSeconds(1));
            HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials");
            assertEquals(401, r.statusCode());
            assertEquals("invalid_client", TestServer.json(r).get("error"));
        }
    }
}
