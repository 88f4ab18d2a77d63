package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;
import clavis.json.Json;

/**
 * Clavis behind a TLS-terminating proxy (server.trusted-proxies=127.0.0.2): from that peer, the client address comes
 * from Forwarded or X-Forwarded-For and the client certificate from Client-Cert (RFC 9440), for the throttle, the
 * access log, the audit trail and mutual TLS alike; from any other peer (another 127.0.0.x) the same headers change nothing.
 */
class TrustedProxyTest {
    private static final String DN = "CN=client-1,O=Clavis Test";
    private static final String PROXY = "127.0.0.2";
    /** Each test fails from addresses of its own, so that the shared throttle (2 failures per address) holds only its own. */

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestServer server;
    static final List<String> logLines = new ArrayList<>();
    static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLoggerName().equals("clavis.access") || r.getLoggerName().equals("clavis.audit")) {
                synchronized (logLines) {
                    logLines.add(r.getLoggerName() + " " + r.getMessage());
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

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        certs = new TestCertificates(dir);
        certs.ca();
        certs.keyPair("client1", DN);
        certs.signByCa("client1");
        certs.keyPair("self", "CN=self-signed client");
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("").setLevel(Level.ALL);
        // no keystore: TLS ends at the proxy, and server.tls.client-ca applies to the certificates it forwards
        server = TestServer.start(dir, AdminCalls.settings("server.trusted-proxies", PROXY + ", 10.0.0.0/8",
                "server.tls.client-ca", dir.resolve("ca.pem").toString(), "throttle.address-failures", "2", "throttle.client-failures", "1000",
                "store.cache-seconds", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
        Logger.getLogger("").removeHandler(capture);
    }

    private static X509Certificate[] chain(String name) throws Exception {
        Certificate[] chain = certs.load(name).getCertificateChain(name);
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) x509[i] = (X509Certificate) chain[i];
        return x509;
    }

    /** An RFC 8941 byte sequence, as Client-Cert carries a certificate. */
    private static String sf(X509Certificate c) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(c.getEncoded()) + ":";
    }

    /** A request sent from {@code from}, with extra header lines. */
    private static RawHttp.Answer send(String from, String method, String path, String contentType, String body, String... headers) throws Exception {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String h : headers) r.append(h).append("\r\n");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) r.append("Content-Type: ").append(contentType).append("\r\n");
        r.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        byte[] head = r.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return RawHttp.exchange(server.clavis.port(), from, all);
    }

    private static String tokenPath() {
        return URI.create(server.tokenEndpoint()).getPath();
    }

    private static RawHttp.Answer token(String from, String form, String... headers) throws Exception {
        return send(from, "POST", tokenPath(), "application/x-www-form-urlencoded", form, headers);
    }

    private static Map<String, Object> json(RawHttp.Answer a) throws Exception {
        return Json.parseObject(a.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> logged(String needle) {
        synchronized (logLines) {
            return logLines.stream().filter(l -> l.contains(needle)).toList();
        }
    }

    @Test
    void behindATrustedProxyTheThrottleCountsTheForwardedClientAddress() throws Exception {
        String wrong = "grant_type=client_credentials&client_id=nobody-a&client_secret=wrong";
        for (int i = 0; i < 2; i++) assertEquals(401, token(PROXY, wrong, "X-Forwarded-For: 203.0.113.1").status());
        assertEquals(429, token(PROXY, wrong, "X-Forwarded-For: 203.0.113.1").status(), "203.0.113.1 used its allowance");
        assertEquals(401, token(PROXY, wrong, "X-Forwarded-For: 203.0.113.2").status(), "another client behind the same proxy is not held back");
        assertEquals(401, token(PROXY, wrong, "Forwarded: for=203.0.113.3", "X-Forwarded-For: 203.0.113.1").status(), "Forwarded wins");
        assertEquals(429, token(PROXY, wrong, "X-Forwarded-For: 203.0.113.1, 10.1.2.3").status(),
                "the right-most address that is not a trusted proxy");
        assertTrue(logged("from=203.0.113.2 ").stream().anyMatch(l -> l.startsWith("clavis.access POST " + tokenPath() + " 401")),
                "the access log names the client's address");
    }

    @Test
    void fromAnUntrustedPeerTheForwardingHeadersChangeNothing() throws Exception {
        String wrong = "grant_type=client_credentials&client_id=nobody-b&client_secret=wrong";
        String stranger = "127.0.0.11";
        assertEquals(401, token(stranger, wrong, "X-Forwarded-For: 198.51.100.1").status());
        assertEquals(401, token(stranger, wrong, "Forwarded: for=198.51.100.2").status());
        assertEquals(429, token(stranger, wrong, "X-Forwarded-For: 198.51.100.3").status(),
                "all three came from 127.0.0.11, whatever they claimed");
        assertTrue(logged("from=127.0.0.11 ").size() >= 3, "the access log names the peer");
        assertTrue(logged("198.51.100.").isEmpty(), "no claimed address reaches the log: " + logged("198.51.100."));

        // nor does a forwarded certificate authenticate a client
        X509Certificate self = chain("self")[0];
        String id = (String) server.register("{\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\",\"jwks\":{\"keys\":["
                + Json.writeString(Jose.jwk(self.getPublicKey())) + "]}}").get("client_id");
        assertEquals(200, token(PROXY, "grant_type=client_credentials&client_id=" + id, "Client-Cert: " + sf(self),
                "X-Forwarded-For: 192.0.2.11").status());
        RawHttp.Answer refused = token("127.0.0.3", "grant_type=client_credentials&client_id=" + id, "Client-Cert: " + sf(self));
        assertEquals(401, refused.status(), refused.text());
        assertEquals("invalid_client", json(refused).get("error"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aForwardedCertificateAuthenticatesTlsClientAuthAndBindsTokens() throws Exception {
        X509Certificate[] client1 = chain("client1");
        String id = (String) server.register("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"" + DN
                + "\",\"tls_client_certificate_bound_access_tokens\":true}").get("client_id");
        String form = "grant_type=client_credentials&client_id=" + id;
        String from = "X-Forwarded-For: 192.0.2.12";
        RawHttp.Answer ok = token(PROXY, form, from, "Client-Cert: " + sf(client1[0]), "Client-Cert-Chain: " + sf(client1[1]));
        assertEquals(200, ok.status(), ok.text());
        String accessToken = (String) json(ok).get("access_token");
        Map<String, Object> cnf = (Map<String, Object>) JwtVerifier.decodePart(accessToken.split("\\.")[1]).get("cnf");
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(client1[0].getEncoded())),
                cnf.get("x5t#S256"), "bound to the certificate the proxy forwarded");
        assertEquals(200, token(PROXY, form, from, "Client-Cert: " + sf(client1[0])).status(), "the CA is trusted directly: no chain needed");
        assertEquals(401, token(PROXY, form, from).status(), "no certificate forwarded");
        assertEquals(401, token(PROXY, form, from, "Client-Cert: " + sf(chain("self")[0])).status(), "a certificate the CA did not issue");

        RawHttp.Answer malformed = token(PROXY, form, from, "Client-Cert: :bm90IGEgY2VydGlmaWNhdGU=:");
        assertEquals(400, malformed.status());
        assertEquals("invalid_request", json(malformed).get("error"));
        server.assertAlive();
    }

    @Test
    void aCertificateBoundAdminTokenNeedsItsCertificateOnEveryCall() throws Exception {
        X509Certificate self = chain("self")[0];
        Map<String, Object> created = AdminCalls.ok(201, server, "POST", "/clients/myAS", AdminCalls.operatorToken(server),
                "{\"client_name\":\"bound admin\",\"scope\":\"clavis:admin\",\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\","
                        + "\"jwks\":{\"keys\":[" + Json.writeString(Jose.jwk(self.getPublicKey())) + "]},"
                        + "\"tls_client_certificate_bound_access_tokens\":true}");
        String from = "X-Forwarded-For: 192.0.2.13";
        RawHttp.Answer issued = token(PROXY, "grant_type=client_credentials&client_id=" + created.get("client_id"), from, "Client-Cert: " + sf(self));
        assertEquals(200, issued.status(), issued.text());
        String accessToken = (String) json(issued).get("access_token");
        String keys = Paths.ADMIN + "/keys";
        assertEquals(200, send(PROXY, "GET", keys, null, null, from, "Authorization: Bearer " + accessToken, "Client-Cert: " + sf(self)).status());
        RawHttp.Answer without = send(PROXY, "GET", keys, null, null, from, "Authorization: Bearer " + accessToken);
        assertEquals(401, without.status(), without.text());
        assertEquals("invalid_token", json(without).get("error"));
        assertEquals(401, send(PROXY, "GET", keys, null, null, from, "Authorization: Bearer " + accessToken, "Client-Cert: " + sf(chain("client1")[0]))
                .status(), "another certificate");
        assertEquals(401, send("127.0.0.13", "GET", keys, null, null, "Authorization: Bearer " + accessToken, "Client-Cert: " + sf(self)).status(),
                "the certificate header from a peer that is not a trusted proxy counts for nothing");
    }

    @Test
    void theAuditTrailNamesTheForwardedAddress() throws Exception {
        RawHttp.Answer r = send(PROXY, "POST", URI.create(server.registrationEndpoint()).getPath(), "application/json", "{}",
                "Forwarded: for=\"[2001:db8::7]:4711\"");
        assertEquals(201, r.status(), r.text());
        String id = (String) json(r).get("client_id");
        List<String> lines = logged("\"client_id\":\"" + id + "\"");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"event\":\"client_registered\"") && lines.get(0).contains("\"address\":\"2001:db8:0:0:0:0:0:7\""),
                lines.get(0));
        assertFalse(lines.get(0).contains("127.0.0.2"));
    }
}
