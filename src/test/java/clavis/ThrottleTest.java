package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brute force: failures throttled per client_id and per address, bounded in time, and nobody else slowed. */
class ThrottleTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> token(TestServer server, String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials");
    }

    @Test
    void clientThrottlingStartsHoldsAndLiftsAndSparesOtherClients() throws Exception {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "3", "throttle.window-seconds", "2",
                "throttle.address-failures", "1000")) {
            String[] victim = server.registerClient();
            String[] other = server.registerClient();
            for (int i = 0; i < 3; i++) assertEquals(401, token(server, victim[0], "wrong").statusCode());

            HttpResponse<String> held = token(server, victim[0], victim[1]);
            assertEquals(429, held.statusCode(), "even the right secret waits out the window");
            assertEquals("temporarily_unavailable", TestServer.json(held).get("error"));
            int retryAfter = Integer.parseInt(held.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            assertEquals(429, token(server, victim[0], "wrong").statusCode());

            assertEquals(200, token(server, other[0], other[1]).statusCode(), "another client is not slowed");

            Thread.sleep(retryAfter * 1000L + 100);
            assertEquals(200, token(server, victim[0], victim[1]).statusCode(), "lifted once the window has passed");
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

            String body = "grant_type=client_credentials";
            String path = URI.create(server.tokenEndpoint()).getPath();
            RawHttp.Answer fromElsewhere = RawHttp.exchange(server.clavis.port(), "127.0.0.2", ("POST " + path + " HTTP/1.1\r\n"
                    + "Host: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                    + TestServer.basic(client[0], client[1]) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes());
            assertEquals(200, fromElsewhere.status(), fromElsewhere.text());
        }
    }
}
