package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, metrics, the access log and graceful shutdown. */
class OperationsTest {
    @TempDir
    Path dir;

    private static double metric(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void healthAnswersLivenessAndReadiness() {
        try (TestServer server = TestServer.start(dir)) {
            for (String path : List.of("/health", "/health/ready")) {
                HttpResponse<String> r = TestServer.get(server.url(path));
                assertEquals(200, r.statusCode());
                assertEquals(Map.of("status", "UP", "database", "UP"), TestServer.json(r));
            }
            HttpResponse<String> live = TestServer.get(server.url("/health/live"));
            assertEquals(200, live.statusCode());
            assertEquals(Map.of("status", "UP"), TestServer.json(live));
            assertEquals(405, TestServer.postJson(server.url("/health"), "{}").statusCode());
        }
    }

    @Test
    void metricsChangeWithRequests() throws InterruptedException {
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "2")) {
            String before = TestServer.get(server.url("/metrics")).body();
            String[] client = server.registerClient();
            server.token(client[0], client[1]);
            server.token(client[0], client[1]);
            TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], "wrong"), "grant_type=client_credentials");
            TestServer.postForm(server.tokenEndpoint(), TestServer.basic("nobody", "x"), "grant_type=client_credentials");
            TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], "wrong"), "grant_type=client_credentials");
            TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], "wrong"), "grant_type=client_credentials"); // throttled

            // A request's latency is recorded before its answer leaves: all six token requests are counted by now.
            // It stays in flight until its answer is written, which may be just after the client has read it.
            awaitInFlight(server, 0);
            HttpResponse<String> r = TestServer.get(server.url("/metrics"));
            assertEquals(6, metric(r.body(), "clavis_http_request_duration_seconds_count{endpoint=\"token\"}"));
            assertEquals(1, metric(r.body(), "clavis_http_requests_in_flight"), "the scrape itself");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String after = r.body();
            assertEquals(0, metric(before, "clavis_tokens_issued_total{as=\"myAS\"}"));
            assertEquals(2, metric(after, "clavis_tokens_issued_total{as=\"myAS\"}"));
            assertEquals(1, metric(after, "clavis_registrations_total{as=\"myAS\"}"));
            assertEquals(2, metric(after, "clavis_client_authentication_failures_total{as=\"myAS\",reason=\"wrong_secret\"}"));
            assertEquals(1, metric(after, "clavis_client_authentication_failures_total{as=\"myAS\",reason=\"unknown_client\"}"));
            assertEquals(1, metric(after, "clavis_throttled_requests_total{as=\"myAS\"}"));
            assertEquals(6, metric(after, "clavis_http_request_duration_seconds_count{endpoint=\"token\"}"));
            assertEquals(6, metric(after, "clavis_http_request_duration_seconds_bucket{endpoint=\"token\",le=\"+Inf\"}"));
            assertTrue(metric(after, "clavis_http_request_duration_seconds_sum{endpoint=\"token\"}") > 0);
            assertTrue(after.contains("# TYPE clavis_http_request_duration_seconds histogram"));
            double previous = 0;
            for (String line : after.split("\n")) {
                if (!line.startsWith("clavis_http_request_duration_seconds_bucket{endpoint=\"token\"")) continue;
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                assertTrue(v >= previous, "buckets are cumulative");
                previous = v;
            }
        }
    }

    @Test
    void theAccessLogHasOneLinePerRequestAndNoSecret() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName().equals("clavis.access")) {
                    synchronized (lines) {
                        lines.add(r.getMessage());
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("").setLevel(Level.ALL);
        try (TestServer server = TestServer.start(dir)) {
            Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"client_secret_post\"}");
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");
            HttpResponse<String> ok = TestServer.postForm(server.tokenEndpoint(), null,
                    "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
            String token = (String) TestServer.json(ok).get("access_token");
            TestServer.postForm(server.tokenEndpoint() + "?client_secret=" + secret, null, "grant_type=client_credentials");
            HttpResponse<String> introspected = TestServer.postForm(server.introspectionEndpoint(), null,
                    "token=" + token + "&client_id=" + id + "&client_secret=" + secret);
            assertEquals(200, introspected.statusCode(), introspected.body());
            List<String> snapshot = List.of();
            long deadline = System.currentTimeMillis() + 2000; // a line is written just after its response
            while (System.currentTimeMillis() < deadline) {
                synchronized (lines) {
                    snapshot = List.copyOf(lines);
                }
                if (snapshot.size() >= 4) break;
                Thread.onSpinWait();
            }
            assertTrue(snapshot.size() >= 4, snapshot.toString());
            assertTrue(snapshot.stream().anyMatch(l -> l.startsWith("POST " + URI.create(server.tokenEndpoint()).getPath() + " 200 ")
                    && l.endsWith("client_id=" + id)), snapshot.toString());
            for (String line : snapshot) {
                assertFalse(line.contains(secret), line);
                assertFalse(line.contains(token), line);
                assertFalse(line.contains(token.substring(token.lastIndexOf('.') + 1)), line);
                assertFalse(line.contains((String) reg.get("registration_access_token")), line);
            }
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    @Test
    void aClientIdWithLineBreaksOrTerminalEscapesWritesOneVisibleAccessLogLine() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName().equals("clavis.access")) {
                    synchronized (records) {
                        records.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger access = Logger.getLogger("clavis.access");
        Level level = access.getLevel();
        access.addHandler(capture);
        access.setLevel(Level.INFO);
        String forged = "evil\r\n2026-11-30 00:00:00.000 INFO clavis.access: POST /forged 200 0.1ms client_id=admin\u001b[2J\u2028";
        String visible = "evil\\r\\n2026-11-30 00:00:00.000 INFO clavis.access: POST /forged 200 0.1ms client_id=admin\\u001b[2J\\u2028";
        try (TestServer server = TestServer.start(dir, "server.access-log", "true")) {
            String encoded = java.net.URLEncoder.encode(forged, StandardCharsets.UTF_8);
            HttpResponse<String> form = TestServer.postForm(server.tokenEndpoint(), null,
                    "grant_type=client_credentials&client_id=" + encoded + "&client_secret=x");
            HttpResponse<String> basic = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(encoded, "x"), "grant_type=client_credentials");
            assertEquals(401, form.statusCode(), form.body());
            assertEquals(401, basic.statusCode(), basic.body());
            server.assertAlive();
            List<LogRecord> tokenLines = List.of();
            long deadline = System.currentTimeMillis() + 2000; // a line is written just after its response
            while (System.currentTimeMillis() < deadline && tokenLines.size() < 2) {
                synchronized (records) {
                    tokenLines = records.stream().filter(r -> r.getMessage().startsWith("POST ")).toList();
                }
                Thread.onSpinWait();
            }
            assertEquals(2, tokenLines.size(), "one line per request");
            for (LogRecord r : tokenLines) {
                String line = new clavis.ops.LogFormat().format(r);
                assertEquals(line.length() - System.lineSeparator().length(), line.indexOf(System.lineSeparator()),
                        "exactly one line: " + line);
                assertFalse(line.chars().anyMatch(c -> c == '\r' || c == 0x1b || c == 0x2028), line);
                assertTrue(line.endsWith("client_id=" + visible + System.lineSeparator()), line);
            }
        } finally {
            access.removeHandler(capture);
            access.setLevel(level);
        }
    }

    @Test
    void closingFinishesARequestInFlight() throws Exception {
        TestServer server = TestServer.start(dir);
        String[] client = server.registerClient();
        String body = "grant_type=client_credentials";
        String path = URI.create(server.tokenEndpoint()).getPath();
        // The registration's answer reaches the test a moment before its count leaves the gauge: without this wait,
        // the gauge's 1 below could still be the registration, and close would find nothing to drain.
        awaitInFlight(server, 0);
        try (Socket socket = RawHttp.connect(server.clavis.port(), null)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Authorization: " + TestServer.basic(client[0], client[1]) + "\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body.substring(0, 5)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitInFlight(server, 1); // the request is in its handler, waiting for the rest of its body
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            awaitShuttingDown(server.url(clavis.http.Paths.HEALTH + "/live"));
            assertFalse(closing.isDone(), "close is draining, and waits for the request in flight");
            out.write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            RawHttp.Answer answer = RawHttp.read(in);
            assertEquals(200, answer.status(), answer.text());
            assertTrue(answer.body().contains("access_token"));
            closing.get();
        }
        assertTrue(portRefuses(server.clavis.port()), "the server no longer accepts connections");
    }

    /** Waits (a condition, with a deadline) until the server answers {@code n} requests other than a scrape. */
    static void awaitInFlight(TestServer server, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (metric(server.clavis.metrics(), "clavis_http_requests_in_flight") != n) {
            if (System.nanoTime() > deadline) throw new AssertionError("never " + n + " requests in flight");
            Thread.onSpinWait();
        }
    }

    /** Waits until {@code url} answers 503: the server has begun to drain. */
    static void awaitShuttingDown(String url) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (statusOrZero(url) != 503) {
            if (System.nanoTime() > deadline) throw new AssertionError("never started to drain");
        }
    }

    private static int statusOrZero(String url) {
        try {
            return TestServer.get(url).statusCode();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static boolean portRefuses(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
