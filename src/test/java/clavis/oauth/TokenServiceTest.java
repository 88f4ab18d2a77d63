package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import clavis.TestClock;
import clavis.json.Json;
import clavis.jwt.Base64Url;
import clavis.jwt.Jws;
import clavis.jwt.KeyRing;
import clavis.jwt.PublicJwk;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;
import clavis.store.Database;
import clavis.store.JdbcSigningKeyRepository;
import clavis.store.JdbcUsedJtiRepository;

/**
 * The client credentials grant (RFC 6749 section 4.4) on values: the RFC 9068 claims of a token signed with the
 * server's key ring, scope narrowing, the grant's errors, and what binds a token (RFC 9449, RFC 8705).
 */
class TokenServiceTest {
    private static final long START = 1_800_000_000L;
    private static final long LIFETIME_SECONDS = 300;
    private static final String TOKEN_ENDPOINT = "https://as.example/token";

    private final Database db = Database.open("jdbc:sqlite::memory:");
    private final TestClock clock = new TestClock(Instant.ofEpochSecond(START));
    private final SecureRandom random = new SecureRandom();
    private final KeyRing ring = KeyRing.load(new JdbcSigningKeyRepository(db), "myAS", SigningAlgorithm.ES256, "at+jwt",
            LIFETIME_SECONDS, 0, clock, random);
    private final AuthorizationServer as = as(false);
    private final CountingEvents events = new CountingEvents();
    private final TokenService tokens = new TokenService(clock, random, events);
    private final Client client = client("c1", Map.of("scope", "read write"));

    @AfterEach
    void close() {
        db.close();
    }

    /** Events is a port (metrics implement it); this one counts issued tokens. */
    static final class CountingEvents implements Events {
        int issued;

        public void tokenIssued(String asId) {
            issued++;
        }

        public void clientRegistered(String asId) {
        }

        public void authenticationFailed(String asId, String reason) {
        }

        public void throttled(String asId) {
        }
    }

    private AuthorizationServer as(boolean dpop) {
        return new AuthorizationServer("myAS",
                new AuthorizationServer.Urls("https://as.example", TOKEN_ENDPOINT, "https://as.example/register",
                        "https://as.example/jwks", "https://as.example/introspect", "https://as.example/revoke"),
                new AuthorizationServer.TokenPolicy(Scope.parse("read write admin", OAuthError.INVALID_REQUEST),
                        Scope.parse("read", OAuthError.INVALID_REQUEST), LIFETIME_SECONDS, "https://api.example", dpop, true, List.of(), false),
                new AuthorizationServer.ClientPolicy(AuthorizationServer.RegistrationPolicy.OPEN, 0, 0, List.of(AuthMethod.CLIENT_SECRET_BASIC),
                        3600, 100_000, new SoftwareStatementPolicy(Map.of(), false, 0)),
                ring);
    }

    private static Client client(String clientId, Map<String, Object> metadata) {
        return new Client(clientId, "myAS", Secrets.hash("s"), "", ClientMetadata.parse(metadata), START, 0, true, ClientTokens.NONE);
    }

