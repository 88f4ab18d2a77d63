package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.json.Json;

/** Mutual-TLS client authentication and certificate-bound tokens (RFC 8705), with certificates made by keytool. */
class MutualTlsTest {
    private static final String PASSWORD = "test-keystore-password";
    private static final String DN = "CN=client-1,O=Clavis Test";

    @TempDir
    static Path dir;
    static Clavis clavis;

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + output);
    }

    private static Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    /** A key pair with a self-signed certificate in {@code name}.p12. */
    private static void keyPair(String name, String dn, String... ext) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", dn, "-storetype", "PKCS12", "-keystore", store(name).toString(), "-keypass", PASSWORD));
        for (String e : ext) args.addAll(List.of("-ext", e));
        keytool(args.toArray(String[]::new));
    }

    /** Replaces {@code name}'s self-signed certificate with one the test CA issues. */
    private static void signByCa(String name, String... ext) throws Exception {
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        keytool("-certreq", "-alias", name, "-keystore", store(name).toString(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", store("ca").toString(),
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2", "-rfc"));
        for (String e : ext) gencert.addAll(List.of("-ext", e));
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-keystore", store(name).toString(), "-file", dir.resolve("ca.pem").toString());
        keytool("-importcert", "-alias", name, "-keystore", store(name).toString(), "-file", crt.toString());
    }

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        keyPair("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        keyPair("ca", "CN=Clavis Test CA", "bc:c");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store("ca").toString(), "-file", dir.resolve("ca.pem").toString());
        keyPair("client1", DN);
        signByCa("client1");
        keyPair("client2", "CN=client-2,O=Clavis Test");
        signByCa("client2", "SAN=dns:client2.example");
        keyPair("impostor", DN); // the right name, but self-signed: no chain to the CA
        keyPair("self", "CN=self-signed client");
        keyPair("otherself", "CN=another self-signed client");
        Config config = Config.builder().authorizationServer("myAS", "client-scope")
                .set("store.url", "jdbc:sqlite:" + dir.resolve("clavis.db"))
                .set("server.tls.keystore", store("server").toString())
                .set("server.tls.client-auth", "want")
                .set("server.tls.client-ca", dir.resolve("ca.pem").toString())
                .set("throttle.client-failures", "1000")
                .build(Map.of("CLAVIS_TLS_KEYSTORE_PASSWORD", PASSWORD));
        clavis = Clavis.start(config);
    }

    @AfterAll
    static void stop() {
        clavis.close();
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store(name))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** An HTTPS client that trusts the server and presents {@code name}'s certificate (none when null). */
    private static HttpClient client(String name) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load("server"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (name != null) kmf.init(load(name), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(name == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static X509Certificate certificate(String name) throws Exception {
        return (X509Certificate) load(name).getCertificate(name);
    }

    private static Map<String, Object> register(String json) throws Exception {
        HttpResponse<String> r = client(null).send(HttpRequest.newBuilder(URI.create(clavis.registrationEndpoint("myAS")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static HttpResponse<String> token(String certificate, String clientId) throws Exception {
        return client(certificate).send(HttpRequest.newBuilder(URI.create(clavis.tokenEndpoint("myAS")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertInvalidClient(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("invalid_client", TestServer.json(r).get("error"));
    }

    @Test
    void tlsClientAuthBySubjectDnNeedsTheCaAndTheName() throws Exception {
        Map<String, Object> reg = register("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"" + DN + "\"}");
        assertFalse(reg.containsKey("client_secret"));
        String id = (String) reg.get("client_id");
        HttpResponse<String> ok = token("client1", id);
        assertEquals(200, ok.statusCode(), ok.body());
        Map<String, Object> claims = JwtVerifier.decodePart(((String) TestServer.json(ok).get("access_token")).split("\\.")[1]);
        assertFalse(claims.containsKey("cnf"), "not bound unless the client asked for it");

        assertInvalidClient(token(null, id));          // no certificate
        assertInvalidClient(token("impostor", id));    // the same DN, but not issued by the CA
        assertInvalidClient(token("client2", id));     // issued by the CA, another DN
        assertInvalidClient(token("self", id));
        assertEquals(200, token("client1", id).statusCode(), "still served");
    }

    @Test
    void tlsClientAuthBySubjectAlternativeName() throws Exception {
        String id = (String) register("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_dns\":\"client2.example\"}").get("client_id");
        assertEquals(200, token("client2", id).statusCode());
        assertInvalidClient(token("client1", id));
    }

    @Test
    void selfSignedClientAuthMatchesARegisteredKey() throws Exception {
        String jwk = Json.writeString(Jose.jwk(certificate("self").getPublicKey()));
        String id = (String) register("{\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\",\"jwks\":{\"keys\":[" + jwk + "]}}").get("client_id");
        assertEquals(200, token("self", id).statusCode());
        assertInvalidClient(token("otherself", id));
        assertInvalidClient(token("client1", id));
        assertInvalidClient(token(null, id));
    }

    @Test
    @SuppressWarnings("unchecked")
    void certificateBoundTokensCarryTheCertificateThumbprint() throws Exception {
        String id = (String) register("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"" + DN
                + "\",\"tls_client_certificate_bound_access_tokens\":true}").get("client_id");
        HttpResponse<String> r = token("client1", id);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Bearer", TestServer.json(r).get("token_type"));
        String accessToken = (String) TestServer.json(r).get("access_token");
        HttpResponse<String> jwks = client(null).send(HttpRequest.newBuilder(URI.create(clavis.jwksUri("myAS"))).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> cnf = (Map<String, Object>) JwtVerifier.verify(accessToken, TestServer.json(jwks)).claims().get("cnf");
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(certificate("client1").getEncoded()));
        assertEquals(Map.of("x5t#S256", expected), cnf);

        // a secret client that asked for bound tokens must present a certificate
        Map<String, Object> secretClient = register("{\"tls_client_certificate_bound_access_tokens\":true}");
        HttpRequest.Builder withoutCertificate = HttpRequest.newBuilder(URI.create(clavis.tokenEndpoint("myAS")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", TestServer.basic((String) secretClient.get("client_id"), (String) secretClient.get("client_secret")))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        HttpResponse<String> refused = client(null).send(withoutCertificate.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_request", TestServer.json(refused).get("error"));
        HttpResponse<String> bound = client("self").send(withoutCertificate.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, bound.statusCode(), bound.body());
    }

    @Test
    void metadataAdvertisesTheCertificateMethods() throws Exception {
        HttpResponse<String> r = client(null).send(HttpRequest.newBuilder(
                URI.create(clavis.issuer("myAS") + "/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> m = TestServer.json(r);
        assertEquals(true, m.get("tls_client_certificate_bound_access_tokens"));
        assertEquals(List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"),
                m.get("token_endpoint_auth_methods_supported"));
        assertTrue(((List<?>) m.get("introspection_endpoint_auth_methods_supported")).contains("tls_client_auth"));
    }
}
