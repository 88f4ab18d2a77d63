package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.json.Json;

/**
 * RSA keys are 2048 to 4096 bits with exponent 65537 wherever they enter, and a key outside that is refused before
 * any arithmetic on it: the attack of the hardening review (a 16384-bit modulus and a 19,600-bit exponent, several
 * seconds of CPU per request) comes back at once.
 */
class RsaKeyBoundsTest {
    /** Generous: a refusal takes milliseconds, the attack took seconds. */
    private static final long QUICK_MILLIS = 1000;
    private static final BigInteger F4 = BigInteger.valueOf(65537);

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, "throttle.client-failures", "1000");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The keys of the attack, and their neighbours just outside the bounds. */
    private static Map<String, Map<String, Object>> refusedKeys() {
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        keys.put("16384-bit modulus, 19,600-bit exponent", Jose.rsaJwk(Jose.modulusLike(16384, 1), Jose.exponentLike(19_600, 2)));
        keys.put("4096-bit modulus, 19,600-bit exponent", Jose.rsaJwk(Jose.modulusLike(4096, 3), Jose.exponentLike(19_600, 4)));
        keys.put("4097-bit modulus", Jose.rsaJwk(Jose.modulusLike(4097, 5), F4));
        keys.put("2047-bit modulus", Jose.rsaJwk(Jose.modulusLike(2047, 6), F4));
        keys.put("exponent 3", Jose.rsaJwk(Jose.modulusLike(2048, 7), BigInteger.valueOf(3)));
        keys.put("exponent 2^32 + 1", Jose.rsaJwk(Jose.modulusLike(2048, 8), BigInteger.ONE.shiftLeft(32).add(BigInteger.ONE)));
        return keys;
    }

    private static <T> T quickly(String what, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < QUICK_MILLIS, what + " took " + millis + " ms");
        return result;
    }

    @Test
    void registrationRefusesRsaKeysOutsideTheBoundsAtOnce() {
        Jose.Key good = Jose.generate("RS256");
        server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + good.jwks() + "}"); // the path is warm
        refusedKeys().forEach((what, jwk) -> {
            String body = "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + Json.writeString(jwk) + "]}}";
            HttpResponse<String> r = quickly(what, () -> TestServer.postJson(server.registrationEndpoint(), body));
            assertEquals(400, r.statusCode(), what + ": " + r.body());
            assertEquals("invalid_client_metadata", TestServer.json(r).get("error"), what);
            server.assertAlive();
        });
    }

    private HttpResponse<String> token(String[] client, String proof) {
        return TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", TestServer.basic(client[0], client[1]))
                .header("DPoP", proof)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    @Test
    void aDpopProofWithAnRsaKeyOutsideTheBoundsIsRefusedAtOnce() {
        String[] client = server.registerClient();
        String url = server.clavis.tokenEndpoint(TestServer.AS);
        assertEquals(200, token(client, Jose.dpopProof(Jose.generate("RS256"), "POST", url)).statusCode()); // the path is warm
        refusedKeys().forEach((what, jwk) -> {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "dpop+jwt");
            header.put("alg", "RS256");
            header.put("jwk", jwk);
            // No claims: the key is read before them, and the attack's proof must fit in 8 KiB.
            String proof = Jose.withSignature(header, Map.of(), new byte[] {1});
            assertTrue(proof.length() <= 8192, what + ": the proof must fit the 8 KiB bound to reach the key, it has " + proof.length());
            HttpResponse<String> r = quickly(what, () -> token(client, proof));
            assertEquals(400, r.statusCode(), what + ": " + r.body());
            assertEquals("invalid_dpop_proof", TestServer.json(r).get("error"), what);
            assertTrue(((String) TestServer.json(r).get("error_description")).contains("RSA"), what + ": refused for its key, not its signature");
            server.assertAlive();
        });
    }

    @Test
    void aValidlySignedProofWithExponent3IsRefused() {
        String[] client = server.registerClient();
        Jose.Key e3 = Jose.generateRsa(2048, BigInteger.valueOf(3));
        HttpResponse<String> r = token(client, Jose.dpopProof(e3, "POST", server.clavis.tokenEndpoint(TestServer.AS)));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("invalid_dpop_proof", TestServer.json(r).get("error"));
        Jose.Key f4 = Jose.generate("RS256");
        assertEquals(200, token(client, Jose.dpopProof(f4, "POST", server.clavis.tokenEndpoint(TestServer.AS))).statusCode());
    }

    @Test
    void aClientStoredWithAKeyNowRefusedFailsToAuthenticateWithoutAServerError() throws Exception {
        Jose.Key e3 = Jose.generateRsa(2048, BigInteger.valueOf(3));
        Jose.Key f4 = Jose.generateRsa(2048, F4);
        // Registered with an accepted key, then its stored key is swapped for one of exponent 3, as a database
        // written before this rule could hold.
        String id = (String) server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + f4.jwks() + "}").get("client_id");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("clavis.db"))) {
            String stored;
            try (PreparedStatement p = c.prepareStatement("SELECT metadata FROM clients WHERE client_id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    assertTrue(rs.next());
                    stored = rs.getString(1);
                }
            }
            String swapped = stored.replace((String) f4.jwk().get("n"), (String) e3.jwk().get("n"))
                    .replace("\"e\":\"" + f4.jwk().get("e") + "\"", "\"e\":\"" + e3.jwk().get("e") + "\"");
            assertTrue(swapped.contains("\"e\":\"Aw\"") && swapped.contains((String) e3.jwk().get("n")), swapped);
            try (PreparedStatement p = c.prepareStatement("UPDATE clients SET metadata = ? WHERE client_id = ?")) {
                p.setString(1, swapped);
                p.setString(2, id);
                assertEquals(1, p.executeUpdate());
            }
        }
        server.restart(); // drops the cached client

        long before = server.authenticationFailures("bad_signature");
        Map<String, Object> claims = Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS));
        String assertion = Jose.sign(e3, Map.of(), claims);
        HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials&client_assertion_type="
                + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8) + "&client_assertion=" + assertion);
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("invalid_client", TestServer.json(r).get("error"));
        assertEquals(before + 1, server.authenticationFailures("bad_signature"));
        server.assertAlive();
    }

    @Test
    void aSoftwareStatementIssuerKeyOutsideTheBoundsIsAConfigurationProblem() throws Exception {
        Path jwks = Files.writeString(dir.resolve("issuer.json"),
                Json.writeString(Map.of("keys", List.of(Jose.rsaJwk(Jose.modulusLike(2048, 9), BigInteger.valueOf(3))))));
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of(
                "as.a.scopes", "read",
                "as.a.software-statement.trust.d.issuer", "https://directory.example",
                "as.a.software-statement.trust.d.jwks", jwks.toString())));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("as.a.software-statement.trust.d.jwks") && all.contains("65537"), all);
    }
}
