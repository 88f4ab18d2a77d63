package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import clavis.config.Config;
import clavis.http.RecordedRequest;
import clavis.oauth.ClientAssertions;

/**
 * The requests an embedded server answered, kept for its tests (item 3 of the test-double issue): what each was,
 * counted per client, taken one by one with a timeout, bounded, cleared, and never a secret in clear.
 */
class RecordedRequestsTest {
    private static Clavis start(String... extra) {
        var b = Config.builder().authorizationServer("myAS", "orders.read orders.write");
        for (int i = 0; i < extra.length; i += 2) b.set(extra[i], extra[i + 1]);
        return Clavis.start(b.build());
    }

    private static HttpResponse<String> token(Clavis server, Clavis.RegisteredClient c) {
        return TestServer.postForm(server.tokenEndpoint("myAS"), TestServer.basic(c.clientId(), c.clientSecret()), "grant_type=client_credentials");
    }

    @Test
    void aTestCountsTheTokenRequestsOfAClientToCheckThatItCaches() {
        try (Clavis server = start()) {
            Clavis.RegisteredClient cached = server.registerClient("myAS", null);
            Clavis.RegisteredClient other = server.registerClient("myAS", null);
            String[] cache = new String[1];
            Supplier<String> cachingClient = () -> cache[0] != null ? cache[0]
                    : (cache[0] = TestServer.json(token(server, cached)).get("access_token").toString());
            for (int i = 0; i < 3; i++) cachingClient.get();
            for (int i = 0; i < 2; i++) token(server, other); // a client that does not cache
            assertEquals(1, server.requests().tokenRequests(cached.clientId()));
            assertEquals(2, server.requests().tokenRequests(other.clientId()));
            assertEquals(3, server.requests().count(RecordedRequest::isTokenRequest));
        }
    }

    @Test
    void eachRecordSaysWhatTheRequestWasAndHowItWasAnswered() {
        TestClock clock = new TestClock();
        try (Clavis server = Clavis.start(Config.builder().authorizationServer("myAS", "orders.read").clock(clock).build())) {
            Clavis.RegisteredClient c = server.registerClient("myAS", null, "client_secret_post");
            HttpResponse<String> ok = TestServer.postForm(server.tokenEndpoint("myAS"), null,
                    "grant_type=client_credentials&scope=orders.read&client_id=" + c.clientId() + "&client_secret=" + c.clientSecret());
            assertEquals(200, ok.statusCode());
            RecordedRequest r = server.requests().next(Duration.ZERO).orElseThrow();
            assertEquals("POST", r.method());
            assertEquals(URI.create(server.tokenEndpoint("myAS")).getPath(), r.path());
            assertEquals("token", r.endpoint());
            assertEquals("myAS", r.authorizationServer());
            assertEquals(Map.of("grant_type", "client_credentials", "scope", "orders.read", "client_id", c.clientId(), "client_secret", "****"),
                    r.parameters());
            assertEquals(c.clientId(), r.clientId());
            assertTrue(r.authenticated());
            assertEquals(200, r.status());
            assertNull(r.error());
            assertFalse(r.faulted());
            assertEquals(clock.instant(), r.at(), "answered at the configuration's clock's time");

            TestServer.postForm(server.tokenEndpoint("myAS"), TestServer.basic(c.clientId(), "wrong"), "grant_type=client_credentials");
            RecordedRequest refused = server.requests().next(Duration.ZERO).orElseThrow();
            assertEquals(401, refused.status());
            assertEquals("invalid_client", refused.error());
            assertEquals(c.clientId(), refused.clientId(), "the client it claimed to be");
            assertFalse(refused.authenticated());

            TestServer.get(server.jwksUri("myAS"));
            RecordedRequest jwks = server.requests().next(Duration.ZERO).orElseThrow();
            assertEquals("jwks", jwks.endpoint());
            assertEquals(Map.of(), jwks.parameters());
            assertNull(jwks.clientId());
            assertEquals(refused.sequence() + 1, jwks.sequence());
        }
    }

