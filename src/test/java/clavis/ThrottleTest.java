package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * Brute force: failures throttled per client and source address, and per address; other clients and addresses are
 * not slowed, and checks in flight count against the allowance. How a hold lifts with time is tested with a clock
 * in FailureThrottleTest.
 */
class ThrottleTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> token(TestServer server, String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials");
    }

    /** A token request with Basic credentials sent from {@code localAddress}, a loopback address of this host. */
    private static RawHttp.Answer tokenFrom(TestServer server, String localAddress, String id, String secret) throws Exception {
        String body = "grant_type=client_credentials";
        String path = URI.create(server.tokenEndpoint()).getPath();
        return RawHttp.exchange(server.clavis.port(), localAddress, ("POST " + path + " HTTP/1.1\r\n"
                + "Host: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                + TestServer.basic(id, secret) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void clientThrottlingStartsHoldsAndSparesOtherClients() {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "3", "throttle.window-seconds", "2",
                "throttle.address-failures", "1000")) {
            String[] victim = server.registerClient();
            String[] other = server.registerClient();
            for (int i = 0; i < 3; i++) assertEquals(401, token(server, victim[0], "wrong").statusCode());

            HttpResponse<String> held = token(server, victim[0], victim[1]);
            assertEquals(429, held.statusCode(), "even the right secret waits out the window, from the failing address");
            assertEquals("temporarily_unavailable", TestServer.json(held).get("error"));
            int retryAfter = Integer.parseInt(held.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            assertEquals(429, token(server, victim[0], "wrong").statusCode());

            assertEquals(200, token(server, other[0], other[1]).statusCode(), "another client is not slowed");
        }
    }

    @Test
    void failingForAClientFromOneAddressDoesNotLockItOutAtAnother() throws Exception {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "3", "throttle.address-failures", "1000")) {
            String[] client = server.registerClient();
            for (int i = 0; i < 3; i++) assertEquals(401, tokenFrom(server, "127.0.0.1", client[0], "wrong").status());
            assertEquals(429, tokenFrom(server, "127.0.0.1", client[0], client[1]).status(), "held where it failed");

            RawHttp.Answer elsewhere = tokenFrom(server, "127.0.0.2", client[0], client[1]);
            assertEquals(200, elsewhere.status(), "the client itself, from its own address, is not locked out: " + elsewhere.text());
            server.assertAlive();
        }
    }

    /**
     * Go's golang.org/x/oauth2, by default, sends the secret by Basic first and then in the body, once per process:
     * a client_secret_post client started again and again from one address. Its right secret by the wrong method is
     * refused but guesses nothing, so it is not held back; a wrong secret by either method still is.
     */
    @Test
    void theRightSecretByAnotherMethodIsRefusedButNotThrottled() {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "3", "throttle.address-failures", "1000")) {
            Map<String, Object> reg = server.register("{\"client_name\":\"go\",\"token_endpoint_auth_method\":\"client_secret_post\"}");
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");
            String body = "grant_type=client_credentials&client_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
            for (int process = 0; process < 6; process++) {
                HttpResponse<String> byHeader = token(server, id, secret);
                assertEquals(401, byHeader.statusCode(), "the registered method is enforced");
                assertEquals("invalid_client", TestServer.json(byHeader).get("error"));
                HttpResponse<String> inBody = TestServer.postForm(server.tokenEndpoint(), null, body);
                assertEquals(200, inBody.statusCode(), "start " + process + ": " + inBody.body());
            }
            assertEquals(6, server.authenticationFailures("wrong_method"));

            for (int i = 0; i < 3; i++) assertEquals(401, token(server, id, "wrong").statusCode());
            assertEquals(429, TestServer.postForm(server.tokenEndpoint(), null, body).statusCode(), "guessing is still held back");
        }
    }

    @Test
    void unknownClientsAreThrottledLikeKnownOnes() {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "2", "throttle.address-failures", "1000")) {
            for (int i = 0; i < 2; i++) assertEquals(401, token(server, "nobody", "x").statusCode());
            assertEquals(429, token(server, "nobody", "x").statusCode());
        }
    }

    @Test
    void addressThrottlingSparesOtherAddresses() throws Exception {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "1000", "throttle.address-failures", "5")) {
            String[] client = server.registerClient();
            for (int i = 0; i < 5; i++) assertEquals(401, token(server, "guess-" + i, "x").statusCode());
            assertEquals(429, token(server, client[0], client[1]).statusCode(), "this address is held");

            RawHttp.Answer fromElsewhere = tokenFrom(server, "127.0.0.2", client[0], client[1]);
            assertEquals(200, fromElsewhere.status(), fromElsewhere.text());
        }
    }

    /**
     * After one failure, with an allowance of three, five concurrent attempts: two may be in flight (each held by
     * a jwks_uri that answers only when the test says so), the other three are refused at once, and once the two
     * fail the client is held. Without counting checks in flight, all five would run their signature check.
     */
    @Test
    void failingChecksInFlightBeyondTheAllowanceAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService jwksThreads = Executors.newCachedThreadPool();
        jwksServer.setExecutor(jwksThreads);
        jwksServer.createContext("/jwks", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = Jose.generate("ES256").jwks().getBytes(StandardCharsets.UTF_8); // not the client's key
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "3", "throttle.address-failures", "1000",
                "server.threads", "16", "fetch.allowed-hosts", "127.0.0.1")) {
            String uri = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
            String id = (String) server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + uri + "\"}").get("client_id");
            Jose.Key key = Jose.generate("ES256");
            String audience = server.clavis.tokenEndpoint(TestServer.AS);

            Map<String, Object> wrongAudience = Jose.assertionClaims(id, "https://elsewhere.example/token");
            assertEquals(401, assertionRequest(server, Jose.sign(key, Map.of(), wrongAudience)).join().statusCode(), "the first failure");

            CountDownLatch refusals = new CountDownLatch(3);
            List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                attempts.add(assertionRequest(server, Jose.sign(key, Map.of(), Jose.assertionClaims(id, audience))).whenComplete((r, e) -> {
                    if (r != null && r.statusCode() == 429) refusals.countDown();
                }));
            }
            assertTrue(refusals.await(10, TimeUnit.SECONDS), "three attempts refused while two are in flight");
            release.countDown();
            List<Integer> statuses = attempts.stream().map(f -> f.join().statusCode()).sorted().toList();
            assertEquals(List.of(401, 401, 429, 429, 429), statuses);
            assertEquals(429, assertionRequest(server, Jose.sign(key, Map.of(), Jose.assertionClaims(id, audience))).join().statusCode(),
                    "three failures: held");
            server.assertAlive();
        } finally {
            release.countDown();
            jwksServer.stop(0);
            jwksThreads.shutdownNow();
        }
    }

    private static CompletableFuture<HttpResponse<String>> assertionRequest(TestServer server, String assertion) {
        String form = "grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8) + "&client_assertion=" + assertion;
        return TestServer.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
