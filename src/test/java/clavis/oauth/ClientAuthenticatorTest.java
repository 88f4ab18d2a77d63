package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import clavis.TestClock;
import clavis.json.Json;
import clavis.jwt.Base64Url;
import clavis.jwt.Jws;
import clavis.jwt.PublicJwk;
import clavis.store.Database;
import clavis.store.JdbcClientRepository;
import clavis.store.JdbcUsedJtiRepository;

/**
 * Client authentication on real repositories (in-memory SQLite), real checks and a clock the test moves: each method,
 * each reason it fails (reported to Events, never to the client), and throttling after the allowance.
 */
class ClientAuthenticatorTest {
    private static final long START = 1_800_000_000L;
    private static final String TOKEN_ENDPOINT = "https://as.example/token";
    private static final String ADDRESS = "192.0.2.1";
    private static final int CLIENT_FAILURES = 5;
    private static final int WINDOW_SECONDS = 60;
    private static final long SECRET_LIFETIME_SECONDS = 3600;

    private final Database db = Database.open("jdbc:sqlite::memory:");
    private final JdbcClientRepository clients = new JdbcClientRepository(db);
    private final TestClock clock = new TestClock(Instant.ofEpochSecond(START));
    private final ClientKeys keys = new ClientKeys();
    private final RecordingEvents events = new RecordingEvents();
    private final ClientAuthenticator authenticator = new ClientAuthenticator(clients, new Secrets(new SecureRandom()),
            new ClientAssertions(keys, new JdbcUsedJtiRepository(db), clock), new ClientCertificates(Set.of(), keys, clock),
            new FailureThrottle(CLIENT_FAILURES, 100, WINDOW_SECONDS, clock), events, Audit.NONE, clock);
    private final KeyPair clientKey = ed25519();

    @AfterEach
    void close() {
        db.close();
    }

    /** Events is a port (metrics implement it); this one remembers what was reported. */
    static final class RecordingEvents implements Events {
        final List<String> failures = new ArrayList<>();
        int throttled;

        public void tokenIssued(String asId) {
        }

        public void clientRegistered(String asId) {
        }

        public synchronized void authenticationFailed(String asId, String reason) {
            failures.add(asId + ":" + reason);
        }

        public synchronized void throttled(String asId) {
            throttled++;
        }
    }

    private static AuthorizationServer as(AuthMethod... on) {
        return new AuthorizationServer("myAS",
                new AuthorizationServer.Urls("https://as.example", TOKEN_ENDPOINT, "https://as.example/register",
                        "https://as.example/jwks", "https://as.example/introspect", "https://as.example/revoke"),
                new AuthorizationServer.TokenPolicy(Scope.parse("read write", OAuthError.INVALID_REQUEST),
                        Scope.parse("read", OAuthError.INVALID_REQUEST), 300, "api", false, true, List.of(), false),
                new AuthorizationServer.ClientPolicy(AuthorizationServer.RegistrationPolicy.OPEN, 0, SECRET_LIFETIME_SECONDS, List.of(on), 3600, 100_000,
                        new SoftwareStatementPolicy(Map.of(), false, 0)),
                null);
    }

    private static final AuthorizationServer ALL = as(AuthMethod.values());

    /** Stores a client registered with {@code method}; its secret (null for none) and its metadata's other members. */
    private void store(String clientId, AuthMethod method, String secret, long secretExpiresAt, Map<String, Object> more) {
        Map<String, Object> request = new LinkedHashMap<>(more);
        request.put("token_endpoint_auth_method", method.wireName());
        clients.insert(new Client(clientId, "myAS", secret == null ? "" : Secrets.hash(secret), "", ClientMetadata.parse(request), START,
                secretExpiresAt, true, ClientTokens.NONE), 0);
    }

    private void storeKeyClient(String clientId, PublicJwk key) {
        store(clientId, AuthMethod.PRIVATE_KEY_JWT, null, 0, Map.of("jwks", Map.of("keys", List.of(key.members()))));
    }

    private Client authenticate(AuthorizationServer as, ClientCredentials credentials) {
        return authenticator.authenticate(as, credentials, ADDRESS);
    }

    /** Refused as invalid_client with the one description every failure has, and reported to Events as {@code reason}. */
    private void assertFails(String reason, AuthorizationServer as, ClientCredentials credentials) {
        int before = events.failures.size();
        OAuthException e = assertThrows(OAuthException.class, () -> authenticate(as, credentials), reason);
        assertEquals(OAuthError.INVALID_CLIENT, e.error(), reason);
        assertEquals("client authentication failed", e.description(), reason);
        assertEquals(List.of("myAS:" + reason), events.failures.subList(before, events.failures.size()));
    }

