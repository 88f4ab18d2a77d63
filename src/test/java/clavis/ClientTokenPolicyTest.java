package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.config.ConfigException;

/**
 * What operators set per client (token lifetime, claims of its own), which clients can never set themselves; strict
 * grant types; the RFC 9864 name Ed25519.
 */
class ClientTokenPolicyTest {
    @TempDir
    Path dir;

    private static Map<String, Object> claims(Map<String, Object> tokenResponse) {
        return JwtVerifier.decodePart(((String) tokenResponse.get("access_token")).split("\\.")[1]);
    }

    private record Result(int code, String out, String err) {
    }

    private Result admin(TestServer server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config=/dev/null");
        server.properties.forEach((k, v) -> all.add("--" + k + "=" + v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStaticClientsLifetimeAndClaimsAreInItsTokens() {
        try (TestServer server = TestServer.start(dir, "as.myAS.client.svc.secret", "service-secret-0123456789",
                "as.myAS.client.svc.token-lifetime", "300", "as.myAS.client.svc.claim.tenant", "acme",
                "as.myAS.client.svc.claim.tier", "3", "as.myAS.client.svc.claim.beta", "true",
                "as.myAS.client.svc.claim.groups", "[\"ops\",\"billing\"]", "as.myAS.client.svc.claim.secret", "not-a-setting")) {
            Map<String, Object> r = server.token("svc", "service-secret-0123456789");
            assertEquals(300, ((Number) r.get("expires_in")).intValue());
            Map<String, Object> c = claims(r);
            assertEquals(300, ((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue());
            assertEquals("acme", c.get("tenant"));
            assertEquals(3, ((Number) c.get("tier")).intValue());
            assertEquals(true, c.get("beta"));
            assertEquals(List.of("ops", "billing"), c.get("groups"));
            assertEquals("not-a-setting", c.get("secret"), "a claim may be named like a setting");
            String[] other = server.registerClient();
            Map<String, Object> plain = server.token(other[0], other[1]);
            assertEquals(18000, ((Number) plain.get("expires_in")).intValue(), "other clients keep the server's lifetime");
            assertFalse(claims(plain).containsKey("tenant"));
        }
    }

    @Test
    void aStaticClientCannotOverrideAClaimClavisSetsNorOutliveItsServer() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x",
                "as.a.token-lifetime", "600", "as.a.client.c.secret", "0123456789abcdef0",
                "as.a.client.c.claim.sub", "someone-else", "as.a.client.c.token-lifetime", "601")));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("as.a.client.c.token-lifetime: at most as.a.token-lifetime (600)"), all);
        assertTrue(all.contains("'sub' is a claim Clavis sets"), all);
    }

