package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
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
    private static final String DN = "CN=client-1,O=Clavis Test";

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static Clavis clavis;

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        certs = new TestCertificates(dir);
        certs.keyPair("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        certs.ca();
        certs.keyPair("client1", DN);
        certs.signByCa("client1");
        certs.keyPair("client2", "CN=client-2,O=Clavis Test");
        certs.signByCa("client2", "SAN=dns:client2.example");
        certs.keyPair("impostor", DN); // the right name, but self-signed: no chain to the CA
        certs.keyPair("self", "CN=self-signed client");
        certs.keyPair("otherself", "CN=another self-signed client");
        Config config = Config.builder().authorizationServer("myAS", "client-scope")
                .set("store.url", "jdbc:sqlite:" + dir.resolve("clavis.db"))
                .set("server.tls.keystore", certs.store("server").toString())
                .set("server.tls.client-auth", "want")
                .set("server.tls.client-ca", dir.resolve("ca.pem").toString())
                .set("throttle.client-failures", "1000")
                .build(Map.of("CLAVIS_TLS_KEYSTORE_PASSWORD", TestCertificates.PASSWORD));
        clavis = Clavis.start(config);
    }

    @AfterAll
    static void stop() {
        clavis.close();
    }

    /** An HTTPS client that trusts the server and presents {@code name}'s certificate (none when null). */
    private static HttpClient client(String name) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(certs.load("server"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (name != null) kmf.init(certs.load(name), TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(name == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static X509Certificate certificate(String name) throws Exception {
        return (X509Certificate) certs.load(name).getCertificate(name);
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
