package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.config.ConfigException;

/** HTTPS with a self-signed certificate made for the test. */
class TlsTest {
    @TempDir
    Path dir;

    private Path selfSigned(String password) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "clavis", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        return keystore;
    }

    private static HttpClient trusting(Path keystore, String password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    @Test
    void tokensOverHttpsAndMetadataShowsHttps() throws Exception {
        String password = "test-keystore-password";
        Path keystore = selfSigned(password);
        Config config = Config.builder().authorizationServer("myAS", "client-scope")
                .set("store.url", "jdbc:sqlite:" + dir.resolve("clavis.db"))
                .set("server.tls.keystore", keystore.toString())
                .build(Map.of("CLAVIS_TLS_KEYSTORE_PASSWORD", password));
        try (Clavis clavis = Clavis.start(config)) {
            HttpClient https = trusting(keystore, password);
            assertTrue(clavis.issuer("myAS").startsWith("https://localhost:"), clavis.issuer("myAS"));
            HttpResponse<String> metadata = https.send(HttpRequest.newBuilder(URI.create(clavis.issuer("myAS") + "/.well-known/oauth-authorization-server")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metadata.statusCode());
            Map<String, Object> m = TestServer.json(metadata);
            assertTrue(((String) m.get("token_endpoint")).startsWith("https://"));
            assertTrue(((String) m.get("jwks_uri")).startsWith("https://"));

            Clavis.RegisteredClient client = clavis.registerClient("myAS", null);
            HttpResponse<String> token = https.send(HttpRequest.newBuilder(URI.create(clavis.tokenEndpoint("myAS")))
                    .header("Authorization", TestServer.basic(client.clientId(), client.clientSecret()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), token.body());
            HttpResponse<String> jwks = https.send(HttpRequest.newBuilder(URI.create(clavis.jwksUri("myAS"))).build(), HttpResponse.BodyHandlers.ofString());
            JwtVerifier.verify((String) TestServer.json(token).get("access_token"), TestServer.json(jwks));

            assertThrows(java.io.IOException.class, () -> TestServer.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + clavis.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP is not served on the TLS port");
        }
    }

    @Test
    void aMissingPasswordVariableOrKeystoreIsAConfigurationProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.builder().authorizationServer("a", "x")
                .set("server.tls.keystore", dir.resolve("none.p12").toString()).build(Map.of()));
        assertTrue(e.getMessage().contains("CLAVIS_TLS_KEYSTORE_PASSWORD"), e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> Config.builder().authorizationServer("a", "x")
                .set("server.tls.keystore", dir.resolve("none.p12").toString()).build(Map.of("CLAVIS_TLS_KEYSTORE_PASSWORD", "p")));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
    }
}