    @Test
    void anOperatorSetsAClientsLifetimeClaimsAndScopeBesideARunningServer() {
        try (TestServer server = TestServer.start(dir, "store.cache-seconds", "0", "as.myAS.scopes", "client-scope extra")) {
            Map<String, Object> reg = server.register("{\"client_name\":\"managed\",\"scope\":\"client-scope\"}");
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");

            Result update = admin(server, "clients", "update", id, "--token-lifetime", "120", "--claim", "tenant=acme",
                    "--claim", "quota=42", "--claim", "roles=[\"a\",\"b\"]", "--scope", "client-scope extra");
            assertEquals(0, update.code(), update.err());
            Map<String, Object> c = claims(server.token(id, secret));
            assertEquals(120, ((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue());
            assertEquals("acme", c.get("tenant"));
            assertEquals(42, ((Number) c.get("quota")).intValue());
            assertEquals(List.of("a", "b"), c.get("roles"));
            assertEquals("client-scope extra", c.get("scope"));

            Result shown = admin(server, "clients", "show", id);
            assertTrue(shown.out().contains("\"access_token_lifetime\":120") && shown.out().contains("\"tenant\":\"acme\""), shown.out());
            URI rcu = URI.create((String) reg.get("registration_client_uri"));
            HttpResponse<String> read = TestServer.withBearer("GET", server.url(rcu.getPath()), (String) reg.get("registration_access_token"), null);
            Map<String, Object> info = TestServer.json(read);
            assertEquals(120, ((Number) info.get("access_token_lifetime")).intValue(), "RFC 7592 shows the effective lifetime");
            assertEquals("acme", ((Map<?, ?>) info.get("access_token_claims")).get("tenant"));

            assertEquals(0, admin(server, "clients", "update", id, "--remove-claim", "tenant", "--token-lifetime", "0").code());
            Map<String, Object> after = claims(server.token(id, secret));
            assertFalse(after.containsKey("tenant"));
            assertEquals(18000, ((Number) after.get("exp")).longValue() - ((Number) after.get("iat")).longValue(), "0 is the server's");

            assertEquals(1, admin(server, "clients", "update", id, "--claim", "iss=evil").code());
            assertEquals(1, admin(server, "clients", "update", id, "--token-lifetime", "18001").code());
            assertEquals(1, admin(server, "clients", "update", id, "--scope", "admin").code());
            assertEquals(2, admin(server, "clients", "update", id, "--claim", "novalue").code());
            assertEquals(1, admin(server, "clients", "update", "no-such-client", "--token-lifetime", "1").code());
        }
    }

    @Test
    void aClientCannotSetItsOwnLifetimeOrClaims() {
        try (TestServer server = TestServer.start(dir)) {
            Map<String, Object> reg = server.register("{\"client_name\":\"greedy\",\"access_token_lifetime\":999999,"
                    + "\"access_token_claims\":{\"admin\":true},\"token_lifetime\":999999,\"claims\":{\"admin\":true}}");
            assertFalse(reg.containsKey("access_token_claims") || reg.containsKey("claims"), "ignored as unknown metadata");
            Map<String, Object> c = claims(server.token((String) reg.get("client_id"), (String) reg.get("client_secret")));
            assertFalse(c.containsKey("admin"));
            assertEquals(18000, ((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue());
        }
    }

    @Test
    void underStrictGrantTypesAClientUsesOnlyTheGrantsItRegistered() throws Exception {
        String seedLike = "{\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"]}";
        try (TestServer lenient = TestServer.start(dir)) {
            Map<String, Object> reg = lenient.register(seedLike);
            lenient.token((String) reg.get("client_id"), (String) reg.get("client_secret")); // the reference scenario needs this
        }
        try (TestServer strict = TestServer.start(java.nio.file.Files.createDirectory(dir.resolve("strict")), "as.myAS.grant-types", "strict")) {
            Map<String, Object> reg = strict.register(seedLike);
            HttpResponse<String> r = TestServer.postForm(strict.tokenEndpoint(),
                    TestServer.basic((String) reg.get("client_id"), (String) reg.get("client_secret")), "grant_type=client_credentials");
            assertEquals(400, r.statusCode());
            assertEquals("unauthorized_client", TestServer.json(r).get("error"));
            strict.assertAlive();
            String[] ok = strict.registerClient(); // grant_types defaults to client_credentials
            strict.token(ok[0], ok[1]);
        }
    }

    @Test
    void ed25519IsAcceptedWhereverEdDsaIs() throws Exception {
        try (TestServer server = TestServer.start(dir, "as.myAS.signing-alg", "Ed25519")) {
            String[] client = server.registerClient();
            String token = (String) server.token(client[0], client[1]).get("access_token");
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.url(clavis.http.Paths.JWKS, TestServer.AS)));
            assertEquals("Ed25519", JwtVerifier.verify(token, jwks).header().get("alg"));

            Jose.Key key = Jose.generate("Ed25519");
            Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\","
                    + "\"token_endpoint_auth_signing_alg\":\"Ed25519\",\"jwks\":" + key.jwks() + "}");
            String id = (String) reg.get("client_id");
            String assertion = Jose.sign(key, Map.of(), Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS)));
            HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), null, "grant_type=client_credentials"
                    + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion);
            assertEquals(200, r.statusCode(), r.body());

            String proof = Jose.dpopProof(key, "POST", server.clavis.tokenEndpoint(TestServer.AS));
            HttpResponse<String> dpop = TestServer.send(java.net.http.HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", TestServer.basic(client[0], client[1]))
                    .header("DPoP", proof).POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            assertEquals("DPoP", TestServer.json(dpop).get("token_type"), dpop.body());

            Map<String, Object> metadata = TestServer.json(TestServer.get(server.url(clavis.http.Paths.METADATA_UNDER_ISSUER, TestServer.AS)));
            assertTrue(((List<?>) metadata.get("token_endpoint_auth_signing_alg_values_supported")).containsAll(List.of("EdDSA", "Ed25519")));
            assertTrue(((List<?>) metadata.get("dpop_signing_alg_values_supported")).containsAll(List.of("EdDSA", "Ed25519")));
        }
    }
}
