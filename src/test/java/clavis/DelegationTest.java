package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8693 token exchange and the RFC 7523 JWT bearer grant over real HTTP: every rule, each refusal with its code. */
class DelegationTest {
    static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    static final String ORDERS = "https://orders.example.com";
    static final String BILLING = "https://billing.example.com";

    @TempDir
    static Path dir;
    static TestServer server;
    static final TestClock CLOCK = new TestClock();
    /** The partner IAM whose tokens may be exchanged, and the workload issuer of the JWT bearer grant. */
    static final Jose.Key PARTNER = Jose.generate("ES256");
    static final Jose.Key WORKLOADS = Jose.generate("EdDSA");
    /** Service A (front), calling B (orders) which exchanges A's token for one to call C (billing). */
    static String[] front;
    static String[] orders;

    @BeforeAll
    static void start() throws Exception {
        Path partnerKeys = Files.writeString(dir.resolve("partner.json"), PARTNER.jwks());
        Path workloadKeys = Files.writeString(dir.resolve("workloads.json"), WORKLOADS.jwks());
        server = TestServer.start(dir, CLOCK, "as.myAS.scopes", "client-scope orders.read billing.read admin",
                "as.myAS.api.orders.uri", ORDERS, "as.myAS.api.orders.scopes", "orders.read",
                "as.myAS.api.billing.uri", BILLING, "as.myAS.api.billing.scopes", "billing.read",
                "as.myAS.token-exchange", "true",
                "as.myAS.token-exchange.trust.partner.issuer", "https://partner.example", "as.myAS.token-exchange.trust.partner.jwks",
                partnerKeys.toString(), "as.myAS.token-exchange.trust.partner.scopes", "orders.read",
                "as.myAS.jwt-bearer.trust.k8s.issuer", "https://k8s.example", "as.myAS.jwt-bearer.trust.k8s.jwks", workloadKeys.toString(),
                "as.myAS.jwt-bearer.trust.k8s.subjects", "system:serviceaccount:prod:*", "as.myAS.jwt-bearer.trust.k8s.scopes", "billing.read",
                "as.myAS.jwt-bearer.trust.k8s.max-lifetime", "3600", "as.myAS.jwt-bearer.trust.k8s.single-use", "true",
                "as.myAS.jwt-bearer.trust.k8s.anonymous", "true",
                "as.myAS.jwt-bearer.trust.ci.issuer", "https://ci.example", "as.myAS.jwt-bearer.trust.ci.jwks", workloadKeys.toString(),
                "as.myAS.jwt-bearer.trust.ci.subjects", "repo:acme/*", "as.myAS.jwt-bearer.trust.ci.scopes", "orders.read",
                "as.myAS.client.no-exchange.secret", "no-exchange-secret-0123", "as.myAS.client.no-exchange.token-exchange", "false",
                "throttle.client-failures", "1000", "throttle.address-failures", "1000");
        front = client("{\"scope\":\"orders.read billing.read\"}");
        orders = client("{\"scope\":\"orders.read billing.read\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] client(String metadata) {
        Map<String, Object> reg = server.register(metadata);
        return new String[] {(String) reg.get("client_id"), (String) reg.get("client_secret")};
    }

    private static HttpResponse<String> token(String[] client, String... params) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            if (form.length() > 0) form.append('&');
            form.append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return TestServer.postForm(server.tokenEndpoint(), client == null ? null : TestServer.basic(client[0], client[1]), form.toString());
    }

    private static Map<String, Object> claims(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return JwtVerifier.decodePart(((String) TestServer.json(r).get("access_token")).split("\\.")[1]);
    }

