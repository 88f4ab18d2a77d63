package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import clavis.config.Config;
import clavis.http.RecordedRequest;

/**
 * Faults on demand (item 4 of the test-double issue): for the next N requests to an endpoint or from a client, an
 * error answer, a delayed answer that holds no thread, or a closed connection; then back to normal.
 */
class FaultsTest {
    private static Clavis start(String... extra) {
        var b = Config.builder().authorizationServer("myAS", "a");
        for (int i = 0; i < extra.length; i += 2) b.set(extra[i], extra[i + 1]);
        return Clavis.start(b.build());
    }

    private static HttpRequest tokenRequest(Clavis server, Clavis.RegisteredClient c) {
        return HttpRequest.newBuilder(URI.create(server.tokenEndpoint("myAS"))).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", TestServer.basic(c.clientId(), c.clientSecret()))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
    }

    private static HttpResponse<String> token(Clavis server, Clavis.RegisteredClient c) {
        return TestServer.send(tokenRequest(server, c));
    }

    @Test
    void theNextNTokenRequestsGetTheStatusAndErrorAskedForThenNormalAnswersAgain() {
        try (Clavis server = start()) {
            Clavis.RegisteredClient c = server.registerClient("myAS", null);
            server.faults().on("token").times(2).respond(503, "temporarily_unavailable");
            assertEquals(2, server.faults().pending());
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = token(server, c);
                assertEquals(503, r.statusCode());
                assertEquals("temporarily_unavailable", TestServer.json(r).get("error"));
                assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
            }
            assertEquals(200, token(server, c).statusCode());
            assertEquals(0, server.faults().pending());
            List<RecordedRequest> recorded = server.requests().all();
            assertEquals(List.of(true, true, false), recorded.stream().map(RecordedRequest::faulted).toList());
            assertEquals(3, server.requests().tokenRequests(c.clientId()), "a client's retries are counted, faulted or not");
            assertEquals("temporarily_unavailable", recorded.get(0).error());
        }
    }

    @Test
    void aFaultForOneClientLeavesTheOthersAloneAndReachesItsEveryEndpoint() {
        try (Clavis server = start()) {
            Clavis.RegisteredClient flaky = server.registerClient("myAS", null);
            Clavis.RegisteredClient fine = server.registerClient("myAS", null);
            server.faults().forClient(flaky.clientId()).times(2).respond(500, "server_error");
            assertEquals(200, token(server, fine).statusCode());
            assertEquals(500, token(server, flaky).statusCode());
            HttpResponse<String> introspection = TestServer.postForm(server.issuer("myAS") + "/introspect",
                    TestServer.basic(flaky.clientId(), flaky.clientSecret()), "token=x");
            assertEquals(500, introspection.statusCode());
            assertEquals(200, token(server, flaky).statusCode());

            server.faults().on("token").forClient(fine.clientId()).respond(429, "slow_down");
            assertEquals(200, token(server, flaky).statusCode());
            assertEquals(429, token(server, fine).statusCode());
        }
    }

    @Test
    void delayedAnswersComeLaterWithoutHoldingAThread() throws Exception {
        // 16 connection threads (the least there can be) and one compute slot: twenty answers that each held a thread
        // for their delay would make every later request wait for one of them.
        try (Clavis server = start("server.connection-threads", "16", "server.threads", "1")) {
            Clavis.RegisteredClient slow = server.registerClient("myAS", null);
            Clavis.RegisteredClient quick = server.registerClient("myAS", null);
            Duration delay = Duration.ofSeconds(3);
            server.faults().on("token").forClient(slow.clientId()).times(20).delay(delay);
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> delayed = new ArrayList<>();
            for (int i = 0; i < 20; i++) delayed.add(TestServer.HTTP.sendAsync(tokenRequest(server, slow), HttpResponse.BodyHandlers.ofString()));
            awaitArrivalOfEveryDelayed(server);
            HttpResponse<String> q = token(server, quick);
            assertEquals(200, q.statusCode());
            assertTrue(delayed.stream().noneMatch(CompletableFuture::isDone), "the quick answer came while every delayed one still waited");
            for (CompletableFuture<HttpResponse<String>> f : delayed) assertEquals(200, f.get().statusCode());
            assertTrue(System.nanoTime() - start >= delay.toNanos(), "answered after the delay");
            RecordedRequest last = server.requests().all().get(server.requests().all().size() - 1);
            assertTrue(last.faulted() && last.status() == 200, last.toString());
        }
    }

    /** Waits until the server has taken every fault: each delayed request has arrived, and its answer waits. */
    private static void awaitArrivalOfEveryDelayed(Clavis server) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.faults().pending() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("the delayed requests did not all arrive");
            Thread.yield();
        }
    }

    @Test
    void aDelayAtOrBeyondTheRequestLimitIsRefusedSinceTheServerWouldCloseFirst() {
        try (Clavis server = start("limits.request-seconds", "3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.faults().on("token").delay(Duration.ofSeconds(3)));
            assertTrue(e.getMessage().contains("limits.request-seconds"), e.getMessage());
            server.faults().on("token").delay(Duration.ofMillis(2999));
            assertEquals(1, server.faults().pending());
        }
    }

    @Test
    void aClosedConnectionGetsNoAnswerAndTheServerGoesOn() throws Exception {
        try (Clavis server = start()) {
            Clavis.RegisteredClient c = server.registerClient("myAS", null);
            server.faults().on("token").closeConnection();
            String body = "grant_type=client_credentials";
            RawHttp.Answer dropped = RawHttp.exchange(server.port(), "POST " + URI.create(server.tokenEndpoint("myAS")).getPath() + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                    + TestServer.basic(c.clientId(), c.clientSecret()) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(-1, dropped.status(), "no status line: " + dropped.text());
            assertEquals("", dropped.text());
            RecordedRequest r = server.requests().all().get(0);
            assertEquals(0, r.status());
            assertTrue(r.faulted());
            assertEquals(200, token(server, c).statusCode(), "back to normal");
            server.faults().on("jwks").closeConnection();
            String jwks = "GET " + URI.create(server.jwksUri("myAS")).getPath() + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
            assertEquals(-1, RawHttp.exchange(server.port(), jwks).status());
            assertEquals(200, RawHttp.exchange(server.port(), jwks).status());
        }
    }

    @Test
    void rulesNameRealEndpointsAndErrorStatusesAndClearRemovesThem() {
        try (Clavis server = start()) {
            assertThrows(IllegalArgumentException.class, () -> server.faults().on("tokens"));
            assertThrows(IllegalArgumentException.class, () -> server.faults().on("token").respond(200, "fine"));
            assertThrows(IllegalArgumentException.class, () -> server.faults().on("token").respond(503, " "));
            assertThrows(IllegalArgumentException.class, () -> server.faults().on("token").times(0));
            assertThrows(IllegalArgumentException.class, () -> server.faults().on("token").delay(Duration.ZERO));
            server.faults().on("token").times(5).respond(503, "temporarily_unavailable");
            server.faults().on("metadata").closeConnection();
            assertEquals(6, server.faults().pending());
            server.faults().clear();
            assertEquals(0, server.faults().pending());
            Clavis.RegisteredClient c = server.registerClient("myAS", null);
            assertEquals(200, token(server, c).statusCode());
            assertFalse(server.requests().all().get(0).faulted());
        }
    }
}
