package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounds and routing: oversized, slow, malformed and misrouted requests get a clean refusal and change nothing. */
@Tag("own-jvm") // sets the JDK HttpServer's limits, which it reads once per JVM
class HostileInputTest {
    static final int REQUEST_SECONDS = 2;

    @TempDir
    static Path dir;
    static TestServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "limits.request-seconds", Integer.toString(REQUEST_SECONDS),
                "limits.header-bytes", "8192", "throttle.address-failures", "100000");
        port = server.clavis.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillAnswers() {
        server.assertAlive();
        String[] client = server.registerClient();
        server.token(client[0], client[1]);
    }

    private static String tokenPath() {
        return URI.create(server.tokenEndpoint()).getPath();
    }

    private static String registrationPath() {
        return URI.create(server.registrationEndpoint()).getPath();
    }

    @Test
    void declaredBodyOverTheCapIs413WithoutReadingIt() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, "POST " + tokenPath() + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\ngrant_type=client_credentials");
        assertEquals(413, a.status(), a.text());
        assertTrue(a.body().contains("\"error\":\"invalid_request\""), a.text());
        assertTrue(a.text().toLowerCase().contains("connection: close"), a.text());
    }

    @Test
    void chunkedBodyOverTheCapIs413() throws Exception {
        StringBuilder req = new StringBuilder("POST " + tokenPath() + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "a".repeat(4096);
        for (int i = 0; i < 5; i++) req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        req.append("0\r\n\r\n");
        RawHttp.Answer a = RawHttp.exchange(port, req.toString());
        assertEquals(413, a.status(), a.text());
        assertTrue(a.body().contains("invalid_request"));
    }

    @Test
    void registrationBodyOverItsCapIs413() {
        String big = "{\"client_name\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), big);
        assertEquals(413, r.statusCode());
        assertEquals("invalid_request", TestServer.json(r).get("error"));
    }

    @Test
    void tokenBodyJustUnderTheCapIsRead() {
        String[] client = server.registerClient();
        String padding = "&pad=" + "x".repeat(16 * 1024 - 200);
        HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], client[1]),
                "grant_type=client_credentials" + padding);
        assertEquals(200, r.statusCode(), "unknown parameters are ignored (RFC 6749 section 3.2)");
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(a.status() == 431 || a.status() == 400 || a.status() == -1, a.text());
    }

    @Test
    void tooManyHeadersAreRefused() throws Exception {
        StringBuilder req = new StringBuilder("GET /x HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 150; i++) req.append("X-H").append(i).append(": v\r\n");
        RawHttp.Answer a = RawHttp.exchange(port, req.append("\r\n").toString());
        assertTrue(a.status() == 431 || a.status() == 400 || a.status() == -1, a.text());
    }

    @Test
    void malformedRequestLineIsRefused() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(port, "HELLO\r\n\r\n");
        assertTrue(a.status() == 400 || a.status() == -1, a.text());
    }

    @Test
    void slowSenderIsCutOffAndOthersAreServedMeanwhile() throws Exception {
        try (Socket slow = RawHttp.connect(port, null)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + tokenPath() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 1000\r\n\r\ngrant_type=").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String[] client = server.registerClient();
            server.token(client[0], client[1]); // served while the slow request hangs
            slow.setSoTimeout((REQUEST_SECONDS + 5) * 1000);
            long start = System.nanoTime();
            InputStream in = slow.getInputStream();
            int read;
            try {
                read = in.read(new byte[1024]);
                while (read > 0) read = in.read(new byte[1024]); // a 4xx/5xx, then the close
            } catch (java.net.SocketException e) {
                read = -1;
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read, "the server closes the slow connection");
            assertTrue(waited < (REQUEST_SECONDS + 4) * 1000L, "closed after about " + REQUEST_SECONDS + " s, took " + waited + " ms");
        }
    }

    @Test
    void manyIdleConnectionsDoNotStopService() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) idle.add(RawHttp.connect(port, null));
            String[] client = server.registerClient();
            server.token(client[0], client[1]);
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String nested = "{\"jwks\":" + "[".repeat(200) + "]".repeat(200) + "}";
        HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), nested);
        assertEquals(400, r.statusCode());
        assertEquals("invalid_client_metadata", TestServer.json(r).get("error"));
    }

    @Test
    void overlongStringsAndArraysAreRefused() {
        HttpResponse<String> longName = TestServer.postJson(server.registrationEndpoint(), "{\"client_name\":\"" + "x".repeat(3000) + "\"}");
        assertEquals(400, longName.statusCode());
        assertEquals("invalid_client_metadata", TestServer.json(longName).get("error"));
        String contacts = "\"c\",".repeat(60);
        HttpResponse<String> manyContacts = TestServer.postJson(server.registrationEndpoint(),
                "{\"contacts\":[" + contacts.substring(0, contacts.length() - 1) + "]}");
        assertEquals(400, manyContacts.statusCode());
        assertEquals("invalid_client_metadata", TestServer.json(manyContacts).get("error"));
    }

    @Test
    void unknownPathIs404Json() {
        for (String path : List.of("/", "/nope", "/auth-login/rest/oauth2/authorization-servers/myAS/token/extra",
                "/auth-login/rest/oauth2/authorization-servers//token", "/auth-login/rest/oauth2/authorization-servers/myAS/TOKEN")) {
            HttpResponse<String> r = TestServer.get(server.url(path));
            assertEquals(404, r.statusCode(), path);
            assertEquals("not_found", TestServer.json(r).get("error"));
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        }
    }

    @Test
    void unknownAuthorizationServerIs404() {
        HttpResponse<String> r = TestServer.postForm(server.url("/auth-login/rest/oauth2/authorization-servers/otherAS/token"),
                TestServer.basic("a", "b"), "grant_type=client_credentials");
        assertEquals(404, r.statusCode());
        assertEquals("not_found", TestServer.json(r).get("error"));
        HttpResponse<String> reg = TestServer.postJson(server.url("/auth-login/rest/public/tech-client-registration/oauth2/otherAS/register"), "{}");
        assertEquals(404, reg.statusCode());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        record M(String path, String method, String allow) {
        }
        for (M m : List.of(new M(tokenPath(), "GET", "POST"), new M(tokenPath(), "PUT", "POST"), new M(registrationPath(), "GET", "POST"),
                new M(URI.create(server.clavis.jwksUri("myAS")).getPath(), "POST", "GET"),
                new M(URI.create(server.clavis.jwksUri("myAS")).getPath(), "DELETE", "GET"))) {
            HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(URI.create(server.url(m.path())))
                    .method(m.method(), HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(405, r.statusCode(), m.toString());
            assertEquals(m.allow(), r.headers().firstValue("Allow").orElse(null));
            assertEquals("method_not_allowed", TestServer.json(r).get("error"));
        }
    }

    @Test
    void headOfAGetEndpointIs405WithoutABody() {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(URI.create(server.clavis.jwksUri("myAS")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void repeatedAuthorizationHeaderIsInvalidRequest() throws Exception {
        String[] client = server.registerClient();
        String basic = TestServer.basic(client[0], client[1]);
        String body = "grant_type=client_credentials";
        RawHttp.Answer a = RawHttp.exchange(port, "POST " + tokenPath() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: " + basic + "\r\nAuthorization: " + basic
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(400, a.status(), a.text());
        assertTrue(a.body().contains("invalid_request"));
    }

    @Test
    void everyResponseCarriesNosniffAndCredentialResponsesNoStore() {
        Map<String, Object> reg = server.register("{}");
        assertFalse(reg.isEmpty());
        HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), "{}");
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        HttpResponse<String> jwks = TestServer.get(server.clavis.jwksUri("myAS"));
        assertEquals("nosniff", jwks.headers().firstValue("X-Content-Type-Options").orElse(null));
    }
}