    @Test
    void noSecretAssertionTokenProofOrAuthorizationHeaderIsKeptInClearAndValuesAreBounded() {
        try (Clavis server = start()) {
            Clavis.RegisteredClient basic = server.registerClient("myAS", null);
            Clavis.RegisteredClient post = server.registerClient("myAS", null, "client_secret_post");
            Jose.Key key = Jose.generate("ES256");
            Clavis.RegisteredClient keyed = server.registerClientWithMetadata("myAS", Map.of("token_endpoint_auth_method", "private_key_jwt",
                    "jwks", Map.of("keys", List.of(key.jwk()))));
            String token = TestServer.json(token(server, basic)).get("access_token").toString();
            TestServer.postForm(server.tokenEndpoint("myAS"), null, "grant_type=client_credentials&client_id=" + post.clientId()
                    + "&client_secret=" + post.clientSecret());
            String assertion = Jose.sign(key, Map.of(), Jose.assertionClaims(keyed.clientId(), server.tokenEndpoint("myAS")));
            TestServer.postForm(server.tokenEndpoint("myAS"), null, "grant_type=client_credentials&client_assertion_type="
                    + URLEncoder.encode(ClientAssertions.JWT_BEARER, StandardCharsets.UTF_8) + "&client_assertion=" + assertion);
            String proof = Jose.dpopProof(Jose.generate("EdDSA"), "POST", server.tokenEndpoint("myAS"));
            TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint("myAS"))).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", TestServer.basic(basic.clientId(), basic.clientSecret())).header("DPoP", proof)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            TestServer.postForm(server.issuer("myAS") + "/introspect", TestServer.basic(basic.clientId(), basic.clientSecret()),
                    "token=" + token + "&token_type_hint=access_token");
            TestServer.postForm(server.issuer("myAS") + "/revoke", TestServer.basic(basic.clientId(), basic.clientSecret()), "token=" + token);
            String unsignedStatement = Jose.b64("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "." + Jose.b64("{\"software_id\":\"x\"}"
                    .getBytes(StandardCharsets.UTF_8)) + ".c2ln";
            TestServer.postJson(server.registrationEndpoint("myAS"), "{\"client_name\":\"" + "n".repeat(1000) + "\",\"software_statement\":\""
                    + unsignedStatement + "\",\"client_secret\":\"chosen-secret-value\"}");
            TestServer.postForm(server.tokenEndpoint("myAS"), null, "grant_type=password&username=u&password=hunter2-password&client_id=x&client_secret=y");

            String all = server.requests().toString();
            assertEquals(8, server.requests().all().size(), all);
            for (String secret : List.of(basic.clientSecret(), post.clientSecret(), assertion, proof, token, unsignedStatement, "chosen-secret-value",
                    "hunter2-password", TestServer.basic(basic.clientId(), basic.clientSecret()).substring(6))) {
                assertFalse(all.contains(secret), "kept in clear: " + secret);
            }
            RecordedRequest registration = server.requests().all().get(6);
            assertEquals("register", registration.endpoint());
            assertEquals("****", registration.parameter("software_statement"));
            assertEquals(256 + 3, registration.parameter("client_name").length(), "values are cut");
            assertEquals("access_token", server.requests().all().get(4).parameter("token_type_hint"));
        }
    }

    @Test
    void nextWaitsForTheNextAnswerAndIsEmptyWhenNoneComes() throws Exception {
        try (Clavis server = start()) {
            Clavis.RegisteredClient c = server.registerClient("myAS", null);
            assertTrue(server.requests().next(Duration.ofMillis(50)).isEmpty());
            CompletableFuture<HttpResponse<String>> later = TestServer.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.tokenEndpoint("myAS")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", TestServer.basic(c.clientId(), c.clientSecret()))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            RecordedRequest r = server.requests().next(Duration.ofSeconds(10)).orElseThrow();
            assertEquals(c.clientId(), r.clientId());
            assertEquals(200, later.get().statusCode());
            assertTrue(server.requests().next(Duration.ZERO).isEmpty(), "each request is taken once");
        }
    }

    @Test
    void theRecordKeepsTheLastNAndClearForgetsThem() {
        try (Clavis server = start("server.record-requests", "3")) {
            for (int i = 0; i < 5; i++) TestServer.get(server.jwksUri("myAS"));
            List<RecordedRequest> kept = server.requests().all();
            assertEquals(List.of(3L, 4L, 5L), kept.stream().map(RecordedRequest::sequence).toList());
            assertEquals(3, server.requests().next(Duration.ZERO).orElseThrow().sequence(), "past the dropped ones, the oldest kept");
            server.requests().clear();
            assertEquals(List.of(), server.requests().all());
            assertTrue(server.requests().next(Duration.ZERO).isEmpty());
            TestServer.get(server.jwksUri("myAS"));
            assertEquals(6, server.requests().next(Duration.ZERO).orElseThrow().sequence());
        }
    }

    @Test
    void recordingIsOffOutsideEmbeddedUseUnlessConfigured() {
        try (Clavis server = Clavis.start(Config.fromProperties(Map.of("server.port", "0", "store.url", "jdbc:sqlite::memory:", "as.myAS.scopes", "a")))) {
            TestServer.get(server.jwksUri("myAS"));
            assertFalse(server.requests().enabled());
            assertEquals(List.of(), server.requests().all());
            assertThrows(IllegalStateException.class, () -> server.requests().next(Duration.ZERO));
        }
        try (Clavis server = Clavis.start(Config.fromProperties(Map.of("server.port", "0", "store.url", "jdbc:sqlite::memory:", "as.myAS.scopes", "a",
                "server.record-requests", "10")))) {
            TestServer.get(server.jwksUri("myAS"));
            assertEquals(1, server.requests().all().size());
        }
        try (Clavis server = start()) {
            assertTrue(server.requests().enabled(), "Config.builder() records by default");
        }
    }
}
