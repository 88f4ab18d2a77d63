package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import clavis.json.Json;
import clavis.jwt.PublicJwk;

/** Checking software statements and merging their claims, at registration and on RFC 7592 updates, on a clock the test moves. */
class SoftwareStatementsTest {
    private static final String ISSUER = "https://directory.example";
    private static final long START = 1_800_000_000L;
    private static final long DAY_SECONDS = 24 * 60 * 60;

    private final KeyPair issuerKey = ed25519();
    private final MutableClock clock = new MutableClock(START);
    private final SoftwareStatements statements = new SoftwareStatements(clock);

    private AuthorizationServer as(boolean required, long maxAgeSeconds) {
        SoftwareStatementPolicy policy = new SoftwareStatementPolicy(
                Map.of(ISSUER, List.of(PublicJwk.of(issuerKey.getPublic()))), required, maxAgeSeconds);
        return new AuthorizationServer("myAS",
                new AuthorizationServer.Urls("https://as.example", "https://as.example/token", "https://as.example/register",
                        "https://as.example/jwks", "https://as.example/introspect", "https://as.example/revoke"),
                new AuthorizationServer.TokenPolicy(Scope.parse("client-scope read write", OAuthError.INVALID_REQUEST),
                        Scope.parse("client-scope", OAuthError.INVALID_REQUEST), 300, "api", false, false, List.of(), false),
                new AuthorizationServer.ClientPolicy(AuthorizationServer.RegistrationPolicy.OPEN, 0, 0, List.of(AuthMethod.CLIENT_SECRET_BASIC), 3600, 100_000,
                        policy),
                null);
    }

    private AuthorizationServer as() {
        return as(false, 365L * 24 * 3600);
    }

    private static Map<String, Object> claims(String softwareId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("iat", START);
        c.put("exp", START + 3600);
        c.put("software_id", softwareId);
        c.put("client_name", "Inventory sync (approved)");
        c.put("scope", "read");
        return c;
    }

    private String sign(Map<String, Object> claims) {
        return sign(issuerKey, claims);
    }