    private static void refused(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, TestServer.json(r).get("error"), r.body());
        server.assertAlive();
    }

    private static String accessToken(String[] client, String... params) {
        List<String> all = new java.util.ArrayList<>(List.of("grant_type", "client_credentials"));
        all.addAll(List.of(params));
        HttpResponse<String> r = token(client, all.toArray(String[]::new));
        assertEquals(200, r.statusCode(), r.body());
        return (String) TestServer.json(r).get("access_token");
    }

    private static HttpResponse<String> exchange(String[] client, String subjectToken, String... more) {
        return exchangeTyped(client, subjectToken, ACCESS_TOKEN, more);
    }

    private static HttpResponse<String> exchangeTyped(String[] client, String subjectToken, String subjectType, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", subjectType));
        all.addAll(List.of(more));
        return token(client, all.toArray(String[]::new));
    }

    private static String partnerToken(String sub, long lifetime, Map<String, Object> extra) {
        long now = CLOCK.instant().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://partner.example");
        c.put("sub", sub);
        c.put("iat", now);
        c.put("exp", now + lifetime);
        c.putAll(extra);
        return Jose.sign(PARTNER, Map.of(), c);
    }

    private static String workloadJwt(Map<String, Object> overrides) {
        long now = CLOCK.instant().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://k8s.example");
        c.put("sub", "system:serviceaccount:prod:billing-sync");
        c.put("aud", server.clavis.issuer(TestServer.AS));
        c.put("iat", now);
        c.put("exp", now + 600);
        c.put("jti", UUID.randomUUID().toString());
        c.putAll(overrides);
        c.values().removeIf(v -> v == null);
        return Jose.sign(WORKLOADS, Map.of(), c);
    }

    @Test
    void aServiceExchangesTheTokenItReceivedForOneToTheNextApiOnItsCallersBehalf() {
        // A calls B with a token for orders and for the billing calls B makes on its behalf
        String aToB = accessToken(front, "resource", ORDERS, "resource", BILLING);
        HttpResponse<String> r = exchange(orders, aToB, "resource", BILLING); // B asks for one to call C
        Map<String, Object> c = claims(r);
        assertEquals(ACCESS_TOKEN, TestServer.json(r).get("issued_token_type"));
        assertEquals(front[0], c.get("sub"), "the subject stays the caller");
        assertEquals(orders[0], c.get("client_id"), "the exchanging client is the client");
        assertEquals(Map.of("sub", orders[0]), c.get("act"), "act names who acts (RFC 8693 section 4.1)");
        assertEquals(BILLING, c.get("aud"));
        assertEquals("billing.read", c.get("scope"), "narrowed to the target API and the subject's and client's scopes");
        assertTrue(((Number) c.get("exp")).longValue() <= ((Number) JwtVerifier.decodePart(aToB.split("\\.")[1]).get("exp")).longValue(),
                "never outlives the subject token");

        refused(exchange(orders, accessToken(front, "resource", ORDERS), "resource", BILLING), 400, "invalid_target"); // nothing for C in it

        // C exchanges again: the actors nest, newest outermost
        Map<String, Object> again = claims(exchange(orders, (String) TestServer.json(r).get("access_token"), "audience", "billing"));
        assertEquals(Map.of("sub", orders[0], "act", Map.of("sub", orders[0])), again.get("act"));
    }

    @Test
    void anActorTokenNamesTheActorAndAnExternalSubjectGetsItsIssuersScopes() {
        String actor = accessToken(front);
        Map<String, Object> c = claims(exchangeTyped(orders, partnerToken("user-42", 300, Map.of()), JWT,
                "actor_token", actor, "actor_token_type", ACCESS_TOKEN));
        assertEquals("user-42", c.get("sub"));
        assertEquals(front[0], ((Map<?, ?>) c.get("act")).get("sub"), "the actor token's subject acts");
        assertEquals(orders[0], c.get("client_id"));
        assertEquals("orders.read", c.get("scope"), "the most a partner's subject may be given");
        assertTrue(((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue() <= 300);
    }

    @Test
    void badSubjectAndActorTokensAreInvalidGrant() {
        refused(exchange(orders, "not-a-jwt"), 400, "invalid_grant");
        String revoked = accessToken(front);
        assertEquals(200, server.revoke(front, revoked).statusCode());
        refused(exchange(orders, revoked), 400, "invalid_grant");
        String other = Jose.sign(Jose.generate("ES256"), Map.of(), Map.of("iss", "https://unknown.example", "sub", "x", "exp", 9_999_999_999L));
        refused(exchange(orders, other), 400, "invalid_grant");
        String forged = Jose.sign(Jose.generate("ES256"), Map.of(), Map.of("iss", "https://partner.example", "sub", "x", "exp", 9_999_999_999L));
        refused(exchangeTyped(orders, forged, JWT), 400, "invalid_grant");
        refused(exchangeTyped(orders, partnerToken("u", -120, Map.of()), JWT), 400, "invalid_grant"); // expired
        refused(exchangeTyped(orders, partnerToken("u", 300, Map.of("nbf", 9_999_999_999L)), JWT), 400, "invalid_grant");
        refused(exchange(orders, accessToken(front), "actor_token", "garbage", "actor_token_type", ACCESS_TOKEN), 400, "invalid_grant");
        String shortLived = accessToken(front);
        CLOCK.advance(Duration.ofSeconds(18001));
        refused(exchange(orders, shortLived), 400, "invalid_grant");
        claims(exchange(orders, accessToken(front))); // and a good one still works
    }

    @Test
    void aTokenOfADeletedClientIsNoLongerASubject() {
        Map<String, Object> reg = server.register("{\"scope\":\"orders.read\"}");
        String[] gone = {(String) reg.get("client_id"), (String) reg.get("client_secret")};
        String token = accessToken(gone);
        assertEquals(204, TestServer.withBearer("DELETE", (String) reg.get("registration_client_uri"),
                (String) reg.get("registration_access_token"), null).statusCode());
        refused(exchange(orders, token), 400, "invalid_grant");
    }

    @Test
    void malformedExchangesAreInvalidRequestAndUnknownTargetsInvalidTarget() {
        String subject = accessToken(front);
        refused(token(orders, "grant_type", EXCHANGE), 400, "invalid_request");
        refused(token(orders, "grant_type", EXCHANGE, "subject_token", subject), 400, "invalid_request");
        refused(exchangeTyped(orders, subject, "urn:x"), 400, "invalid_request");
        refused(exchange(orders, subject, "subject_token_type", JWT), 400, "invalid_request"); // sent twice
        refused(exchange(orders, subject, "requested_token_type", "urn:ietf:params:oauth:token-type:id_token"), 400, "invalid_request");
        refused(exchange(orders, subject, "actor_token_type", ACCESS_TOKEN), 400, "invalid_request");
        refused(exchange(orders, subject, "scope", "a", "scope", "b"), 400, "invalid_request");
        refused(exchange(orders, subject, "audience", "payroll"), 400, "invalid_target");
        refused(exchange(orders, subject, "resource", "https://payroll.example.com"), 400, "invalid_target");
        refused(exchange(orders, subject, "scope", "admin"), 400, "invalid_scope");
        assertEquals("orders.read", claims(exchange(orders, subject, "scope", "orders.read")).get("scope"));
    }

    @Test
    void exchangeIsOffForAClientAnOperatorSaidNoTo() {
        refused(exchange(new String[] {"no-exchange", "no-exchange-secret-0123"}, accessToken(front)), 400, "unauthorized_client");
        claims(exchange(front, accessToken(front), "scope", "orders.read")); // a registered client may exchange by default
        refused(token(front, "grant_type", "password"), 400, "unsupported_grant_type");
    }

    @Test
    void aBoundSubjectTokenIsExchangedOnlyWithItsBinding() {
        Jose.Key key = Jose.generate("ES256");
        String url = server.clavis.tokenEndpoint(TestServer.AS);
        HttpResponse<String> bound = TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", TestServer.basic(front[0], front[1]))
                .header("DPoP", Jose.dpopProof(key, "POST", url, CLOCK.instant().getEpochSecond())).POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertEquals(200, bound.statusCode(), bound.body());
        String dpopToken = (String) TestServer.json(bound).get("access_token");
        refused(exchange(orders, dpopToken), 400, "invalid_grant");
        HttpResponse<String> withProof = TestServer.send(HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", TestServer.basic(orders[0], orders[1]))
                .header("DPoP", Jose.dpopProof(key, "POST", url, CLOCK.instant().getEpochSecond())).POST(HttpRequest.BodyPublishers.ofString("grant_type=" + URLEncoder.encode(EXCHANGE,
                        StandardCharsets.UTF_8) + "&subject_token=" + dpopToken + "&subject_token_type=" + URLEncoder.encode(ACCESS_TOKEN,
                        StandardCharsets.UTF_8))).build());
        assertEquals(200, withProof.statusCode(), withProof.body());
        assertEquals("DPoP", TestServer.json(withProof).get("token_type"), "the new token is bound to the same key");
    }

    @Test
    void aWorkloadTradesItsIdentityTokenForAnAccessTokenWithoutASecret() {
        HttpResponse<String> r = token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of()));
        Map<String, Object> c = claims(r);
        assertEquals("system:serviceaccount:prod:billing-sync", c.get("sub"));
        assertEquals("k8s", c.get("client_id"), "anonymous: the trust's label");
        assertEquals("billing.read", c.get("scope"));
        Map<String, Object> introspected = server.introspect(orders, (String) TestServer.json(r).get("access_token"));
        assertEquals(true, introspected.get("active"), "an anonymous token is active although no client has that id");

        Map<String, Object> withClient = claims(token(orders, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of()),
                "resource", BILLING));
        assertEquals(orders[0], withClient.get("client_id"));
        assertEquals(BILLING, withClient.get("aud"));
    }

    @Test
    void aTrustThatIsNotAnonymousAlsoNeedsAnAuthenticatedClient() {
        Map<String, Object> ci = new LinkedHashMap<>(Map.of("iss", "https://ci.example", "sub", "repo:acme/orders:ref:refs/heads/main"));
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(ci)), 401, "invalid_client");
        Map<String, Object> c = claims(token(orders, "grant_type", JWT_BEARER, "assertion", workloadJwt(ci)));
        assertEquals(orders[0], c.get("client_id"));
        assertEquals("repo:acme/orders:ref:refs/heads/main", c.get("sub"));
        assertEquals("orders.read", c.get("scope"), "the trust's scopes within the client's");
        claims(token(orders, "grant_type", JWT_BEARER, "assertion", workloadJwt(ci))); // not single-use: the same identity again
    }

    @Test
    void badJwtBearerAssertionsAreInvalidGrant() {
        long now = CLOCK.instant().getEpochSecond();
        refused(token(null, "grant_type", JWT_BEARER), 400, "invalid_request");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", "nope"), 400, "invalid_grant");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of("iss", "https://other.example"))), 400, "invalid_grant");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", Jose.sign(Jose.generate("EdDSA"), Map.of(),
                Map.of("iss", "https://k8s.example", "sub", "system:serviceaccount:prod:x", "aud", server.clavis.issuer(TestServer.AS),
                        "exp", now + 60, "jti", "j"))), 400, "invalid_grant"); // signed by another key
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of("aud", "https://elsewhere.example"))), 400, "invalid_grant");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of("exp", now - 120))), 400, "invalid_grant");
        Map<String, Object> noExp = new LinkedHashMap<>();
        noExp.put("exp", null);
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(noExp)), 400, "invalid_grant");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of("exp", now + 7200))), 400, "invalid_grant"); // > max-lifetime
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of("sub", "system:serviceaccount:dev:x"))), 400, "invalid_grant");
        String once = workloadJwt(Map.of());
        claims(token(null, "grant_type", JWT_BEARER, "assertion", once));
        refused(token(null, "grant_type", JWT_BEARER, "assertion", once), 400, "invalid_grant"); // single-use
        Map<String, Object> noJti = new LinkedHashMap<>();
        noJti.put("jti", null);
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(noJti)), 400, "invalid_grant");
        refused(token(null, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of()), "scope", "orders.read"), 400, "invalid_scope");
        refused(token(new String[] {front[0], "wrong"}, "grant_type", JWT_BEARER, "assertion", workloadJwt(Map.of())), 401, "invalid_client");
    }

    @Test
    void theMetadataListsTheGrantsThatAreOnAndRegistrationAcceptsTheirUrns() {
        Map<String, Object> m = TestServer.json(TestServer.get(server.url(clavis.http.Paths.METADATA_UNDER_ISSUER, TestServer.AS)));
        assertEquals(List.of("client_credentials", EXCHANGE, JWT_BEARER), m.get("grant_types_supported"));
        server.register("{\"grant_types\":[\"client_credentials\",\"" + EXCHANGE + "\",\"" + JWT_BEARER + "\"]}");
    }

    @Test
    void underStrictGrantTypesOnlyAClientThatRegisteredExchangeMayExchange() throws Exception {
        try (TestServer strict = TestServer.start(Files.createDirectories(dir.resolve("strict")), "as.myAS.grant-types", "strict",
                "as.myAS.token-exchange", "true")) {
            String[] plain = strict.registerClient();
            Map<String, Object> reg = strict.register("{\"grant_types\":[\"client_credentials\",\"" + EXCHANGE + "\"]}");
            String[] exchanging = {(String) reg.get("client_id"), (String) reg.get("client_secret")};
            String subject = (String) strict.token(plain[0], plain[1]).get("access_token");
            String form = "grant_type=" + URLEncoder.encode(EXCHANGE, StandardCharsets.UTF_8) + "&subject_token=" + subject
                    + "&subject_token_type=" + URLEncoder.encode(ACCESS_TOKEN, StandardCharsets.UTF_8);
            HttpResponse<String> refusedPlain = TestServer.postForm(strict.tokenEndpoint(), TestServer.basic(plain[0], plain[1]), form);
            assertEquals(400, refusedPlain.statusCode());
            assertEquals("unauthorized_client", TestServer.json(refusedPlain).get("error"));
            assertTrue(((String) TestServer.json(refusedPlain).get("error_description")).contains("did not register"), refusedPlain.body());
            HttpResponse<String> ok = TestServer.postForm(strict.tokenEndpoint(), TestServer.basic(exchanging[0], exchanging[1]), form);
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }

    @Test
    void withTheGrantsOffTheyAreUnsupportedAndUnregistrable() throws Exception {
        try (TestServer plain = TestServer.start(Files.createDirectories(dir.resolve("plain")))) {
            String[] c = plain.registerClient();
            HttpResponse<String> r = TestServer.postForm(plain.tokenEndpoint(), TestServer.basic(c[0], c[1]), "grant_type=" + URLEncoder.encode(EXCHANGE,
                    StandardCharsets.UTF_8) + "&subject_token=x&subject_token_type=" + URLEncoder.encode(ACCESS_TOKEN, StandardCharsets.UTF_8));
            assertEquals("unsupported_grant_type", TestServer.json(r).get("error"));
            HttpResponse<String> b = TestServer.postForm(plain.tokenEndpoint(), null, "grant_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
                    + "&assertion=x");
            assertEquals("unsupported_grant_type", TestServer.json(b).get("error"));
            HttpResponse<String> reg = TestServer.postJson(plain.registrationEndpoint(), "{\"grant_types\":[\"" + EXCHANGE + "\"]}");
            assertEquals(400, reg.statusCode());
            assertEquals("invalid_client_metadata", TestServer.json(reg).get("error"));
            Map<String, Object> m = TestServer.json(TestServer.get(plain.url(clavis.http.Paths.METADATA_UNDER_ISSUER, TestServer.AS)));
            assertEquals(List.of("client_credentials"), m.get("grant_types_supported"));
            assertFalse(m.toString().contains("token-exchange"));
        }
    }
}
