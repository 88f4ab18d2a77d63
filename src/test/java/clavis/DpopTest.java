package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;
import clavis.json.Json;

/** DPoP-bound access tokens (RFC 9449) from the token endpoint. */
class DpopTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> token(TestServer server, String[] client, String... proofs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", TestServer.basic(client[0], client[1]))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        for (String proof : proofs) b.header("DPoP", proof);
        return TestServer.send(b.build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aValidProofGivesADpopTokenBoundToItsKey() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.url(Paths.JWKS, TestServer.AS)));
            for (String alg : List.of("ES256", "EdDSA", "RS256", "PS256")) {
                Jose.Key key = Jose.generate(alg);
                HttpResponse<String> r = token(server, client, Jose.dpopProof(key, "POST", server.clavis.tokenEndpoint(TestServer.AS)));
                assertEquals(200, r.statusCode(), alg + ": " + r.body());
                Map<String, Object> body = TestServer.json(r);
                assertEquals("DPoP", body.get("token_type"), alg);
                String accessToken = (String) body.get("access_token");
                Map<String, Object> cnf = (Map<String, Object>) JwtVerifier.verify(accessToken, jwks).claims().get("cnf");
                String thumbprint = JwtVerifier.thumbprint(Jose.jwk(key.pair().getPublic()));
                assertEquals(Map.of("jkt", thumbprint), cnf, alg);

                Map<String, Object> introspection = server.introspect(client, accessToken);
                assertEquals("DPoP", introspection.get("token_type"));
                assertEquals(Map.of("jkt", thumbprint), introspection.get("cnf"));
            }
            Map<String, Object> plain = server.token(client[0], client[1]);
            assertEquals("Bearer", plain.get("token_type"), "without a proof the token is a Bearer token");
            assertFalse(JwtVerifier.verify((String) plain.get("access_token"), jwks).claims().containsKey("cnf"));
        }
    }

    private static void assertRefused(TestServer server, String[] client, String why, String... proofs) {
        HttpResponse<String> r = token(server, client, proofs);
        assertEquals(400, r.statusCode(), why + ": " + r.body());
        assertEquals("invalid_dpop_proof", TestServer.json(r).get("error"), why);
        server.assertAlive();
    }

    @Test
    void badProofsAreInvalidDpopProof() {
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            String url = server.clavis.tokenEndpoint(TestServer.AS);
            Jose.Key key = Jose.generate("ES256");
            Jose.Key other = Jose.generate("ES256");
            long now = System.currentTimeMillis() / 1000;
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "dpop+jwt");
            header.put("jwk", Jose.jwk(key.pair().getPublic()));

            assertRefused(server, client, "wrong method", Jose.dpopProof(key, "GET", url));
            assertRefused(server, client, "wrong URL", Jose.dpopProof(key, "POST", server.clavis.issuer(TestServer.AS) + "/introspect"));
            assertRefused(server, client, "other host", Jose.dpopProof(key, "POST", url.replace("localhost", "example.com")));
            Map<String, Object> old = Jose.dpopClaims("POST", url);
            old.put("iat", now - 600);
            assertRefused(server, client, "too old", Jose.sign(key, header, old));
            Map<String, Object> future = Jose.dpopClaims("POST", url);
            future.put("iat", now + 600);
            assertRefused(server, client, "from the future", Jose.sign(key, header, future));
            Map<String, Object> noJti = Jose.dpopClaims("POST", url);
            noJti.remove("jti");
            assertRefused(server, client, "no jti", Jose.sign(key, header, noJti));
            assertRefused(server, client, "signed by another key", Jose.sign(other, header, Jose.dpopClaims("POST", url)));
            Map<String, Object> jwtType = new LinkedHashMap<>(header);
            jwtType.put("typ", "JWT");
            assertRefused(server, client, "wrong typ", Jose.sign(key, jwtType, Jose.dpopClaims("POST", url)));
            Map<String, Object> noJwk = Map.of("typ", "dpop+jwt");
            assertRefused(server, client, "no jwk", Jose.sign(key, noJwk, Jose.dpopClaims("POST", url)));
            Map<String, Object> privateJwk = new LinkedHashMap<>(Jose.jwk(key.pair().getPublic()));
            privateJwk.put("d", Jose.b64(new byte[32]));
            Map<String, Object> withPrivate = new LinkedHashMap<>(header);
            withPrivate.put("jwk", privateJwk);
            assertRefused(server, client, "private key in jwk", Jose.sign(key, withPrivate, Jose.dpopClaims("POST", url)));
            String none = Jose.b64("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + Jose.b64(Json.write(Jose.dpopClaims("POST", url))) + ".";
            assertRefused(server, client, "alg none", none);
            assertRefused(server, client, "not a JWT", "garbage");
            Map<String, Object> oversized = Jose.dpopClaims("POST", url);
            oversized.put("padding", "x".repeat(9000));
            assertRefused(server, client, "over 8 KiB", Jose.sign(key, header, oversized));
            assertRefused(server, client, "two proofs", Jose.dpopProof(key, "POST", url), Jose.dpopProof(key, "POST", url));

            String proof = Jose.dpopProof(key, "POST", url);
            assertEquals(200, token(server, client, proof).statusCode());
            assertRefused(server, client, "replayed", proof);
            assertEquals(200, token(server, client, Jose.dpopProof(key, "POST", url)).statusCode(), "a fresh proof still works");
        }
    }

    @Test
    void aClientRegisteredForDpopMustSendAProof() {
        try (TestServer server = TestServer.start(dir)) {
            Map<String, Object> reg = server.register("{\"dpop_bound_access_tokens\":true}");
            String[] client = {(String) reg.get("client_id"), (String) reg.get("client_secret")};
            assertEquals(true, reg.get("dpop_bound_access_tokens"));
            assertRefused(server, client, "no proof");
            Jose.Key key = Jose.generate("EdDSA");
            HttpResponse<String> r = token(server, client, Jose.dpopProof(key, "POST", server.clavis.tokenEndpoint(TestServer.AS)));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("DPoP", TestServer.json(r).get("token_type"));
            HttpResponse<String> notBoolean = TestServer.postJson(server.registrationEndpoint(), "{\"dpop_bound_access_tokens\":\"yes\"}");
            assertEquals(400, notBoolean.statusCode());
            assertEquals("invalid_client_metadata", TestServer.json(notBoolean).get("error"));
        }
    }

    @Test
    void withDpopOffProofsAreIgnoredAndNotAdvertised() {
        try (TestServer server = TestServer.start(dir, "as.myAS.dpop", "false")) {
            Map<String, Object> metadata = TestServer.json(TestServer.get(server.url(Paths.METADATA_UNDER_ISSUER, TestServer.AS)));
            assertFalse(metadata.containsKey("dpop_signing_alg_values_supported"));
            String[] client = server.registerClient();
            HttpResponse<String> r = token(server, client, Jose.dpopProof(Jose.generate("ES256"), "POST", server.clavis.tokenEndpoint(TestServer.AS)));
            assertEquals(200, r.statusCode());
            assertEquals("Bearer", TestServer.json(r).get("token_type"));
            HttpResponse<String> refused = TestServer.postJson(server.registrationEndpoint(), "{\"dpop_bound_access_tokens\":true}");
            assertEquals(400, refused.statusCode());
            assertEquals("invalid_client_metadata", TestServer.json(refused).get("error"));
        }
    }

}