    @Test
    void theRightSecretAuthenticatesByTheRegisteredMethod() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        store("post-client", AuthMethod.CLIENT_SECRET_POST, "p0st", 0, Map.of());
        assertEquals("basic-client", authenticate(ALL, new ClientCredentials.Basic("basic-client", "s3cret")).clientId());
        assertEquals("post-client", authenticate(ALL, new ClientCredentials.Post("post-client", "p0st")).clientId());
        assertEquals(List.of(), events.failures);
    }

    @Test
    void aWrongSecretAndAnUnknownClientFailTheSameWay() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", "wrong"));
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", ""));
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", Secrets.hash("s3cret")));
        assertFails("unknown_client", ALL, new ClientCredentials.Basic("nobody", "s3cret"));
        assertFails("unknown_client", ALL, new ClientCredentials.Post("nobody", "s3cret"));
    }

    @Test
    void aClientWithoutASecretHasNoSecretThatMatches() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("key-client", ""));
        assertFails("wrong_secret", ALL, new ClientCredentials.Post("key-client", ""));
    }

    @Test
    void theRightSecretByAnotherMethodIsTheWrongMethod() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        store("post-client", AuthMethod.CLIENT_SECRET_POST, "p0st", 0, Map.of());
        assertFails("wrong_method", ALL, new ClientCredentials.Post("basic-client", "s3cret"));
        assertFails("wrong_method", ALL, new ClientCredentials.Basic("post-client", "p0st"));
    }

    @Test
    void aMethodTheServerTurnedOffIsTheWrongMethod() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        AuthorizationServer keysOnly = as(AuthMethod.PRIVATE_KEY_JWT);
        assertFails("wrong_method", keysOnly, new ClientCredentials.Basic("basic-client", "s3cret"));
        assertFails("wrong_method", as(AuthMethod.CLIENT_SECRET_BASIC), new ClientCredentials.Assertion("key-client",
                assertion(clientKey, claims("key-client")), TOKEN_ENDPOINT));
        assertEquals("key-client", authenticate(keysOnly, new ClientCredentials.Assertion("key-client",
                assertion(clientKey, claims("key-client")), TOKEN_ENDPOINT)).clientId());
    }

    @Test
    void aSecretExpiresAtItsExpiryTime() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", START + SECRET_LIFETIME_SECONDS, Map.of());
        clock.advance(Duration.ofSeconds(SECRET_LIFETIME_SECONDS - 1));
        assertEquals("basic-client", authenticate(ALL, new ClientCredentials.Basic("basic-client", "s3cret")).clientId());
        clock.advance(Duration.ofSeconds(1));
        assertFails("expired_secret", ALL, new ClientCredentials.Basic("basic-client", "s3cret"));
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", "wrong"));
    }

    @Test
    void aGoodAssertionAuthenticatesOnceAndItsReplayFails() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        Jws jws = assertion(clientKey, claims("key-client"));
        assertEquals("key-client", authenticate(ALL, new ClientCredentials.Assertion("key-client", jws, TOKEN_ENDPOINT)).clientId());
        clock.advance(Duration.ofSeconds(100));
        assertFails("replayed", ALL, new ClientCredentials.Assertion("key-client", jws, TOKEN_ENDPOINT));
        assertEquals("key-client", authenticate(ALL, new ClientCredentials.Assertion("key-client",
                assertion(clientKey, claims("key-client")), TOKEN_ENDPOINT)).clientId(), "a new jti is a new assertion");
    }

    @Test
    void anAssertionExpiresWithItsExpPlusTheSkew() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        Map<String, Object> claims = claims("key-client"); // exp: START + 300
        clock.advance(Duration.ofSeconds(300 + 29));
        assertEquals("key-client", authenticate(ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, claims), TOKEN_ENDPOINT))
                .clientId());
        claims.put("jti", "another");
        clock.advance(Duration.ofSeconds(1));
        assertFails("expired", ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, claims), TOKEN_ENDPOINT));
    }

    @Test
    void anAssertionMayLiveAnHourAndNoLonger() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        Map<String, Object> hour = claims("key-client");
        hour.put("exp", START + 3600);
        assertEquals("key-client", authenticate(ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, hour), TOKEN_ENDPOINT))
                .clientId());
        Map<String, Object> longer = claims("key-client");
        longer.put("exp", START + 3600 + 31);
        assertFails("lifetime_too_long", ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, longer), TOKEN_ENDPOINT));
    }

    @Test
    void eachBadAssertionIsReportedWithItsReason() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        assertFails("malformed_assertion", ALL, new ClientCredentials.Assertion("key-client", null, TOKEN_ENDPOINT));
        assertFails("unknown_client", ALL, new ClientCredentials.Assertion("nobody", assertion(clientKey, claims("nobody")), TOKEN_ENDPOINT));
        assertFails("wrong_method", ALL, new ClientCredentials.Assertion("basic-client", assertion(clientKey, claims("basic-client")),
                TOKEN_ENDPOINT));
        assertFails("bad_signature", ALL, new ClientCredentials.Assertion("key-client", assertion(ed25519(), claims("key-client")),
                TOKEN_ENDPOINT));
        Map<String, Object> elsewhere = claims("key-client");
        elsewhere.put("aud", "https://other.example/token");
        assertFails("wrong_audience", ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, elsewhere), TOKEN_ENDPOINT));
        Map<String, Object> noJti = claims("key-client");
        noJti.remove("jti");
        assertFails("missing_jti", ALL, new ClientCredentials.Assertion("key-client", assertion(clientKey, noJti), TOKEN_ENDPOINT));
    }

    @Test
    void anAssertionMayNameTheEndpointItWasSentTo() {
        storeKeyClient("key-client", PublicJwk.of(clientKey.getPublic()));
        Map<String, Object> claims = claims("key-client");
        claims.put("aud", "https://as.example/introspect");
        Jws jws = assertion(clientKey, claims);
        assertFails("wrong_audience", ALL, new ClientCredentials.Assertion("key-client", jws, TOKEN_ENDPOINT));
        assertEquals("key-client", authenticate(ALL, new ClientCredentials.Assertion("key-client", jws, "https://as.example/introspect")).clientId());
    }

    @Test
    void aCertificateAuthenticatesASelfSignedClientWhoseKeyItHolds() throws GeneralSecurityException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(ClientAuthenticatorTest.class.getResourceAsStream("/clavis/unit-test-client.pem"));
        Map<String, Object> holds = Map.of("jwks", Map.of("keys", List.of(PublicJwk.of(certificate.getPublicKey()).members())));
        store("cert-client", AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, null, 0, holds);
        store("other-key", AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, null, 0,
                Map.of("jwks", Map.of("keys", List.of(PublicJwk.of(clientKey.getPublic()).members()))));
        X509Certificate[] chain = {certificate};
        assertEquals("cert-client", authenticate(ALL, new ClientCredentials.Certificate("cert-client", chain)).clientId());
        assertFails("wrong_certificate", ALL, new ClientCredentials.Certificate("other-key", chain));
        assertFails("unknown_client", ALL, new ClientCredentials.Certificate("nobody", chain));
        assertFails("wrong_method", as(AuthMethod.CLIENT_SECRET_BASIC), new ClientCredentials.Certificate("cert-client", chain));
    }

    @Test
    void throttlingStartsAfterTheAllowanceAndEndsWithTheWindow() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        ClientCredentials wrong = new ClientCredentials.Basic("basic-client", "wrong");
        for (int i = 0; i < CLIENT_FAILURES; i++) assertFails("wrong_secret", ALL, wrong);
        assertEquals(0, events.throttled);

        ClientCredentials right = new ClientCredentials.Basic("basic-client", "s3cret");
        OAuthException e = assertThrows(OAuthException.class, () -> authenticate(ALL, right), "even the right secret waits");
        assertEquals(OAuthError.TEMPORARILY_UNAVAILABLE, e.error());
        assertEquals(429, e.status());
        assertEquals(WINDOW_SECONDS, e.retryAfterSeconds());
        assertEquals(1, events.throttled);
        assertEquals(CLIENT_FAILURES, events.failures.size(), "a throttled attempt is not a failed authentication");
        assertEquals("basic-client", authenticator.authenticate(ALL, right, "192.0.2.2").clientId(), "another address is not held back");

        clock.advance(Duration.ofSeconds(WINDOW_SECONDS));
        assertEquals("basic-client", authenticate(ALL, right).clientId());
    }

    @Test
    void successesDoNotCountTowardsTheAllowance() {
        store("basic-client", AuthMethod.CLIENT_SECRET_BASIC, "s3cret", 0, Map.of());
        ClientCredentials right = new ClientCredentials.Basic("basic-client", "s3cret");
        for (int i = 0; i < CLIENT_FAILURES - 1; i++) assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", "wrong"));
        for (int i = 0; i < 10; i++) assertEquals("basic-client", authenticate(ALL, right).clientId());
        assertFails("wrong_secret", ALL, new ClientCredentials.Basic("basic-client", "wrong"));
        assertThrottled(() -> authenticate(ALL, right));
    }

    @Test
    void unknownClientsAreThrottledByTheIdTheyGive() {
        ClientCredentials nobody = new ClientCredentials.Basic("nobody", "x");
        for (int i = 0; i < CLIENT_FAILURES; i++) assertFails("unknown_client", ALL, nobody);
        assertThrottled(() -> authenticate(ALL, nobody));
    }

    private static void assertThrottled(Executable call) {
        assertEquals(429, assertThrows(OAuthException.class, call).status());
    }

    /** Client assertion claims for {@code clientId}, issued now, living five minutes, for the token endpoint. */
    private Map<String, Object> claims(String clientId) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", clientId);
        c.put("sub", clientId);
        c.put("aud", TOKEN_ENDPOINT);
        c.put("iat", now);
        c.put("exp", START + 300);
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    /** An EdDSA client assertion signed with plain java.security, parsed as the token endpoint parses it. */
    private static Jws assertion(KeyPair key, Map<String, Object> claims) {
        String input = Base64Url.encode(Json.write(Map.of("alg", "EdDSA"))) + "." + Base64Url.encode(Json.write(claims));
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return Jws.parse(input + "." + Base64Url.encode(s.sign()), ClientAssertions.MAX_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
