package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.json.Json;

/** Software statements (RFC 7591 section 2.3) from trusted issuers, optional or required. */
class SoftwareStatementTest {
    private static final String ISSUER = "https://directory.example";

    @TempDir
    Path dir;

    private final Jose.Key issuerKey = Jose.generate("ES256");

    private TestServer start(String... extra) throws Exception {
        Path jwks = dir.resolve("directory-jwks.json");
        Files.writeString(jwks, issuerKey.jwks());
        String[] base = {"as.myAS.scopes", "client-scope read write",
                "as.myAS.software-statement.trust.directory.issuer", ISSUER,
                "as.myAS.software-statement.trust.directory.jwks", jwks.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TestServer.start(dir, all);
    }

    private static Map<String, Object> claims() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("iat", now);
        c.put("exp", now + 3600);
        c.put("software_id", "inventory-sync");
        c.put("client_name", "Inventory sync (approved)");
        c.put("scope", "read");
        return c;
    }

    private static HttpResponse<String> register(TestServer server, String statement, String plain) {
        return TestServer.postJson(server.registrationEndpoint(), "{" + plain + (plain.isEmpty() ? "" : ",")
                + "\"software_statement\":\"" + statement + "\"}");
    }

    @Test
    void aTrustedStatementsClaimsWinOverTheRequest() throws Exception {
        try (TestServer server = start()) {
            String statement = Jose.sign(issuerKey, Map.of("kid", issuerKey.jwk().get("kid")), claims());
            HttpResponse<String> r = register(server, statement, "\"client_name\":\"Anything\",\"scope\":\"read write\",\"contacts\":[\"ops@example.com\"]");
            assertEquals(201, r.statusCode(), r.body());
            Map<String, Object> reg = TestServer.json(r);
            assertEquals("Inventory sync (approved)", reg.get("client_name"));
            assertEquals("read", reg.get("scope"), "the statement's scope wins");
            assertEquals("inventory-sync", reg.get("software_id"));
            assertEquals(java.util.List.of("ops@example.com"), reg.get("contacts"), "fields the statement leaves out are kept");
            assertEquals(statement, reg.get("software_statement"), "echoed unmodified (RFC 7591 section 3.2.1)");
            server.token((String) reg.get("client_id"), (String) reg.get("client_secret"));
            // without a statement, registration stays open when it is not required
            assertEquals(201, TestServer.postJson(server.registrationEndpoint(), "{\"client_name\":\"plain\"}").statusCode());
        }
    }

    private static void assertRefused(TestServer server, String error, String statement) {
        HttpResponse<String> r = register(server, statement, "\"client_name\":\"x\"");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(error, TestServer.json(r).get("error"), r.body());
        server.assertAlive();
    }

    @Test
    void badOrUntrustedStatementsAreRefused() throws Exception {
        try (TestServer server = start()) {
            Jose.Key stranger = Jose.generate("ES256");
            assertRefused(server, "invalid_software_statement", Jose.sign(stranger, Map.of(), claims()));
            Map<String, Object> expired = claims();
            expired.put("exp", System.currentTimeMillis() / 1000 - 600);
            assertRefused(server, "invalid_software_statement", Jose.sign(issuerKey, Map.of(), expired));
            assertRefused(server, "invalid_software_statement", "not-a-jwt");
            Map<String, Object> huge = claims();
            huge.put("client_name", "x".repeat(17_000));
            assertRefused(server, "invalid_software_statement", Jose.sign(issuerKey, Map.of(), huge)); // over 16 KiB
            String none = Jose.b64("{\"alg\":\"none\"}".getBytes()) + "." + Jose.b64(Json.write(claims())) + ".";
            assertRefused(server, "invalid_software_statement", none);
            Map<String, Object> otherIssuer = claims();
            otherIssuer.put("iss", "https://rogue.example");
            assertRefused(server, "unapproved_software_statement", Jose.sign(stranger, Map.of(), otherIssuer));
            Map<String, Object> badMetadata = claims();
            badMetadata.put("token_endpoint_auth_method", "none");
            assertRefused(server, "invalid_client_metadata", Jose.sign(issuerKey, Map.of(), badMetadata));
        }
    }

    @Test
    void aRequiredStatementMustBeThere() throws Exception {
        try (TestServer server = start("as.myAS.software-statement.required", "true")) {
            HttpResponse<String> r = TestServer.postJson(server.registrationEndpoint(), "{\"client_name\":\"plain\"}");
            assertEquals(400, r.statusCode());
            assertEquals("invalid_software_statement", TestServer.json(r).get("error"));
            assertEquals(201, register(server, Jose.sign(issuerKey, Map.of(), claims()), "").statusCode());
        }
    }

    private static String rcu(TestServer server, Map<String, Object> reg) {
        return server.url(java.net.URI.create((String) reg.get("registration_client_uri")).getPath());
    }

    private static HttpResponse<String> update(TestServer server, Map<String, Object> reg, String members) {
        return TestServer.withBearer("PUT", rcu(server, reg), (String) reg.get("registration_access_token"),
                "{\"client_id\":\"" + reg.get("client_id") + "\"" + (members.isEmpty() ? "" : "," + members) + "}");
    }

