package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The JWT bearer grant with the issuer's keys at an https {@code jwks-uri}: an operator's URL, so a loopback address is
 * fine, and the JDK's trust store decides. Clavis runs as a process whose trust store holds the test certificate.
 */
class JwtBearerJwksUriTest {
    static final String PASSWORD = "changeit";

    @Test
    void keysAreFetchedFromTheIssuersJwksUri(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "keys", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        Jose.Key workload = Jose.generate("ES256");
        AtomicInteger fetches = new AtomicInteger();
        HttpsServer keys = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.setHttpsConfigurator(new HttpsConfigurator(tls));
        keys.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = workload.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keys.start();
        int port = ChildProcess.freePort();
        try (ChildProcess clavis = ChildProcess.startWithJvmOptions(List.of("-Djavax.net.ssl.trustStore=" + keystore,
                        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12"), port, dir.resolve("clavis.log"),
                "--store.url=jdbc:sqlite:" + dir.resolve("clavis.db"), "--as.myAS.scopes=client-scope deploy",
                "--as.myAS.jwt-bearer.trust.ci.issuer=https://ci.example",
                "--as.myAS.jwt-bearer.trust.ci.jwks-uri=https://127.0.0.1:" + keys.getAddress().getPort() + "/jwks",
                "--as.myAS.jwt-bearer.trust.ci.subjects=repo:acme/*", "--as.myAS.jwt-bearer.trust.ci.scopes=deploy",
                "--as.myAS.jwt-bearer.trust.ci.anonymous=true")) {
            String endpoint = clavis.url("/auth-login/rest/oauth2/authorization-servers/myAS/token");
            String issuer = "http://localhost:" + port + "/auth-login/rest/oauth2/authorization-servers/myAS";
            HttpResponse<String> ok = grant(endpoint, Jose.sign(workload, Map.of("kid", workload.jwk().get("kid")), claims(issuer)));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("deploy", TestServer.json(ok).get("scope"));
            HttpResponse<String> forged = grant(endpoint, Jose.sign(Jose.generate("ES256"), Map.of(), claims(issuer)));
            assertEquals(400, forged.statusCode(), forged.body());
            assertEquals("invalid_grant", TestServer.json(forged).get("error"));
            assertEquals(200, grant(endpoint, Jose.sign(workload, Map.of(), claims(issuer))).statusCode(), "the server still answers");
            assertTrue(fetches.get() >= 1, "the keys came from the jwks-uri");
        } finally {
            keys.stop(0);
        }
    }

    private static Map<String, Object> claims(String issuer) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://ci.example");
        c.put("sub", "repo:acme/orders:ref:refs/heads/main");
        c.put("aud", issuer);
        c.put("iat", now);
        c.put("exp", now + 300);
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    private static HttpResponse<String> grant(String endpoint, String assertion) {
        return TestServer.postForm(endpoint, null, "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + assertion);
    }
}
