package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/**
 * Who may call the admin API: access tokens of the admin authorization server with the admin scope, checked as
 * introspection checks them, with the proof a bound token needs. Every refusal is 401 (403 for a missing scope) with
 * a {@code WWW-Authenticate} challenge and a JSON error, and the server answers afterwards.
 */
class AdminAccessTest {
    @TempDir
    Path dir;

    private static void assertRefused(HttpResponse<String> r, int status, String error, String challenge) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, TestServer.json(r).get("error"), r.body());
        String header = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(header.startsWith(challenge), header);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    private static HttpResponse<String> keys(TestServer server, String authorization, String... dpop) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(Paths.ADMIN + "/keys"))).GET();
        if (authorization != null) b.header("Authorization", authorization);
        for (String proof : dpop) b.header("DPoP", proof);
        return TestServer.send(b.build());
    }

    @Test
    void theAdminApiIsOffUnlessConfigured() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> r = AdminCalls.call(server, "GET", "/keys", "anything", null);
            assertEquals(404, r.statusCode());
            assertEquals("not_found", TestServer.json(r).get("error"));
        }
    }

    @Test
    void anOperatorsTokenWithTheAdminScopeMayCall() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings())) {
            HttpResponse<String> r = keys(server, "Bearer " + AdminCalls.operatorToken(server));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        }
    }

    @Test
    void noTokenABadTokenAndAnotherServersTokenAre401() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.other.scopes", "x clavis:admin",
                "as.other.client.otherops.secret", "another-operator-secret", "as.other.client.otherops.scope", "clavis:admin"))) {
            assertRefused(keys(server, null), 401, "invalid_token", "Bearer");
            assertRefused(keys(server, "Bearer"), 401, "invalid_token", "Bearer");
            assertRefused(keys(server, "Bearer not-a-jwt"), 401, "invalid_token", "Bearer");
            assertRefused(keys(server, "Basic " + java.util.Base64.getEncoder().encodeToString("ops:x".getBytes())), 401, "invalid_token", "Bearer");
            String token = AdminCalls.operatorToken(server);
            String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
            assertRefused(keys(server, "Bearer " + tampered), 401, "invalid_token", "Bearer");
            // a token with the admin scope, signed by this process, but issued by another authorization server
            Map<String, Object> other = TestServer.json(TestServer.postForm(server.url(Paths.TOKEN, "other"),
                    TestServer.basic("otherops", "another-operator-secret"), "grant_type=client_credentials"));
            assertEquals("clavis:admin", other.get("scope"));
            assertRefused(keys(server, "Bearer " + other.get("access_token")), 401, "invalid_token", "Bearer");
            server.assertAlive();
        }
    }

    @Test
    void aTokenWithoutTheAdminScopeIs403InsufficientScope() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.client.ops2.secret", "ops2-secret-long-enough",
                "as.myAS.client.ops2.scope", "client-scope clavis:admin"))) {
            String[] client = server.registerClient();
            assertRefused(keys(server, "Bearer " + server.token(client[0], client[1]).get("access_token")), 403, "insufficient_scope",
                    "Bearer error=\"insufficient_scope\"");
            // the operator's client asking for a narrower scope gets a token that cannot administer
            Map<String, Object> narrow = TestServer.json(TestServer.postForm(server.tokenEndpoint(), TestServer.basic("ops2", "ops2-secret-long-enough"),
                    "grant_type=client_credentials&scope=client-scope"));
            assertRefused(keys(server, "Bearer " + narrow.get("access_token")), 403, "insufficient_scope", "Bearer");
            server.assertAlive();
        }
    }

    @Test
    void anExpiredARevokedAndADeletedClientsTokenAre401() {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, AdminCalls.settings("store.cache-seconds", "0",
                "as.myAS.client.ops2.secret", "ops2-secret-long-enough", "as.myAS.client.ops2.scope", "client-scope clavis:admin"))) {
            String expiring = AdminCalls.operatorToken(server);
            clock.advance(Duration.ofSeconds(18_000));
            assertRefused(keys(server, "Bearer " + expiring), 401, "invalid_token", "Bearer");

            String revoked = AdminCalls.operatorToken(server);
            assertEquals(200, keys(server, "Bearer " + revoked).statusCode());
            assertEquals(200, server.revoke(new String[] {AdminCalls.OPERATOR, AdminCalls.OPERATOR_SECRET}, revoked).statusCode());
            assertRefused(keys(server, "Bearer " + revoked), 401, "invalid_token", "Bearer");

            String ofDeleted = (String) server.token("ops2", "ops2-secret-long-enough").get("access_token");
            assertEquals(200, keys(server, "Bearer " + ofDeleted).statusCode());
            AdminCalls.ok(204, server, "DELETE", "/clients/myAS/ops2", AdminCalls.operatorToken(server), null);
            assertRefused(keys(server, "Bearer " + ofDeleted), 401, "invalid_token", "Bearer");
            server.assertAlive();
        }
    }

    /** A DPoP proof (RFC 9449 section 4.2) for a resource request: htm, htu and ath, the SHA-256 of the token. */
    private static String resourceProof(Jose.Key key, String method, String url, String accessToken) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("jwk", Jose.jwk(key.pair().getPublic()));
        Map<String, Object> claims = Jose.dpopClaims(method, url);
        if (accessToken != null) {
            claims.put("ath", Jose.b64(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        return Jose.sign(key, header, claims);
    }

    @Test
    void aDpopBoundTokenNeedsTheDpopSchemeAndAProofOfThisRequestByItsKey() throws Exception {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings())) {
            // an operator's client whose tokens must be DPoP-bound, made through the admin API itself
            Map<String, Object> created = AdminCalls.ok(201, server, "POST", "/clients/myAS", AdminCalls.operatorToken(server),
                    "{\"client_name\":\"bound admin\",\"scope\":\"clavis:admin\",\"dpop_bound_access_tokens\":true}");
            String id = (String) created.get("client_id");
            String secret = (String) created.get("client_secret");
            Jose.Key key = Jose.generate("ES256");
            HttpResponse<String> tokenResponse = TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", TestServer.basic(id, secret))
                    .header("DPoP", Jose.dpopProof(key, "POST", server.clavis.tokenEndpoint("myAS")))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
            String token = (String) TestServer.json(tokenResponse).get("access_token");
            String url = server.clavis.baseUri() + Paths.ADMIN + "/keys";

            assertEquals(200, keys(server, "DPoP " + token, resourceProof(key, "GET", url, token)).statusCode(), "with its proof");
            assertRefused(keys(server, "Bearer " + token), 401, "invalid_token", "Bearer");
            assertRefused(keys(server, "Bearer " + token, resourceProof(key, "GET", url, token)), 401, "invalid_token", "Bearer");
            assertRefused(keys(server, "DPoP " + token), 401, "invalid_dpop_proof", "DPoP error=\"invalid_dpop_proof\"");
            assertRefused(keys(server, "DPoP " + token, resourceProof(Jose.generate("ES256"), "GET", url, token)), 401, "invalid_dpop_proof", "DPoP");
            assertRefused(keys(server, "DPoP " + token, resourceProof(key, "GET", url, null)), 401, "invalid_dpop_proof", "DPoP");
            assertRefused(keys(server, "DPoP " + token, resourceProof(key, "GET", url, "another token")), 401, "invalid_dpop_proof", "DPoP");
            assertRefused(keys(server, "DPoP " + token, resourceProof(key, "POST", url, token)), 401, "invalid_dpop_proof", "DPoP");
            assertRefused(keys(server, "DPoP " + token, resourceProof(key, "GET", url + "/other", token)), 401, "invalid_dpop_proof", "DPoP");
            String once = resourceProof(key, "GET", url, token);
            assertEquals(200, keys(server, "DPoP " + token, once).statusCode());
            assertRefused(keys(server, "DPoP " + token, once), 401, "invalid_dpop_proof", "DPoP");
            // and a plain token may not pose as a DPoP one
            assertRefused(keys(server, "DPoP " + AdminCalls.operatorToken(server), resourceProof(key, "GET", url, token)), 401,
                    "invalid_token", "Bearer");
            server.assertAlive();
        }
    }

    @Test
    void aTokenForAnApiIsNotForTheAdminApi() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.api.admin.uri", "https://api.example.com",
                "as.myAS.api.admin.scopes", "clavis:admin"))) {
            Map<String, Object> forApi = TestServer.json(TestServer.postForm(server.tokenEndpoint(),
                    TestServer.basic(AdminCalls.OPERATOR, AdminCalls.OPERATOR_SECRET), "grant_type=client_credentials&resource=https://api.example.com"));
            assertEquals("clavis:admin", forApi.get("scope"), forApi.toString());
            assertRefused(keys(server, "Bearer " + forApi.get("access_token")), 401, "invalid_token", "Bearer");
        }
    }

    @Test
    void refusedCallsAreThrottledPerAddressLikeFailedAuthentications() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("throttle.client-failures", "3"))) {
            for (int i = 0; i < 3; i++) assertRefused(keys(server, "Bearer nope-" + i), 401, "invalid_token", "Bearer");
            HttpResponse<String> throttled = keys(server, "Bearer " + AdminCalls.operatorToken(server));
            assertEquals(429, throttled.statusCode(), throttled.body());
            assertTrue(throttled.headers().firstValue("Retry-After").isPresent());
            server.assertAlive();
        }
    }
}
