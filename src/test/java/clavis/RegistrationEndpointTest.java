package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dynamic client registration: scope policy, defaults, validation, and secrets at rest. */
class RegistrationEndpointTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "as.myAS.scopes", "client-scope read write", "as.myAS.default-scopes", "client-scope");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Case(String name, String contentType, String body, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String JSON = "application/json";

    static Stream<Case> badRequests() {
        return Stream.of(
                new Case("no scope may be granted", JSON, "{\"scope\":\"strong admin\"}", 400, "invalid_client_metadata"),
                new Case("scope with a forbidden character", JSON, "{\"scope\":\"a\\\\b\"}", 400, "invalid_client_metadata"),
                new Case("scope not a string", JSON, "{\"scope\":[\"read\"]}", 400, "invalid_client_metadata"),
                new Case("private_key_jwt without keys", JSON, "{\"token_endpoint_auth_method\":\"private_key_jwt\"}", 400, "invalid_client_metadata"),
                new Case("jwks_uri over http to another host", JSON,
                        "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"http://keys.example/jwks\"}", 400, "invalid_client_metadata"),
                new Case("a certificate method without TLS", JSON,
                        "{\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\",\"jwks_uri\":\"https://keys.example/jwks\"}", 400, "invalid_client_metadata"),
                new Case("unknown auth method", JSON, "{\"token_endpoint_auth_method\":\"client_secret_jwt\"}", 400, "invalid_client_metadata"),
                new Case("tls_client_auth with two subjects", JSON, "{\"token_endpoint_auth_method\":\"tls_client_auth\","
                        + "\"tls_client_auth_subject_dn\":\"CN=a\",\"tls_client_auth_san_dns\":\"a.example\"}", 400, "invalid_client_metadata"),
                new Case("software_statement not a string", JSON, "{\"software_statement\":{}}", 400, "invalid_software_statement"),
                new Case("auth method none", JSON, "{\"token_endpoint_auth_method\":\"none\"}", 400, "invalid_client_metadata"),
                new Case("unsupported grant type", JSON, "{\"grant_types\":[\"password\"]}", 400, "invalid_client_metadata"),
                new Case("grant_types not an array", JSON, "{\"grant_types\":\"client_credentials\"}", 400, "invalid_client_metadata"),
                new Case("unsupported response type", JSON, "{\"response_types\":[\"token\"]}", 400, "invalid_client_metadata"),
                new Case("relative redirect uri", JSON, "{\"redirect_uris\":[\"/cb\"]}", 400, "invalid_redirect_uri"),
                new Case("redirect uri with fragment", JSON, "{\"redirect_uris\":[\"https://a.example/cb#x\"]}", 400, "invalid_redirect_uri"),
                new Case("redirect_uris not an array", JSON, "{\"redirect_uris\":\"https://a.example/cb\"}", 400, "invalid_redirect_uri"),
                new Case("client_uri over http", JSON, "{\"client_uri\":\"http://client.example\"}", 400, "invalid_client_metadata"),
                new Case("logo_uri not a URI", JSON, "{\"logo_uri\":\"not a uri\"}", 400, "invalid_client_metadata"),
                new Case("contacts with a number", JSON, "{\"contacts\":[1]}", 400, "invalid_client_metadata"),
                new Case("client_name an object", JSON, "{\"client_name\":{}}", 400, "invalid_client_metadata"),
                new Case("jwks and jwks_uri together", JSON, "{\"jwks_uri\":\"https://a.example/jwks\",\"jwks\":{\"keys\":[{\"kty\":\"EC\"}]}}", 400, "invalid_client_metadata"),
                new Case("jwks with a private key", JSON, "{\"jwks\":{\"keys\":[{\"kty\":\"EC\",\"d\":\"secret\"}]}}", 400, "invalid_client_metadata"),
                new Case("not JSON", JSON, "client_name=x", 400, "invalid_client_metadata"),
                new Case("JSON array", JSON, "[]", 400, "invalid_client_metadata"),
                new Case("JSON string", JSON, "\"x\"", 400, "invalid_client_metadata"),
                new Case("empty body", JSON, "", 400, "invalid_client_metadata"),
                new Case("trailing content", JSON, "{} {}", 400, "invalid_client_metadata"),
                new Case("duplicate member", JSON, "{\"scope\":\"read\",\"scope\":\"write\"}", 400, "invalid_client_metadata"),
                new Case("form content type", "application/x-www-form-urlencoded", "{}", 415, "invalid_client_metadata"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRegistrationGetsItsErrorAndTheServerGoesOn(Case c) {
        HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(URI.create(server.registrationEndpoint()))
                .header("Content-Type", c.contentType()).POST(HttpRequest.BodyPublishers.ofString(c.body())).build());
        assertEquals(c.status(), r.statusCode(), r.body());
        Map<String, Object> body = TestServer.json(r);
        assertEquals(c.error(), body.get("error"));
        assertTrue(body.get("error_description") instanceof String);
        server.registerClient();
    }

    @Test
    void noScopeGivesTheDefaultScopes() {
        assertEquals("client-scope", server.register("{}").get("scope"));
        assertEquals("client-scope", server.register("{\"scope\":\"\"}").get("scope"));
    }

    @Test
    void allowedScopesAreKeptInTheRequestedOrderAndOthersDropped() {
        assertEquals("write read", server.register("{\"scope\":\"write strong read write\"}").get("scope"));
    }

    @Test
    void defaultsAreFilledInAndUnknownMetadataIsDroppedNotStored() {
        Map<String, Object> r = server.register("{\"client_name\":\"x\",\"favourite_colour\":\"blue\",\"client_name#de\":\"y\",\"client_id\":\"mine\",\"client_secret\":\"mine\"}");
        assertEquals("client_secret_basic", r.get("token_endpoint_auth_method"));
        assertEquals(List.of("client_credentials"), r.get("grant_types"));
        assertFalse(r.containsKey("favourite_colour"));
        assertEquals("y", r.get("client_name#de"), "language-tagged names are kept (RFC 7591 section 2.2)");
        assertNotEquals("mine", r.get("client_id"), "a client_id sent by the client is ignored");
        assertNotEquals("mine", r.get("client_secret"), "a client_secret sent by the client is ignored");
    }

    @Test
    void loopbackHttpUrisAreAllowed() {
        Map<String, Object> r = server.register("{\"client_uri\":\"http://localhost:3000\",\"logo_uri\":\"http://127.0.0.1/logo.png\"}");
        assertEquals("http://localhost:3000", r.get("client_uri"));
    }

    @Test
    void everyRegistrationGetsItsOwnStrongSecret() {
        String a = (String) server.register("{}").get("client_secret");
        String b = (String) server.register("{}").get("client_secret");
        assertNotEquals(a, b);
        assertTrue(Base64.getUrlDecoder().decode(a).length >= 32, "at least 256 bits");
    }

    @Test
    void secretsAreStoredOnlyAsHashes() throws Exception {
        String[] client = server.registerClient();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("clavis.db"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM clients")) {
            int columns = r.getMetaData().getColumnCount();
            boolean found = false;
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = r.getString(i);
                    assertFalse(value != null && value.contains(client[1]), "the secret is stored in plain text");
                }
                found |= client[0].equals(r.getString("client_id"));
            }
            assertTrue(found, "the client was stored");
        }
    }
}