    @Test
    void anUpdateWithAStatementForAnotherSoftwareIsRefused() throws Exception {
        try (TestServer server = start("as.myAS.software-statement.required", "true")) {
            Map<String, Object> mine = TestServer.json(register(server, Jose.sign(issuerKey, Map.of(), claims()), ""));
            Map<String, Object> billing = claims();
            billing.put("software_id", "billing");
            billing.put("client_name", "Billing");
            billing.put("scope", "read write");
            // a statement the directory really signed, copied from another client's registration response
            String copied = (String) TestServer.json(register(server, Jose.sign(issuerKey, Map.of(), billing), "")).get("software_statement");
            HttpResponse<String> r = update(server, mine, "\"software_statement\":\"" + copied + "\"");
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("invalid_software_statement", TestServer.json(r).get("error"), r.body());
            server.assertAlive();
            HttpResponse<String> good = update(server, mine, "\"software_statement\":\"" + mine.get("software_statement") + "\"");
            assertEquals(200, good.statusCode(), good.body());
            assertEquals("inventory-sync", TestServer.json(good).get("software_id"));
            assertEquals("read", TestServer.json(good).get("scope"));
        }
    }

    @Test
    void anUpdateWithoutTheStatementKeepsWhatTheStatementFixed() throws Exception {
        try (TestServer server = start()) {
            String statement = Jose.sign(issuerKey, Map.of(), claims());
            Map<String, Object> reg = TestServer.json(register(server, statement, ""));
            HttpResponse<String> r = update(server, reg,
                    "\"client_name\":\"Evil\",\"software_id\":\"other\",\"scope\":\"read write\",\"contacts\":[\"new@example.com\"]");
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> updated = TestServer.json(r);
            assertEquals("inventory-sync", updated.get("software_id"));
            assertEquals("Inventory sync (approved)", updated.get("client_name"));
            assertEquals("read", updated.get("scope"));
            assertEquals(statement, updated.get("software_statement"), "the statement stays with the client");
            assertEquals(java.util.List.of("new@example.com"), updated.get("contacts"), "fields the statement leaves out can change");
            Map<String, Object> read = TestServer.json(TestServer.withBearer("GET", rcu(server, reg), (String) updated.get("registration_access_token"), null));
            assertEquals("inventory-sync", read.get("software_id"));
            assertEquals("read", server.token((String) reg.get("client_id"), (String) reg.get("client_secret")).get("scope"));
        }
    }

    @Test
    void aStatementWithoutScopeGivesTheDefaultScopesWhateverTheRequestAsks() throws Exception {
        try (TestServer server = start()) {
            Map<String, Object> noScope = claims();
            noScope.remove("scope");
            HttpResponse<String> r = register(server, Jose.sign(issuerKey, Map.of(), noScope), "\"scope\":\"read write\"");
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("client-scope", TestServer.json(r).get("scope"));
            server.assertAlive();
        }
    }

    @Test
    void aLocalizedNameInTheRequestIsDroppedWhenTheStatementNamesTheClient() throws Exception {
        try (TestServer server = start()) {
            HttpResponse<String> r = register(server, Jose.sign(issuerKey, Map.of(), claims()), "\"client_name#en\":\"Trusted Bank\"");
            assertEquals(201, r.statusCode(), r.body());
            Map<String, Object> reg = TestServer.json(r);
            assertEquals("Inventory sync (approved)", reg.get("client_name"));
            assertTrue(!reg.containsKey("client_name#en"), r.body());
            server.assertAlive();
        }
    }

    @Test
    void aStatementWithoutExpNeedsAnIatWithinTheMaximumAge() throws Exception {
        try (TestServer server = start()) {
            Map<String, Object> old = claims();
            old.remove("exp");
            old.put("iat", System.currentTimeMillis() / 1000 - 366L * 24 * 60 * 60);
            assertRefused(server, "invalid_software_statement", Jose.sign(issuerKey, Map.of(), old));
            Map<String, Object> ageless = claims();
            ageless.remove("exp");
            ageless.remove("iat");
            assertRefused(server, "invalid_software_statement", Jose.sign(issuerKey, Map.of(), ageless));
            Map<String, Object> recent = claims();
            recent.remove("exp");
            assertEquals(201, register(server, Jose.sign(issuerKey, Map.of(), recent), "").statusCode());
        }
    }

    @Test
    void trustNeedsAnIssuerAndReadableKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.builder().authorizationServer("a", "x")
                .set("as.a.software-statement.trust.d.issuer", ISSUER)
                .set("as.a.software-statement.trust.e.issuer", ISSUER)
                .set("as.a.software-statement.trust.e.jwks", dir.resolve("missing.json").toString())
                .set("as.b.scopes", "x")
                .set("as.b.software-statement.required", "true").build());
        assertTrue(e.getMessage().contains("as.a.software-statement.trust.d.*"), e.getMessage());
        assertTrue(e.getMessage().contains("as.a.software-statement.trust.e.jwks"), e.getMessage());
        assertTrue(e.getMessage().contains("as.b.software-statement.required"), e.getMessage());
    }
}
