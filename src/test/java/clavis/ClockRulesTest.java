package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.oauth.ClientAssertions;
import clavis.oauth.DpopProofs;

/**
 * Every time-based rule follows the configuration's clock (item 2 of the test-double issue), so a test moves a
 * {@link TestClock} instead of sleeping: one test per rule, each over real HTTP.
 */
class ClockRulesTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2031-06-01T12:00:00Z"));

    private static String kid(String jwt) {
        return (String) JwtVerifier.decodePart(jwt.split("\\.")[0]).get("kid");
    }

    private static Map<String, Object> claims(String jwt) {
        return JwtVerifier.decodePart(jwt.split("\\.")[1]);
    }

    @Test
    void tokenIatAndExpAreTheClocks() {
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.token-lifetime", "120")) {
            String[] client = server.registerClient();
            clock.advance(Duration.ofDays(3));
            Map<String, Object> c = claims((String) server.token(client[0], client[1]).get("access_token"));
            assertEquals(clock.instant().getEpochSecond(), ((Number) c.get("iat")).longValue());
            assertEquals(clock.instant().getEpochSecond() + 120, ((Number) c.get("exp")).longValue());
        }
    }

    @Test
    void introspectionSaysInactiveOnceTheClockPassesExp() {
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.token-lifetime", "60")) {
            String[] client = server.registerClient();
            String token = (String) server.token(client[0], client[1]).get("access_token");
            clock.advance(Duration.ofSeconds(59));
            assertEquals(true, server.introspect(client, token).get("active"));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(false, server.introspect(client, token).get("active"));
        }
    }

    @Test
    void aSecretExpiresByTheClock() {
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.secret-lifetime", "3600")) {
            String[] client = server.registerClient();
            clock.advance(Duration.ofSeconds(3599));
            server.token(client[0], client[1]);
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], client[1]), "grant_type=client_credentials");
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("invalid_client", TestServer.json(r).get("error"));
        }
    }

    @Test
    void anInitialAccessTokenExpiresByTheClock() {
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.registration", "initial-access-token")) {
            String token;
            try (Administration admin = Clavis.administration(clavis.config.Config.fromProperties(server.properties).withClock(clock))) {
                token = admin.service().createInitialAccessToken(clavis.oauth.Actor.commandLine(), "myAS", 600, -1).value();
            }
            clock.advance(Duration.ofSeconds(599));
            assertEquals(201, TestServer.withBearer("POST", server.registrationEndpoint(), token, "{}").statusCode());
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> r = TestServer.withBearer("POST", server.registrationEndpoint(), token, "{}");
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("invalid_token", TestServer.json(r).get("error"));
        }
    }

    @Test
    void aClientAssertionIsJudgedByTheClock() {
        try (TestServer server = TestServer.start(dir, clock)) {
            Jose.Key key = Jose.generate("ES256");
            Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}");
            String id = (String) reg.get("client_id");
            long now = clock.instant().getEpochSecond();
            assertEquals(200, withAssertion(server, Jose.sign(key, Map.of(), Jose.assertionClaims(id, server.tokenEndpoint(), now))).statusCode(),
                    "an assertion made at the clock's time is accepted though the wall clock is years away");
            Map<String, Object> made = Jose.assertionClaims(id, server.tokenEndpoint(), now);
            clock.advance(Duration.ofMinutes(5));
            HttpResponse<String> r = withAssertion(server, Jose.sign(key, Map.of(), made));
            assertEquals(401, r.statusCode(), "expired by the moved clock: " + r.body());
            assertEquals(1, server.authenticationFailures("expired"));
        }
    }

    private static HttpResponse<String> withAssertion(TestServer server, String assertion) {
        return TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode(ClientAssertions.JWT_BEARER, StandardCharsets.UTF_8) + "&client_assertion=" + assertion);
    }

    @Test
    void aDpopProofIsJudgedByTheClock() {
        try (TestServer server = TestServer.start(dir, clock)) {
            String[] client = server.registerClient();
            Jose.Key key = Jose.generate("EdDSA");
            String url = server.clavis.tokenEndpoint(TestServer.AS);
            long now = clock.instant().getEpochSecond();
            assertEquals(200, withProof(server, client, proof(key, url, now)).statusCode());
            String made = proof(key, url, now);
            clock.advance(Duration.ofSeconds(DpopProofs.MAX_AGE_SECONDS + 31));
            HttpResponse<String> r = withProof(server, client, made);
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("invalid_dpop_proof", TestServer.json(r).get("error"));
        }
    }

    private static String proof(Jose.Key key, String url, long iat) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("jwk", Jose.jwk(key.pair().getPublic()));
        Map<String, Object> claims = Jose.dpopClaims("POST", url);
        claims.put("iat", iat);
        return Jose.sign(key, header, claims);
    }

    private static HttpResponse<String> withProof(TestServer server, String[] client, String proof) {
        return TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint())).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", TestServer.basic(client[0], client[1])).header("DPoP", proof)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    @Test
    void aRotationTheClockMadeDueIsSeenAtRefreshKeysWithoutWaiting() {
        // cache-seconds=60: the background refresh does not run during the test, so only refreshKeys() can rotate.
        try (TestServer server = TestServer.start(dir, clock, "as.myAS.key-rotation-seconds", "600", "store.cache-seconds", "60")) {
            String[] client = server.registerClient();
            String first = kid((String) server.token(client[0], client[1]).get("access_token"));
            clock.advance(Duration.ofSeconds(599));
            server.clavis.refreshKeys();
            assertEquals(first, kid((String) server.token(client[0], client[1]).get("access_token")), "not due yet");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(first, kid((String) server.token(client[0], client[1]).get("access_token")), "due, but not yet refreshed");
            server.clavis.refreshKeys();
            String second = kid((String) server.token(client[0], client[1]).get("access_token"));
            assertNotEquals(first, second, "rotated at the age the clock says");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> keys = (List<Map<String, Object>>) TestServer.json(TestServer.get(server.clavis.jwksUri(TestServer.AS))).get("keys");
            List<Object> kids = keys.stream().map(k -> k.get("kid")).toList();
            assertTrue(kids.contains(first) && kids.contains(second), "the old key stays published while its tokens live: " + kids);
        }
    }
}
