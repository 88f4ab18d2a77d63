package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret, token or Authorization value in any log line; no internals in any response. */
class NothingLeaksTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            StringWriter text = new StringWriter();
            text.append(r.getLoggerName()).append(' ').append(String.valueOf(r.getMessage()));
            if (r.getParameters() != null) for (Object p : r.getParameters()) text.append(' ').append(String.valueOf(p));
            if (r.getThrown() != null) r.getThrown().printStackTrace(new PrintWriter(text));
            synchronized (log) {
                log.add(text.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureEverything() {
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void wrongAndRightSecretsLeaveNoCredentialInTheLog() {
        List<String> secrets = new ArrayList<>();
        try (TestServer server = TestServer.start(dir, "throttle.client-failures", "2")) {
            Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"client_secret_post\"}");
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");
            secrets.add(secret);
            String wrong = "wrong-secret-" + Long.toHexString(System.nanoTime());
            secrets.add(wrong);
            String basic = TestServer.basic(id, wrong);
            secrets.add(basic.substring(6));

            TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials&client_id=" + id + "&client_secret=" + wrong);
            TestServer.postForm(server.tokenEndpoint(), basic, "grant_type=client_credentials");
            TestServer.postForm(server.tokenEndpoint(), "Basic " + basic.substring(6, 20), "grant_type=client_credentials");
            HttpResponse<String> ok = TestServer.postForm(server.tokenEndpoint(), null,
                    "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
            if (ok.statusCode() == 429) { // the failures above may have throttled it: use a fresh client
                Map<String, Object> other = server.register("{\"token_endpoint_auth_method\":\"client_secret_post\"}");
                secrets.add((String) other.get("client_secret"));
                ok = TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials&client_id="
                        + other.get("client_id") + "&client_secret=" + other.get("client_secret"));
            }
            String token = (String) TestServer.json(ok).get("access_token");
            secrets.add(token);
            secrets.add(token.substring(token.lastIndexOf('.') + 1));
        }
        assertNoneLogged(secrets);
    }

    /** No captured log line contains any of {@code credentials}; and something was captured. */
    private void assertNoneLogged(List<String> credentials) {
        List<String> lines;
        synchronized (log) {
            lines = List.copyOf(log);
        }
        assertFalse(lines.isEmpty(), "the capture works");
        for (String line : lines) {
            for (String c : credentials) assertFalse(line.contains(c), "a credential in the log: " + line);
        }
    }

    @Test
    void assertionsAndProofsGoodOrBadLeaveNoTraceInTheLog() {
        List<String> credentials = new ArrayList<>();
        try (TestServer server = TestServer.start(dir)) {
            Jose.Key key = Jose.generate("ES256");
            String id = (String) server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}").get("client_id");
            String audience = server.clavis.tokenEndpoint(TestServer.AS);
            String good = Jose.sign(key, Map.of(), Jose.assertionClaims(id, audience));
            String forged = Jose.sign(Jose.generate("ES256"), Map.of(), Jose.assertionClaims(id, audience));
            for (String assertion : List.of(good, good, forged)) { // accepted, replayed, forged
                credentials.add(assertion.substring(assertion.lastIndexOf('.') + 1));
                TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials&client_assertion_type="
                        + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion);
            }
            String[] client = server.registerClient();
            String proof = Jose.dpopProof(key, "POST", audience);
            credentials.add(proof.substring(proof.lastIndexOf('.') + 1));
            for (int i = 0; i < 2; i++) { // accepted, then replayed
                TestServer.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.tokenEndpoint()))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("DPoP", proof)
                        .header("Authorization", TestServer.basic(client[0], client[1]))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            }
        }
        assertNoneLogged(credentials);
    }

    @Test
    void anUnexpectedFailureIsAGeneric500WithAReferenceTheLogAlsoHas() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("clavis.db"));
                 Statement s = c.createStatement()) {
                s.execute("DROP TABLE clients");
            }
            HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), "{}");
            assertEquals(500, r.statusCode());
            Map<String, Object> body = TestServer.json(r);
            assertEquals("server_error", body.get("error"));
            String reference = r.headers().firstValue("X-Correlation-Id").orElseThrow();
            assertTrue(((String) body.get("error_description")).contains(reference));
            String lower = r.body().toLowerCase(Locale.ROOT);
            for (String internal : List.of("sql", "exception", "clavis.", "at java", "table")) {
                assertFalse(lower.contains(internal), "internals in the response: " + r.body());
            }
            synchronized (log) {
                assertTrue(log.stream().anyMatch(l -> l.contains(reference)), "the log has the reference");
            }
            server.assertAlive();
        }
    }
}
