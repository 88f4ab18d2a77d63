package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar we ship, as users run it ({@code java -jar target/clavis.jar}), after {@code mvn package}: the shade
 * step leaves out most of Bouncy Castle, so this checks that what remains signs and verifies every algorithm,
 * reads both databases and takes every kind of client credential. Run by {@code ./build.sh test} (failsafe).
 */
class PackagedJarIT {
    private static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");
    private static final String SECRET = "packaged-jar-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyAlgorithmAndCredentialWorksFromTheJar(String store) throws Exception {
        Path jar = Path.of(System.getProperty("clavis.jar", "target/clavis.jar"));
        assertTrue(Files.isRegularFile(jar), "run mvn package first: no " + jar);
        List<String> args = new ArrayList<>(List.of("--store.url=" + TestDatabases.of(store, dir)));
        for (String alg : ALGORITHMS) {
            args.add("--as." + alg + ".scopes=api");
            args.add("--as." + alg + ".signing-alg=" + alg);
            args.add("--as." + alg + ".client.static-" + alg + ".secret=" + SECRET);
        }
        try (ChildProcess clavis = ChildProcess.startJar(jar, ChildProcess.freePort(), dir.resolve("clavis.log"), args.toArray(String[]::new))) {
            for (String alg : ALGORITHMS) {
                Map<String, Object> metadata = TestServer.json(TestServer.get(
                        clavis.url("/auth-login/rest/oauth2/authorization-servers/" + alg + "/.well-known/oauth-authorization-server")));
                String tokenEndpoint = (String) metadata.get("token_endpoint");
                Map<String, Object> jwks = TestServer.json(TestServer.get((String) metadata.get("jwks_uri")));

                HttpResponse<String> bySecret = TestServer.postForm(tokenEndpoint, TestServer.basic("static-" + alg, SECRET),
                        "grant_type=client_credentials");
                assertEquals(200, bySecret.statusCode(), alg + ": " + bySecret.body());
                verified(bySecret, jwks, alg, "static-" + alg);

                // A key-based client whose key has the same algorithm: Bouncy Castle verifies its assertion.
                Jose.Key key = Jose.generate(alg);
                HttpResponse<String> registered = TestServer.postJson((String) metadata.get("registration_endpoint"),
                        "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}");
                assertEquals(201, registered.statusCode(), alg + ": " + registered.body());
                String clientId = (String) TestServer.json(registered).get("client_id");
                String assertion = Jose.sign(key, Map.of("kid", key.jwk().get("kid")), Jose.assertionClaims(clientId, tokenEndpoint));
                HttpResponse<String> byAssertion = TestServer.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("DPoP", Jose.dpopProof(key, "POST", tokenEndpoint))
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                                + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                                + "&client_assertion=" + assertion)).build());
                assertEquals(200, byAssertion.statusCode(), alg + ": " + byAssertion.body());
                assertEquals("DPoP", TestServer.json(byAssertion).get("token_type"), alg);
                JwtVerifier.Verified bound = verified(byAssertion, jwks, alg, clientId);
                assertEquals(Map.of("jkt", JwtVerifier.thumbprint(key.jwk())), bound.claims().get("cnf"), alg);
            }
        }
    }

    private static JwtVerifier.Verified verified(HttpResponse<String> response, Map<String, Object> jwks, String alg, String clientId) throws Exception {
        JwtVerifier.Verified token = JwtVerifier.verify((String) TestServer.json(response).get("access_token"), jwks);
        assertEquals(alg, token.header().get("alg"));
        assertEquals(clientId, token.claims().get("client_id"));
        return token;
    }
}
