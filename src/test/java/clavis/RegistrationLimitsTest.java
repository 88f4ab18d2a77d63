package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open registration is bounded: a rate per source address, and a cap on self-registered clients per server. */
class RegistrationLimitsTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> register(TestServer server) {
        return TestServer.postJson(server.registrationEndpoint(), "{\"client_name\":\"x\"}");
    }

    private static RawHttp.Answer registerFrom(TestServer server, String address) throws java.io.IOException {
        String body = "{\"client_name\":\"x\"}";
        String path = URI.create(server.registrationEndpoint()).getPath();
        return RawHttp.exchange(server.clavis.port(), address, ("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes());
    }

    @Test
    void anAddressPastItsBurstIsHeldToTheRateWithRetryAfterAndOthersAreNot() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(dir, clock, "throttle.registration-burst", "3", "throttle.registrations-per-minute", "6")) {
            for (int i = 0; i < 3; i++) assertEquals(201, register(server).statusCode());
            HttpResponse<String> held = register(server);
            assertEquals(429, held.statusCode(), held.body());
            assertEquals("temporarily_unavailable", TestServer.json(held).get("error"));
            assertEquals("10", held.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(201, registerFrom(server, "127.0.0.2").status(), "another address has its own allowance");
            server.assertAlive();
            assertTrue(server.clavis.metrics().contains("clavis_throttled_requests_total{as=\"myAS\"} 1"), server.clavis.metrics());

            clock.advance(Duration.ofSeconds(10));
            assertEquals(201, register(server).statusCode(), "the rate lets one more through after Retry-After");
            assertEquals(429, register(server).statusCode());
        }
    }

    @Test
    void theCapOnSelfRegisteredClientsIsNamedAndOperatorsAreNotCapped() {
        try (TestServer server = TestServer.start(dir, "as.myAS.registration.max-clients", "2",
                "as.myAS.client.static-one.secret", "a-static-secret-of-length")) {
            Map<String, Object> first = server.register("{\"client_name\":\"one\"}");
            server.register("{\"client_name\":\"two\"}");
            HttpResponse<String> capped = register(server);
            assertEquals(400, capped.statusCode());
            Map<String, Object> error = TestServer.json(capped);
            assertEquals("invalid_client_metadata", error.get("error"));
            assertTrue(((String) error.get("error_description")).contains("cap of 2 clients"), capped.body());
            server.assertAlive();

            Clavis.RegisteredClient byOperator = server.clavis.registerClient("myAS", null);
            server.token(byOperator.clientId(), byOperator.clientSecret());
            server.token("static-one", "a-static-secret-of-length");

            HttpResponse<String> deleted = TestServer.withBearer("DELETE", (String) first.get("registration_client_uri"),
                    (String) first.get("registration_access_token"), null);
            assertEquals(204, deleted.statusCode());
            assertEquals(201, register(server).statusCode(), "a deleted client frees its place");
            assertEquals(400, register(server).statusCode());
        }
    }

    @Test
    void theCapSurvivesARestart() {
        try (TestServer server = TestServer.start(dir, "as.myAS.registration.max-clients", "1")) {
            server.register("{\"client_name\":\"one\"}");
            server.restart();
            assertEquals(400, register(server).statusCode());
        }
    }
}
