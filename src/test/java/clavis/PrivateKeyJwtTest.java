package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/** private_key_jwt client authentication (RFC 7523 section 2.2) at the token, introspection and revocation endpoints. */
class PrivateKeyJwtTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        // Many refusals in a row from one client: keep the brute-force throttle out of the way.
        server = TestServer.start(dir, "throttle.client-failures", "1000");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String register(Jose.Key key, String extra) {
        Map<String, Object> reg = server.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + extra + "}");
        assertFalse(reg.containsKey("client_secret"), "a private_key_jwt client gets no secret");
        assertFalse(reg.containsKey("client_secret_expires_at"));
        assertEquals("private_key_jwt", reg.get("token_endpoint_auth_method"));
        return (String) reg.get("client_id");
    }

    private static String form(String assertion, String more) {
        return "grant_type=client_credentials&client_assertion_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
                + "&client_assertion=" + assertion + more;
    }

    private HttpResponse<String> token(String assertion) {
        return TestServer.postForm(server.tokenEndpoint(), null, form(assertion, ""));
    }

    private String assertion(Jose.Key key, String clientId, Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = Jose.assertionClaims(clientId, server.clavis.tokenEndpoint(TestServer.AS));
        change.accept(claims);
        return Jose.sign(key, Map.of("kid", key.jwk().get("kid")), claims);
    }

    @Test
    void eachAlgorithmAuthenticatesAndTheTokenVerifies() throws Exception {
        Map<String, Object> jwks = TestServer.json(TestServer.get(server.url(Paths.JWKS, TestServer.AS)));
        for (String alg : List.of("RS256", "PS256", "ES256", "EdDSA")) {
            Jose.Key key = Jose.generate(alg);
            String clientId = register(key, "");
            HttpResponse<String> r = token(assertion(key, clientId, c -> { }));
            assertEquals(200, r.statusCode(), alg + ": " + r.body());
            Map<String, Object> body = TestServer.json(r);
            assertEquals("Bearer", body.get("token_type"));
            JwtVerifier.Verified token = JwtVerifier.verify((String) body.get("access_token"), jwks);
            assertEquals(clientId, token.claims().get("client_id"));
        }
    }

    @Test
    void theIssuerAndTheTokenEndpointAreBothAcceptedAudiences() {
        Jose.Key key = Jose.generate("ES256");
        String clientId = register(key, "");
        String issuer = server.clavis.issuer(TestServer.AS);
        assertEquals(200, token(assertion(key, clientId, c -> c.put("aud", issuer))).statusCode());
        assertEquals(200, token(assertion(key, clientId, c -> c.put("aud", List.of("https://elsewhere.example", issuer)))).statusCode());
    }

    /** One refused assertion: 401 invalid_client, counted under {@code reason}, and the server still serves. */
    private void assertRefused(String reason, String assertion) {
        long before = server.authenticationFailures(reason);
        HttpResponse<String> r = token(assertion);
        assertEquals(401, r.statusCode(), reason + ": " + r.body());
        assertEquals("invalid_client", TestServer.json(r).get("error"), reason);
        assertEquals(before + 1, server.authenticationFailures(reason), "refused for " + reason);
        server.assertAlive();
    }

    @Test
    void badAssertionsAreInvalidClient() {
        Jose.Key key = Jose.generate("ES256");
        Jose.Key other = Jose.generate("ES256");
        String id = register(key, "");
        long now = System.currentTimeMillis() / 1000;
        assertRefused("bad_signature", Jose.sign(other, Map.of("kid", key.jwk().get("kid")), Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS))));
        assertRefused("bad_signature", Jose.sign(other, Map.of(), Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS))));
        assertRefused("wrong_audience", assertion(key, id, c -> c.put("aud", "https://another-server.example/token")));
        assertRefused("wrong_audience", assertion(key, id, c -> c.remove("aud")));
        assertRefused("expired", assertion(key, id, c -> c.put("exp", now - 120)));
        assertRefused("expired", assertion(key, id, c -> c.remove("exp")));
        assertRefused("lifetime_too_long", assertion(key, id, c -> c.put("exp", now + 2 * 3600)));
        assertRefused("lifetime_too_long", assertion(key, id, c -> {
            c.remove("iat");
            c.put("exp", now + 3600 + 120); // without iat, measured from now
        }));
        assertRefused("lifetime_too_long", assertion(key, id, c -> {
            c.put("iat", Long.MIN_VALUE); // exp - iat wraps around to a negative lifetime unless computed with care
            c.put("exp", Long.MAX_VALUE);
        }));
        assertRefused("malformed_assertion", assertion(key, id, c -> c.put("iat", "yesterday")));
        assertRefused("not_yet_valid", assertion(key, id, c -> c.put("nbf", now + 600)));
        assertRefused("wrong_issuer", assertion(key, id, c -> c.put("iss", "someone-else")));
        assertRefused("missing_jti", assertion(key, id, c -> c.remove("jti")));
        assertRefused("unknown_client", assertion(key, "no-such-client", c -> { }));
        assertRefused("malformed_assertion", "not-a-jwt");
        assertRefused("malformed_assertion", assertion(key, id, c -> c.put("padding", "x".repeat(9000)))); // over 8 KiB
        // alg none: an unsigned token with the right claims
        Map<String, Object> claims = Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS));
        String unsigned = Jose.b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Jose.b64(clavis.json.Json.write(claims)) + ".";
        assertRefused("wrong_algorithm", unsigned);

        assertEquals(200, token(assertion(key, id, c -> { })).statusCode(), "a good assertion still works");
        assertEquals(200, token(assertion(key, id, c -> c.put("exp", now + 3600))).statusCode(),
                "an assertion of an hour (Authlib's, Google's) is within the default as.<id>.client-assertion.max-lifetime");
    }

    @Test
    void anAssertionTypedAsAnotherKindOfJwtIsRefused() {
        Jose.Key key = Jose.generate("ES256");
        String id = register(key, "");
        Map<String, Object> claims = Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS));
        for (String typ : List.of("dpop+jwt", "at+jwt", "JOSE")) {
            assertRefused("wrong_type", Jose.sign(key, Map.of("typ", typ), Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS))));
        }
        for (String typ : List.of("JWT", "client-authentication+jwt", "application/client-authentication+jwt")) {
            HttpResponse<String> r = token(Jose.sign(key, Map.of("typ", typ), Jose.assertionClaims(id, server.clavis.tokenEndpoint(TestServer.AS))));
            assertEquals(200, r.statusCode(), typ + ": " + r.body());
        }
        assertEquals(200, token(Jose.sign(key, Map.of(), claims)).statusCode(), "no typ");
    }

    @Test
    void aReplayedAssertionIsRefusedAlsoAfterARestart() {
        Jose.Key key = Jose.generate("EdDSA");
        String id = register(key, "");
        String once = assertion(key, id, c -> { });
        assertEquals(200, token(once).statusCode());
        assertRefused("replayed", once);
        String again = assertion(key, id, c -> { });
        server.restart();
        assertEquals(200, token(again).statusCode());
        assertRefused("replayed", again);
    }

    @Test
    void aClientHoldingItsBoundOfLiveJtisIsRefusedUntilTheyExpire(@TempDir Path other) {
        TestClock clock = new TestClock();
        try (TestServer bounded = TestServer.start(other, clock, "as.myAS.client-assertion.max-live-jtis", "3")) {
            Jose.Key key = Jose.generate("EdDSA");
            String id = (String) bounded.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}")
                    .get("client_id");
            Jose.Key otherKey = Jose.generate("EdDSA");
            String otherId = (String) bounded.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + otherKey.jwks() + "}")
                    .get("client_id");
            java.util.function.BiFunction<Jose.Key, String, String> oneHour = (k, clientId) -> {
                Map<String, Object> claims = Jose.assertionClaims(clientId, bounded.clavis.tokenEndpoint(TestServer.AS));
                long now = clock.instant().getEpochSecond();
                claims.put("iat", now);
                claims.put("exp", now + 3600); // Authlib's default
                return Jose.sign(k, Map.of(), claims);
            };
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = TestServer.postForm(bounded.tokenEndpoint(), null, form(oneHour.apply(key, id), ""));
                assertEquals(200, r.statusCode(), r.body());
            }
            HttpResponse<String> refused = TestServer.postForm(bounded.tokenEndpoint(), null, form(oneHour.apply(key, id), ""));
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("invalid_client", TestServer.json(refused).get("error"));
            assertEquals(1, bounded.authenticationFailures("too_many_live_jtis"));
            bounded.assertAlive();
            assertEquals(200, TestServer.postForm(bounded.tokenEndpoint(), null, form(oneHour.apply(otherKey, otherId), "")).statusCode(),
                    "another client is not held to this one's jtis");

            clock.advance(java.time.Duration.ofMinutes(59));
            assertEquals(401, TestServer.postForm(bounded.tokenEndpoint(), null, form(oneHour.apply(key, id), "")).statusCode(),
                    "still held while they live");
            clock.advance(java.time.Duration.ofMinutes(3)); // past exp, the 30 s of skew and the end of that minute
            HttpResponse<String> again = TestServer.postForm(bounded.tokenEndpoint(), null, form(oneHour.apply(key, id), ""));
            assertEquals(200, again.statusCode(), "accepted again once its jtis have expired: " + again.body());
            assertEquals(2, bounded.authenticationFailures("too_many_live_jtis"));
        }
    }

    @Test
    void theRegisteredSigningAlgorithmIsEnforced() {
        Jose.Key rsa = Jose.generate("RS256");
        String id = register(rsa, ",\"token_endpoint_auth_signing_alg\":\"PS256\"");
        assertRefused("wrong_algorithm", assertion(rsa, id, c -> { }));
    }

    @Test
    void mixingMethodsOrNamingAnotherClientIsInvalidRequest() {
        Jose.Key key = Jose.generate("ES256");
        String id = register(key, "");
        String[] secretClient = server.registerClient();
        String good = assertion(key, id, c -> { });
        HttpResponse<String> withBasic = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(secretClient[0], secretClient[1]), form(good, ""));
        assertEquals(400, withBasic.statusCode());
        assertEquals("invalid_request", TestServer.json(withBasic).get("error"));
        HttpResponse<String> otherId = TestServer.postForm(server.tokenEndpoint(), null, form(good, "&client_id=" + secretClient[0]));
        assertEquals(400, otherId.statusCode());
        assertEquals("invalid_request", TestServer.json(otherId).get("error"));
        HttpResponse<String> wrongType = TestServer.postForm(server.tokenEndpoint(), null,
                "grant_type=client_credentials&client_assertion_type=urn%3Aexample&client_assertion=" + good);
        assertEquals(401, wrongType.statusCode());
        assertEquals("invalid_client", TestServer.json(wrongType).get("error"));
        // a secret client cannot switch to an assertion, nor a key client to a secret
        Jose.Key secretClientKey = Jose.generate("ES256");
        assertRefused("wrong_method", assertion(secretClientKey, secretClient[0], c -> { }));
        HttpResponse<String> basic = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, "anything"), "grant_type=client_credentials");
        assertEquals(401, basic.statusCode());
        assertEquals(200, token(good).statusCode(), "the unused good assertion still works");
    }

    @Test
    void introspectionAndRevocationAcceptAssertionsForTheirOwnUrl() {
        Jose.Key key = Jose.generate("ES256");
        String id = register(key, "");
        String accessToken = (String) TestServer.json(token(assertion(key, id, c -> { }))).get("access_token");
        String introspectUrl = server.clavis.issuer(TestServer.AS) + "/introspect";
        HttpResponse<String> introspection = TestServer.postForm(server.introspectionEndpoint(), null,
                form(assertion(key, id, c -> c.put("aud", introspectUrl)), "&token=" + accessToken).replace("grant_type=client_credentials&", ""));
        assertEquals(200, introspection.statusCode(), introspection.body());
        assertEquals(true, TestServer.json(introspection).get("active"));
        HttpResponse<String> revocation = TestServer.postForm(server.revocationEndpoint(), null,
                form(assertion(key, id, c -> c.put("aud", server.clavis.issuer(TestServer.AS) + "/revoke")), "&token=" + accessToken)
                        .replace("grant_type=client_credentials&", ""));
        assertEquals(200, revocation.statusCode(), revocation.body());
        HttpResponse<String> after = TestServer.postForm(server.introspectionEndpoint(), null,
                form(assertion(key, id, c -> { }), "&token=" + accessToken).replace("grant_type=client_credentials&", ""));
        assertEquals(Map.of("active", false), TestServer.json(after));
    }

    @Test
    void aServerCanAllowOnlyKeyBasedClients(@TempDir Path other) {
        try (TestServer keysOnly = TestServer.start(other, "as.myAS.auth-methods", "private_key_jwt")) {
            HttpResponse<String> r = TestServer.postJson(keysOnly.registrationEndpoint(), "{\"client_name\":\"secret client\"}");
            assertEquals(400, r.statusCode());
            assertEquals("invalid_client_metadata", TestServer.json(r).get("error"));
            Map<String, Object> metadata = TestServer.json(TestServer.get(keysOnly.url(Paths.METADATA_UNDER_ISSUER, TestServer.AS)));
            assertEquals(List.of("private_key_jwt"), metadata.get("token_endpoint_auth_methods_supported"));
            Jose.Key key = Jose.generate("EdDSA");
            String id = (String) keysOnly.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + "}").get("client_id");
            Map<String, Object> claims = Jose.assertionClaims(id, keysOnly.clavis.issuer(TestServer.AS));
            HttpResponse<String> token = TestServer.postForm(keysOnly.tokenEndpoint(), null, form(Jose.sign(key, Map.of(), claims), ""));
            assertEquals(200, token.statusCode(), token.body());
        }
    }

    @Test
    void keysCanComeFromAJwksUriOnAnAllowListedHost(@TempDir Path other) throws Exception {
        Jose.Key key = Jose.generate("ES256");
        com.sun.net.httpserver.HttpServer jwksServer = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            byte[] bytes = key.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        jwksServer.start();
        // The keys server is on loopback: only an allow-listed host may be there (and use http).
        try (TestServer allowing = TestServer.start(other, "fetch.allowed-hosts", "127.0.0.1", "throttle.client-failures", "1000")) {
            String uri = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
            String id = (String) allowing.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + uri + "\"}").get("client_id");
            Map<String, Object> claims = Jose.assertionClaims(id, allowing.clavis.tokenEndpoint(TestServer.AS));
            assertEquals(200, TestServer.postForm(allowing.tokenEndpoint(), null, form(Jose.sign(key, Map.of(), claims), "")).statusCode());
            claims = Jose.assertionClaims(id, allowing.clavis.tokenEndpoint(TestServer.AS));
            HttpResponse<String> wrongKey = TestServer.postForm(allowing.tokenEndpoint(), null, form(Jose.sign(Jose.generate("ES256"), Map.of(), claims), ""));
            assertEquals(401, wrongKey.statusCode());
            String unreachable = (String) allowing.register("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"http://127.0.0.1:1/jwks\"}")
                    .get("client_id");
            claims = Jose.assertionClaims(unreachable, allowing.clavis.tokenEndpoint(TestServer.AS));
            assertEquals(401, TestServer.postForm(allowing.tokenEndpoint(), null, form(Jose.sign(key, Map.of(), claims), "")).statusCode());
            assertEquals(2, allowing.authenticationFailures("bad_signature"));
            allowing.assertAlive();
        } finally {
            jwksServer.stop(0);
        }
    }

    @Test
    void aJwksUriOnAnInternalAddressIsRefusedAtRegistration() {
        for (String uri : List.of("http://127.0.0.1:8080/jwks", "https://127.0.0.1/jwks", "https://10.1.2.3/jwks", "https://172.16.0.1/jwks",
                "https://192.168.0.1/jwks", "https://169.254.169.254/latest/meta-data/", "https://100.64.0.1/jwks", "https://0.0.0.0/jwks",
                "https://[::1]/jwks", "https://[fd00::1]/jwks", "https://[fe80::1]/jwks", "https://[::]/jwks", "https://[::ffff:10.0.0.1]/jwks",
                "https://localhost/jwks", "https://keys.localhost/jwks", "https://127.1/jwks", "https://2130706433/jwks", "http://keys.example/jwks")) {
            HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(),
                    "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + uri + "\"}");
            assertEquals(400, r.statusCode(), uri);
            assertEquals("invalid_client_metadata", TestServer.json(r).get("error"), uri);
            assertTrue(((String) TestServer.json(r).get("error_description")).startsWith("jwks_uri cannot be fetched: "), r.body());
        }
        server.assertAlive();
        assertEquals(201, TestServer.postJson(server.registrationEndpoint(),
                "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"https://keys.example/jwks\"}").statusCode(),
                "a public https jwks_uri is fine (it is fetched at the first assertion)");
    }

    @Test
    void registrationRefusesKeysClavisCannotUse() {
        Jose.Key key = Jose.generate("ES256");
        Map<String, Object> withPrivate = new LinkedHashMap<>(key.jwk());
        withPrivate.put("d", "AAAA");
        String p384 = "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AAAA\",\"y\":\"AAAA\"}";
        String offCurve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + Jose.b64(new byte[32]) + "\",\"y\":\"" + Jose.b64(new byte[32]) + "\"}";
        for (String body : List.of(
                "{\"token_endpoint_auth_method\":\"private_key_jwt\"}",
                "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + clavis.json.Json.writeString(withPrivate) + "]}}",
                "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + p384 + "]}}",
                "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + offCurve + "]}}",
                "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":" + key.jwks() + ",\"token_endpoint_auth_signing_alg\":\"HS256\"}",
                "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"CN=x\"}")) {
            HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), body);
            assertEquals(400, r.statusCode(), body);
            assertEquals("invalid_client_metadata", TestServer.json(r).get("error"), body);
            assertTrue(TestServer.json(r).get("error_description") instanceof String);
        }
        server.assertAlive();
    }
}
