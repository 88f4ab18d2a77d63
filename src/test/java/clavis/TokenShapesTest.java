package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import clavis.config.Config;

/**
 * Tokens of any shape from the Java API (item 1 of the test-double issue): what was asked is what is signed, the
 * bad shapes are refused by an independent verifier and by the server's own introspection, and clients register with
 * a chosen method in one call.
 */
class TokenShapesTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    static Clavis server;
    static Clavis.RegisteredClient caller;

    @BeforeAll
    static void start() {
        server = Clavis.start(Config.builder().authorizationServer("myAS", "orders.read orders.write").set("as.myAS.token-lifetime", "600")
                .clock(CLOCK).build());
        caller = server.registerClient("myAS", null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> jwks() {
        return TestServer.json(TestServer.get(server.jwksUri("myAS")));
    }

    private static boolean active(String token) {
        HttpResponse<String> r = TestServer.postForm(server.issuer("myAS") + "/introspect", TestServer.basic(caller.clientId(), caller.clientSecret()),
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return Boolean.TRUE.equals(TestServer.json(r).get("active"));
    }

    @Test
    void byDefaultATokenIsWhatTheTokenEndpointIssuesAndIsActive() throws Exception {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).scope("orders.read").mint();
        JwtVerifier.Verified v = JwtVerifier.verify(t.jwt(), jwks());
        assertEquals("at+jwt", v.header().get("typ"));
        assertEquals(server.issuer("myAS"), v.claims().get("iss"));
        assertEquals(server.issuer("myAS"), v.claims().get("aud"));
        assertEquals(caller.clientId(), v.claims().get("sub"));
        assertEquals(CLOCK.instant().getEpochSecond(), ((Number) v.claims().get("iat")).longValue());
        assertEquals(CLOCK.instant().getEpochSecond() + 600, ((Number) v.claims().get("exp")).longValue());
        assertEquals(t.claims(), v.claims(), "the claims returned are the ones signed");
        assertTrue(active(t.jwt()));
    }

    @Test
    void everyClaimTimeAndTypAskedForIsSigned() throws Exception {
        Instant iat = CLOCK.instant().minusSeconds(30);
        TokenBuilder.MintedToken t = server.token("myAS").subject("alice").clientId("orders-app").scope("orders.read orders.write")
                .audience("https://orders.example", "https://billing.example").claim("tenant", "t-1").claim("roles", List.of("admin"))
                .issuedAt(iat).notBefore(iat.plusSeconds(10)).expiresAt(iat.plusSeconds(90)).type("JWT").mint();
        JwtVerifier.Verified v = JwtVerifier.verify(t.jwt(), jwks());
        assertEquals("JWT", v.header().get("typ"));
        assertEquals("alice", v.claims().get("sub"));
        assertEquals("orders-app", v.claims().get("client_id"));
        assertEquals("orders.read orders.write", v.claims().get("scope"));
        assertEquals(List.of("https://orders.example", "https://billing.example"), v.claims().get("aud"));
        assertEquals("t-1", v.claims().get("tenant"));
        assertEquals(List.of("admin"), v.claims().get("roles"));
        assertEquals(iat.getEpochSecond(), ((Number) v.claims().get("iat")).longValue());
        assertEquals(iat.getEpochSecond() + 10, ((Number) v.claims().get("nbf")).longValue());
        assertEquals(iat.getEpochSecond() + 90, ((Number) v.claims().get("exp")).longValue());
    }

    @Test
    void oneAudienceIsAStringALifetimeSetsExpAndANullClaimIsLeftOut() throws Exception {
        TokenBuilder.MintedToken t = server.token("myAS").audience("https://orders.example").lifetime(Duration.ofSeconds(42))
                .claim("jti", null).mint();
        assertEquals("https://orders.example", t.claims().get("aud"));
        assertEquals(42, ((Number) t.claims().get("exp")).longValue() - ((Number) t.claims().get("iat")).longValue());
        assertFalse(t.claims().containsKey("jti"));
        assertEquals(t.claims(), JwtVerifier.verify(t.jwt(), jwks()).claims());
    }

    @Test
    void anExpiredTokenExpiredBeforeNowAndIsInactive() throws Exception {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).expired().mint();
        long exp = ((Number) JwtVerifier.verify(t.jwt(), jwks()).claims().get("exp")).longValue();
        assertEquals(CLOCK.instant().minus(TokenBuilder.BAD_TIME_MARGIN).getEpochSecond(), exp);
        assertFalse(active(t.jwt()));
    }

    @Test
    void aNotYetValidTokenStartsAfterNow() throws Exception {
        TokenBuilder.MintedToken t = server.token("myAS").notYetValid().mint();
        Map<String, Object> claims = JwtVerifier.verify(t.jwt(), jwks()).claims();
        long later = CLOCK.instant().plus(TokenBuilder.BAD_TIME_MARGIN).getEpochSecond();
        assertEquals(later, ((Number) claims.get("nbf")).longValue());
        assertEquals(later, ((Number) claims.get("iat")).longValue());
        assertTrue(((Number) claims.get("exp")).longValue() > later);
    }

    @Test
    void aTokenSignedByAnUnknownKeyNamesAKidTheJwksDoesNotPublish() {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).signedByUnknownKey().mint();
        assertEquals(server.token("myAS").mint().header().get("alg"), t.header().get("alg"), "the same algorithm");
        AssertionError e = assertThrows(AssertionError.class, () -> JwtVerifier.verify(t.jwt(), jwks()));
        assertTrue(e.getMessage().contains("no key"), e.getMessage());
        assertFalse(active(t.jwt()));
    }

    @Test
    void anUnknownKeyUnderThePublishedKidFailsItsSignature() {
        String kid = (String) server.token("myAS").mint().header().get("kid");
        TokenBuilder.MintedToken t = server.token("myAS").signedByUnknownKey().keyId(kid).mint();
        AssertionError e = assertThrows(AssertionError.class, () -> JwtVerifier.verify(t.jwt(), jwks()));
        assertEquals("bad signature", e.getMessage());
    }

    @Test
    void aWrongIssuerIsSignedByTheRightKeyButRefused() throws Exception {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).wrongIssuer().mint();
        assertEquals(TokenBuilder.WRONG_ISSUER, JwtVerifier.verify(t.jwt(), jwks()).claims().get("iss"));
        assertFalse(active(t.jwt()));
    }

    @Test
    void anAlgNoneTokenHasNoSignatureAndIsRefused() {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).algNone().mint();
        assertEquals("none", t.header().get("alg"));
        assertNull(t.header().get("kid"));
        assertTrue(t.jwt().endsWith("."), t.jwt());
        assertThrows(AssertionError.class, () -> JwtVerifier.verify(t.jwt(), jwks()));
        assertFalse(active(t.jwt()));
    }

    @Test
    void aTamperedSignatureDiffersInOneBitAndIsRefused() {
        TokenBuilder.MintedToken t = server.token("myAS").clientId(caller.clientId()).tamperedSignature().mint();
        AssertionError e = assertThrows(AssertionError.class, () -> JwtVerifier.verify(t.jwt(), jwks()));
        assertEquals("bad signature", e.getMessage());
        assertFalse(active(t.jwt()));
    }

    @Test
    void mintTokenStaysTheShortFormAndAnUnknownServerIsRefused() throws Exception {
        String token = server.mintToken("myAS", caller.clientId(), null);
        assertEquals(caller.clientId(), JwtVerifier.verify(token, jwks()).claims().get("client_id"));
        assertThrows(IllegalArgumentException.class, () -> server.token("otherAS"));
    }

    @Test
    void aClientRegistersWithAChosenMethodAndScopeInOneCall() {
        Clavis.RegisteredClient post = server.registerClient("myAS", "orders.write", "client_secret_post");
        assertEquals("orders.write", post.scope());
        HttpResponse<String> byPost = TestServer.postForm(server.tokenEndpoint("myAS"), null, "grant_type=client_credentials&client_id="
                + post.clientId() + "&client_secret=" + post.clientSecret());
        assertEquals(200, byPost.statusCode(), byPost.body());
        HttpResponse<String> byBasic = TestServer.postForm(server.tokenEndpoint("myAS"), TestServer.basic(post.clientId(), post.clientSecret()),
                "grant_type=client_credentials");
        assertEquals(401, byBasic.statusCode(), "the method registered is the one that works");

        Jose.Key key = Jose.generate("ES256");
        Clavis.RegisteredClient keyed = server.registerClientWithMetadata("myAS", Map.of("token_endpoint_auth_method", "private_key_jwt",
                "jwks", Map.of("keys", List.of(key.jwk())), "scope", "orders.read"));
        assertNull(keyed.clientSecret(), "a key-based client has no secret");
        assertEquals("orders.read", keyed.scope());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.registerClient("myAS", "orders.read", "tls_client_auth"));
        assertTrue(e.getMessage().startsWith("invalid_client_metadata"), e.getMessage());
        assertNotEquals(post.clientId(), keyed.clientId());
    }

    @Test
    void aClientRegistersWithItsOwnTokenLifetimeAndClaimsInOneCall() throws Exception {
        Clavis.RegisteredClient tenant = server.registerClientWithMetadata("myAS", Map.of("scope", "orders.read",
                "access_token_lifetime", 120, "access_token_claims", Map.of("tenant", "acme", "tier", 3)));
        String token = server.mintToken("myAS", tenant.clientId(), null);
        Map<String, Object> claims = JwtVerifier.verify(token, jwks()).claims();
        assertEquals("acme", claims.get("tenant"));
        assertEquals(3, ((Number) claims.get("tier")).intValue());
        assertEquals(120, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue(), "its own lifetime, not the server's 600 s");

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> server.registerClientWithMetadata("myAS",
                Map.of("client_name", "too long", "access_token_lifetime", 601)));
        assertTrue(tooLong.getMessage().startsWith("invalid_request"), tooLong.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class, () -> server.registerClientWithMetadata("myAS",
                Map.of("access_token_claims", Map.of("iss", "https://evil.example"))));
        assertTrue(reserved.getMessage().startsWith("invalid_request"), reserved.getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.registerClientWithMetadata("myAS", Map.of("token_exchange", "yes")));
    }
}