    private static Map<String, Object> request(Object... members) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i += 2) r.put((String) members[i], members[i + 1]);
        return r;
    }

    /** What registration stores: the merged request parsed, with the scope policy applied. */
    private ClientMetadata registered(AuthorizationServer as, Map<String, Object> request) {
        return RegistrationService.allowed(as, ClientMetadata.parse(statements.apply(as, request)), Scope.of(List.of()));
    }

    private ClientMetadata updated(AuthorizationServer as, ClientMetadata registered, Map<String, Object> request) {
        return RegistrationService.allowed(as, ClientMetadata.parse(statements.applyToUpdate(as, registered, request)), registered.scope());
    }

    private static void assertRefused(OAuthError error, String descriptionPart, Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(error, e.error(), e.description());
        assertTrue(e.description().contains(descriptionPart), e.description());
    }

    @Test
    void statementClaimsReplaceTheRequestsFieldsAndAllTheirLanguageVariants() {
        Map<String, Object> c = claims("inventory-sync");
        c.put("client_name#de", "Inventarabgleich");
        c.put("tos_uri#fr", "https://directory.example/cgu");
        Map<String, Object> merged = statements.apply(as(), request("client_name", "Anything", "client_name#en", "Trusted bank",
                "client_name#fr", "Banque", "tos_uri", "https://evil.example/tos", "contacts", List.of("ops@example.com"),
                "software_statement", sign(c)));
        ClientMetadata m = ClientMetadata.parse(merged);
        assertEquals("Inventory sync (approved)", m.clientName().plain());
        assertEquals("Inventarabgleich", m.clientName().byTag().get("de"), "the statement's own variants are kept");
        assertFalse(m.toJson().containsKey("client_name#en"), "a request variant would be shown instead of the statement's name");
        assertFalse(m.toJson().containsKey("client_name#fr"));
        assertEquals("https://directory.example/cgu", m.tosUri().byTag().get("fr"));
        assertFalse(m.toJson().containsKey("tos_uri"), "a field the statement sets in one language is the statement's alone");
        assertEquals(List.of("ops@example.com"), m.toJson().get("contacts"), "fields the statement leaves out are kept");
        assertEquals("inventory-sync", m.softwareId());
        assertFalse(m.toJson().containsKey("iss") || m.toJson().containsKey("exp"), "JWT claims are not metadata");
    }

    @Test
    void aStatementWithoutScopeGivesTheDefaultScopesWhateverTheRequestAsks() {
        Map<String, Object> c = claims("inventory-sync");
        c.remove("scope");
        ClientMetadata m = registered(as(), request("scope", "read write", "software_statement", sign(c)));
        assertEquals("client-scope", m.scope().toString());
        assertEquals("read", registered(as(), request("scope", "read write", "software_statement", sign(claims("x")))).scope().toString());
    }

    @Test
    void aStatementWithoutExpIsBoundedByItsIatAndTheMaximumAge() {
        Map<String, Object> c = claims("inventory-sync");
        c.remove("exp");
        String statement = sign(c);
        registered(as(false, 30 * DAY_SECONDS), request("software_statement", statement));
        clock.now = START + 30 * DAY_SECONDS + clavis.jwt.JwtTimes.SKEW_SECONDS - 1;
        registered(as(false, 30 * DAY_SECONDS), request("software_statement", statement));
        clock.now += 1;
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "more than 2592000 seconds ago",
                () -> registered(as(false, 30 * DAY_SECONDS), request("software_statement", statement)));
        registered(as(false, 0), request("software_statement", statement)); // 0: no bound
    }

    @Test
    void aStatementWithNeitherExpNorIatIsRefusedUnlessAgeIsUnbounded() {
        Map<String, Object> c = claims("inventory-sync");
        c.remove("exp");
        c.remove("iat");
        String statement = sign(c);
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "neither exp nor iat",
                () -> registered(as(), request("software_statement", statement)));
        registered(as(false, 0), request("software_statement", statement));
    }

    @Test
    void aStatementWithExpIsBoundedByExpNotByTheMaximumAge() {
        Map<String, Object> c = claims("inventory-sync");
        c.put("iat", START - 400 * DAY_SECONDS);
        c.put("exp", START + 60);
        registered(as(), request("software_statement", sign(c)));
        clock.now = START + 60 + clavis.jwt.JwtTimes.SKEW_SECONDS;
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "expired", () -> registered(as(), request("software_statement", sign(c))));
    }

    @Test
    void timeClaimsThatAreNotNumbersAreRefused() {
        Map<String, Object> c = claims("inventory-sync");
        c.put("exp", "never");
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "exp is not a number", () -> registered(as(), request("software_statement", sign(c))));
    }

    @Test
    void anUpdateWithoutStatementAppliesTheRegisteredOneAgainEvenAfterItExpired() {
        String statement = sign(claims("inventory-sync"));
        ClientMetadata client = registered(as(true, 0), request("software_statement", statement));
        clock.now = START + 10 * DAY_SECONDS;
        ClientMetadata m = updated(as(true, 0), client, request("client_name", "Evil", "client_name#en", "Evil",
                "software_id", "other", "scope", "read write", "contacts", List.of("new@example.com")));
        assertEquals("Inventory sync (approved)", m.clientName().plain());
        assertFalse(m.toJson().containsKey("client_name#en"));
        assertEquals("inventory-sync", m.softwareId());
        assertEquals("read", m.scope().toString());
        assertEquals(statement, m.softwareStatement(), "the statement stays with the client");
        assertEquals(List.of("new@example.com"), m.toJson().get("contacts"), "what the statement leaves out is the client's to change");
        // RFC 7592 section 2.2: the client sends back all its metadata, the expired statement included
        assertEquals("inventory-sync", updated(as(true, 0), client, request("software_statement", statement)).softwareId());
    }

    @Test
    void anUpdateWithAStatementForAnotherSoftwareIdIsRefused() {
        ClientMetadata client = registered(as(true, 0), request("software_statement", sign(claims("inventory-sync"))));
        String others = sign(claims("billing")); // validly signed by the trusted issuer, as in another client's response
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "software_id",
                () -> updated(as(true, 0), client, request("software_statement", others)));
        Map<String, Object> noId = claims("x");
        noId.remove("software_id");
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "software_id",
                () -> updated(as(true, 0), client, request("software_statement", sign(noId))));
    }

    @Test
    void anUpdateMayBringANewStatementForTheSameSoftwareId() {
        ClientMetadata client = registered(as(), request("software_statement", sign(claims("inventory-sync"))));
        clock.now = START + 7200;
        Map<String, Object> renewed = claims("inventory-sync");
        renewed.put("iat", clock.now);
        renewed.put("exp", clock.now + 3600);
        renewed.put("client_name", "Inventory sync 2");
        renewed.put("scope", "read write");
        String statement = sign(renewed);
        ClientMetadata m = updated(as(), client, request("software_statement", statement));
        assertEquals("Inventory sync 2", m.clientName().plain());
        assertEquals("read write", m.scope().toString());
        assertEquals(statement, m.softwareStatement());
        Map<String, Object> expired = claims("inventory-sync");
        expired.put("client_name", "Inventory sync 3"); // not the registered statement, which would apply again
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "expired", () -> updated(as(), client, request("software_statement", sign(expired))));
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "signature",
                () -> updated(as(), client, request("software_statement", sign(ed25519(), renewed))));
        Map<String, Object> rogue = new LinkedHashMap<>(renewed);
        rogue.put("iss", "https://rogue.example");
        assertRefused(OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, "issuer", () -> updated(as(), client, request("software_statement", sign(rogue))));
    }

    @Test
    void aClientWhoseStatementHasNoSoftwareIdMaySendOnlyThatStatementAgain() {
        Map<String, Object> c = claims("x");
        c.remove("software_id");
        String statement = sign(c);
        ClientMetadata client = registered(as(), request("software_statement", statement));
        assertEquals("Inventory sync (approved)", updated(as(), client, request("software_statement", statement)).clientName().plain());
        c.put("client_name", "Other");
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "no software_id",
                () -> updated(as(), client, request("software_statement", sign(c))));
    }

    @Test
    void aClientWithoutStatementMayAddAValidOneButNotSkipARequiredOne() {
        ClientMetadata plain = registered(as(), request("client_name", "plain", "scope", "read write"));
        assertEquals("read write", updated(as(), plain, request("client_name", "plain", "scope", "read write")).scope().toString());
        ClientMetadata m = updated(as(), plain, request("software_statement", sign(claims("inventory-sync"))));
        assertEquals("inventory-sync", m.softwareId());
        assertRefused(OAuthError.INVALID_SOFTWARE_STATEMENT, "requires", () -> updated(as(true, 0), plain, request("client_name", "plain")));
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A compact EdDSA JWS of {@code claims}, written with plain java.security. */
    static String sign(KeyPair key, Map<String, Object> claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(Json.write(Map.of("alg", "EdDSA"))) + "." + b64.encodeToString(Json.write(claims));
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(now);
        }
    }
}