    private TokenResponse issue(String scope) {
        return tokens.issue(as, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, scope, List.of()), Map.of());
    }

    /** The token's claims, after checking its header and its signature with the public JWK the server publishes. */
    private Map<String, Object> verified(String token) {
        Jws jws = Jws.parse(token, 8192);
        SigningKey active = ring.signer().key();
        assertEquals(Map.of("alg", "ES256", "typ", "at+jwt", "kid", active.kid()), jws.header());
        assertEquals(List.of(active.publicJwk()), ring.jwks().get("keys"));
        assertTrue(jws.verifiedBy(PublicJwk.parse(active.publicJwk())), "signed by the published key");
        assertEquals(ring.verify(token).orElseThrow(), jws.claims());
        return jws.claims();
    }

    private static void assertRefused(OAuthError error, Runnable call) {
        OAuthException e = assertThrows(OAuthException.class, call::run);
        assertEquals(error, e.error(), e.description());
    }

    @Test
    void aTokenCarriesTheRfc9068ClaimsOnTheServersClock() {
        TokenResponse r = issue(null);
        Map<String, Object> claims = verified(r.accessToken());
        assertEquals(List.of("iss", "sub", "aud", "client_id", "scope", "iat", "exp", "jti"), List.copyOf(claims.keySet()));
        assertEquals("https://as.example", claims.get("iss"));
        assertEquals("c1", claims.get("sub"));
        assertEquals("https://api.example", claims.get("aud"));
        assertEquals("c1", claims.get("client_id"));
        assertEquals("read write", claims.get("scope"));
        assertEquals(START, ((Number) claims.get("iat")).longValue());
        assertEquals(START + LIFETIME_SECONDS, ((Number) claims.get("exp")).longValue());
        assertEquals(22, ((String) claims.get("jti")).length(), "128 random bits, base64url");

        clock.advance(Duration.ofSeconds(1000));
        Map<String, Object> later = verified(issue(null).accessToken());
        assertEquals(START + 1000, ((Number) later.get("iat")).longValue());
        assertEquals(START + 1000 + LIFETIME_SECONDS, ((Number) later.get("exp")).longValue());
        assertNotEquals(claims.get("jti"), later.get("jti"));
    }

    @Test
    void theResponseIsABearerTokenForTheLifetimeWithItsScope() {
        TokenResponse r = issue(null);
        assertEquals("Bearer", r.tokenType());
        assertEquals(LIFETIME_SECONDS, r.expiresIn());
        assertEquals("read write", r.scope().toString());
        Map<String, Object> json = r.toJson();
        assertEquals(List.of("access_token", "scope", "token_type", "expires_in"), List.copyOf(json.keySet()));
        assertEquals(LIFETIME_SECONDS, json.get("expires_in"));
        assertEquals(1, events.issued);
    }

    @Test
    void aRequestedScopeNarrowsTheToken() {
        TokenResponse r = issue("write");
        assertEquals("write", r.scope().toString());
        assertEquals("write", verified(r.accessToken()).get("scope"));
        assertEquals("write read", issue("write read").scope().toString(), "in the requested order");
        assertEquals("read", issue("read  read ").scope().toString(), "repeats and extra spaces count once");
    }

    @Test
    void aScopeBeyondTheClientsIsInvalidScope() {
        for (String scope : List.of("admin", "read admin", "unknown", " ", "read \"quoted\"", "caf\u00e9")) {
            assertRefused(OAuthError.INVALID_SCOPE, () -> issue(scope));
        }
        assertEquals(0, events.issued);
    }

    @Test
    void onlyTheClientCredentialsGrantIsSupported() {
        for (String grant : List.of("password", "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "CLIENT_CREDENTIALS", "client_credentials ", "")) {
            assertRefused(OAuthError.UNSUPPORTED_GRANT_TYPE, () -> tokens.issue(as, client, new TokenRequest(grant, null, List.of()), Map.of()));
        }
        assertRefused(OAuthError.UNSUPPORTED_GRANT_TYPE, () -> tokens.issue(as, client, new TokenRequest("password", "admin", List.of()), Map.of()));
        assertEquals(0, events.issued);
    }

    @Test
    void aConfirmationBindsTheTokenAndAKeyMakesItADpopToken() {
        TokenResponse dpop = tokens.issue(as, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, null, List.of()), Map.of("jkt", "thumb"));
        assertEquals("DPoP", dpop.tokenType());
        assertEquals(Map.of("jkt", "thumb"), verified(dpop.accessToken()).get("cnf"));

        TokenResponse certificate = tokens.issue(as, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, null, List.of()), Map.of("x5t#S256", "cert"));
        assertEquals("Bearer", certificate.tokenType(), "RFC 8705 section 3: a certificate-bound token is still a Bearer token");
        assertEquals(Map.of("x5t#S256", "cert"), verified(certificate.accessToken()).get("cnf"));

        Map<String, Object> both = new LinkedHashMap<>();
        both.put("jkt", "thumb");
        both.put("x5t#S256", "cert");
        TokenResponse r = tokens.issue(as, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, null, List.of()), both);
        assertEquals("DPoP", r.tokenType());
        assertEquals(both, verified(r.accessToken()).get("cnf"));

        assertFalse(verified(issue(null).accessToken()).containsKey("cnf"), "an unbound token has no cnf");
    }

    @Test
    void aCertificateBoundClientsTokenCarriesItsCertificatesThumbprint() throws GeneralSecurityException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(TokenServiceTest.class.getResourceAsStream("/clavis/unit-test-client.pem"));
        Client bound = client("c2", Map.of("scope", "read", "tls_client_certificate_bound_access_tokens", true));
        TokenBinding binding = new TokenBinding(new DpopProofs(new JdbcUsedJtiRepository(db), clock));

        Map<String, Object> cnf = binding.confirmation(as, bound, List.of(), new X509Certificate[] {certificate});
        String thumbprint = Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        assertEquals(Map.of("x5t#S256", thumbprint), cnf);
        TokenResponse r = tokens.issue(as, bound, new TokenRequest(TokenService.CLIENT_CREDENTIALS, null, List.of()), cnf);
        assertEquals(Map.of("x5t#S256", thumbprint), verified(r.accessToken()).get("cnf"));

        assertRefused(OAuthError.INVALID_REQUEST, () -> binding.confirmation(as, bound, List.of(), null));
        assertEquals(Map.of(), binding.confirmation(as, client, List.of(), new X509Certificate[] {certificate}),
                "a client that did not ask for bound tokens gets Bearer tokens");
    }

    @Test
    void aDpopProofBindsTheTokenToTheProofsKey() throws GeneralSecurityException {
        AuthorizationServer withDpop = as(true);
        TokenBinding binding = new TokenBinding(new DpopProofs(new JdbcUsedJtiRepository(db), clock));
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Map<String, Object> jwk = PublicJwk.of(key.getPublic()).members();
        String proof = dpopProof(key, jwk);

        Map<String, Object> cnf = binding.confirmation(withDpop, client, List.of(proof), null);
        String jkt = Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(
                ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + jwk.get("x") + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("jkt", jkt), cnf, "the RFC 7638 thumbprint of the proof's key");
        TokenResponse r = tokens.issue(withDpop, client, new TokenRequest(TokenService.CLIENT_CREDENTIALS, null, List.of()), cnf);
        assertEquals("DPoP", r.tokenType());
        assertEquals(Map.of("jkt", jkt), verified(r.accessToken()).get("cnf"));

        assertRefused(OAuthError.INVALID_DPOP_PROOF, () -> binding.confirmation(withDpop, client, List.of(proof), null));
        assertEquals(Map.of(), binding.confirmation(as, client, List.of(dpopProof(key, jwk)), null), "DPoP off: the proof is ignored");
    }

    /** A DPoP proof (RFC 9449 section 4.2) for POST to the token endpoint, signed with plain java.security. */
    private String dpopProof(KeyPair key, Map<String, Object> jwk) throws GeneralSecurityException {
        Map<String, Object> header = Map.of("typ", "dpop+jwt", "alg", "EdDSA", "jwk", jwk);
        Map<String, Object> claims = Map.of("htm", "POST", "htu", TOKEN_ENDPOINT, "iat", clock.instant().getEpochSecond(),
                "jti", java.util.UUID.randomUUID().toString());
        String input = Base64Url.encode(Json.write(header)) + "." + Base64Url.encode(Json.write(claims));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64Url.encode(s.sign());
    }
}
