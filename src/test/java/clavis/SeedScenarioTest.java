package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Airlock IAM reference scenario, both requests verbatim, over real HTTP. */
class SeedScenarioTest {
    /** The seed page's registration request, byte for byte. */
    static final String SEED_REGISTRATION = "{ \"client_name\": \"Sample Client\", \"client_uri\": \"https://test-client.airlock.com\", "
            + "\"scope\": \"strong client-scope\", \"token_endpoint_auth_method\": \"client_secret_basic\", "
            + "\"redirect_uris\": [ \"https://sample-client.airlock.com/redirectUri\" ], \"response_types\": [ \"code\" ], "
            + "\"grant_types\": [ \"authorization_code\", \"refresh_token\" ], \"contacts\": [ \"Peter Sample\" ] }";
    /** The seed page's token request body, with the space the page shows after the ampersand. */
    static final String SEED_TOKEN_BODY = "grant_type=client_credentials& scope=client-scope";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void seedRegistrationThenTokenWorksAsDocumented() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        HttpResponse<String> reg = TestServer.postJson(
                server.url("/auth-login/rest/public/tech-client-registration/oauth2/myAS/register"), SEED_REGISTRATION);
        assertEquals(201, reg.statusCode(), reg.body());
        assertEquals("no-store", reg.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(reg.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> r = TestServer.json(reg);
        assertEquals(Set.of("scope", "contacts", "client_id", "client_secret", "client_secret_expires_at", "client_id_issued_at",
                "redirect_uris", "token_endpoint_auth_method", "grant_types", "response_types", "client_name", "client_uri",
                "registration_access_token", "registration_client_uri"), r.keySet());
        assertEquals("client-scope", r.get("scope"), "the scope this server does not allow is dropped");
        assertEquals(List.of("Peter Sample"), r.get("contacts"));
        UUID.fromString((String) r.get("client_id"));
        String secret = (String) r.get("client_secret");
        assertTrue(secret.length() >= 43, "at least 256 bits of base64url");
        assertEquals(0, ((Number) r.get("client_secret_expires_at")).intValue());
        long issuedAt = ((Number) r.get("client_id_issued_at")).longValue();
        assertTrue(issuedAt >= before && issuedAt <= System.currentTimeMillis() / 1000 + 1);
        assertEquals(List.of("https://sample-client.airlock.com/redirectUri"), r.get("redirect_uris"));
        assertEquals("client_secret_basic", r.get("token_endpoint_auth_method"));
        assertEquals(List.of("authorization_code", "refresh_token"), r.get("grant_types"));
        assertEquals(List.of("code"), r.get("response_types"));
        assertEquals("Sample Client", r.get("client_name"));
        assertEquals("https://test-client.airlock.com", r.get("client_uri"));
        assertEquals(server.url("/auth-login/rest/public/tech-client-registration/oauth2/myAS/register/" + r.get("client_id")),
                r.get("registration_client_uri"), "RFC 7592");
        assertTrue(((String) r.get("registration_access_token")).length() >= 43);

        String clientId = (String) r.get("client_id");
        HttpResponse<String> tok = TestServer.postForm(
                server.url("/auth-login/rest/oauth2/authorization-servers/myAS/token"),
                TestServer.basic(clientId, secret), SEED_TOKEN_BODY);
        assertEquals(200, tok.statusCode(), tok.body());
        assertEquals("no-store", tok.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("no-cache", tok.headers().firstValue("Pragma").orElse(null));
        Map<String, Object> t = TestServer.json(tok);
        assertEquals(Set.of("access_token", "scope", "token_type", "expires_in"), t.keySet());
        assertEquals("client-scope", t.get("scope"));
        assertEquals("Bearer", t.get("token_type"));
        assertEquals(18000, ((Number) t.get("expires_in")).intValue());

        // A resource server's view: find the JWKS through the metadata, verify with plain java.security.
        Map<String, Object> metadata = TestServer.json(TestServer.get(
                server.url("/.well-known/oauth-authorization-server/auth-login/rest/oauth2/authorization-servers/myAS")));
        Map<String, Object> jwks = TestServer.json(TestServer.get((String) metadata.get("jwks_uri")));
        JwtVerifier.Verified jwt = JwtVerifier.verify((String) t.get("access_token"), jwks);
        assertEquals("RS256", jwt.header().get("alg"));
        assertEquals("at+jwt", jwt.header().get("typ"));
        Map<String, Object> c = jwt.claims();
        String issuer = server.url("/auth-login/rest/oauth2/authorization-servers/myAS");
        assertEquals(issuer, metadata.get("issuer"));
        assertEquals(issuer, c.get("iss"));
        assertEquals(clientId, c.get("sub"));
        assertEquals(clientId, c.get("client_id"));
        assertEquals(issuer, c.get("aud"));
        assertEquals("client-scope", c.get("scope"));
        long iat = ((Number) c.get("iat")).longValue();
        assertTrue(Math.abs(iat - System.currentTimeMillis() / 1000) <= 5);
        assertEquals(iat + 18000, ((Number) c.get("exp")).longValue());
        assertTrue(((String) c.get("jti")).length() >= 16);
        assertEquals(Set.of("iss", "sub", "aud", "client_id", "scope", "iat", "exp", "jti"), c.keySet());
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String[] client = server.registerClient();
        String a = (String) server.token(client[0], client[1]).get("access_token");
        String b = (String) server.token(client[0], client[1]).get("access_token");
        assertNotEquals(JwtVerifier.decodePart(a.split("\\.")[1]).get("jti"), JwtVerifier.decodePart(b.split("\\.")[1]).get("jti"));
    }

    @Test
    void metadataIsServedAtBothWellKnownPlacesAndNamesEveryEndpoint() {
        String issuer = server.url("/auth-login/rest/oauth2/authorization-servers/myAS");
        Map<String, Object> rfc = TestServer.json(TestServer.get(
                server.url("/.well-known/oauth-authorization-server/auth-login/rest/oauth2/authorization-servers/myAS")));
        Map<String, Object> underIssuer = TestServer.json(TestServer.get(issuer + "/.well-known/oauth-authorization-server"));
        assertEquals(rfc, underIssuer);
        assertEquals(issuer, rfc.get("issuer"));
        assertEquals(issuer + "/token", rfc.get("token_endpoint"));
        assertEquals(issuer + "/jwks", rfc.get("jwks_uri"));
        assertEquals(server.url("/auth-login/rest/public/tech-client-registration/oauth2/myAS/register"), rfc.get("registration_endpoint"));
        assertEquals(List.of("client-scope"), rfc.get("scopes_supported"));
        assertEquals(List.of(), rfc.get("response_types_supported"));
        assertEquals(List.of("client_credentials"), rfc.get("grant_types_supported"));
        // Plain HTTP: no TLS client certificates, so only the secret and private_key_jwt methods.
        List<String> methods = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");
        List<String> algs = List.of("RS256", "PS256", "ES256", "EdDSA", "Ed25519"); // RFC 9864: Ed25519 is the fully specified name
        assertEquals(issuer + "/introspect", rfc.get("introspection_endpoint"));
        assertEquals(issuer + "/revoke", rfc.get("revocation_endpoint"));
        for (String endpoint : List.of("token_endpoint", "introspection_endpoint", "revocation_endpoint")) {
            assertEquals(methods, rfc.get(endpoint + "_auth_methods_supported"), endpoint);
            assertEquals(algs, rfc.get(endpoint + "_auth_signing_alg_values_supported"), endpoint);
        }
        assertEquals(algs, rfc.get("dpop_signing_alg_values_supported"));
        assertFalse(rfc.containsKey("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jwksPublishesOnlyPublicMembersAndKidIsTheThumbprint() throws Exception {
        Map<String, Object> jwks = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));
        List<Object> keys = (List<Object>) jwks.get("keys");
        assertEquals(1, keys.size());
        Map<String, Object> jwk = (Map<String, Object>) keys.get(0);
        assertEquals(Set.of("kty", "n", "e", "use", "alg", "kid"), jwk.keySet());
        assertEquals("sig", jwk.get("use"));
        assertEquals(JwtVerifier.thumbprint(jwk), jwk.get("kid"));
        for (String privateMember : List.of("d", "p", "q", "dp", "dq", "qi")) assertFalse(jwk.containsKey(privateMember));
    }
}
