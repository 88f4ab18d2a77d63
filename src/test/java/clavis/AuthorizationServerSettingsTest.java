package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-authorization-server settings: audience, typ, lifetime, and several servers side by side. */
class AuthorizationServerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void audienceTypAndLifetimeComeFromTheConfiguration() throws Exception {
        try (TestServer server = TestServer.start(dir, "as.myAS.audience", "https://api.example.com",
                "as.myAS.token-typ", "JWT", "as.myAS.token-lifetime", "60", "server.base-url", "https://iam.example.com/")) {
            String[] client = server.registerClient();
            Map<String, Object> t = server.token(client[0], client[1]);
            assertEquals(60, ((Number) t.get("expires_in")).intValue());
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.url("/auth-login/rest/oauth2/authorization-servers/myAS/jwks")));
            JwtVerifier.Verified jwt = JwtVerifier.verify((String) t.get("access_token"), jwks);
            assertEquals("JWT", jwt.header().get("typ"));
            assertEquals("https://api.example.com", jwt.claims().get("aud"));
            assertEquals("https://iam.example.com/auth-login/rest/oauth2/authorization-servers/myAS", jwt.claims().get("iss"));
            long iat = ((Number) jwt.claims().get("iat")).longValue();
            assertEquals(iat + 60, ((Number) jwt.claims().get("exp")).longValue());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void severalAuthorizationServersHaveTheirOwnKeysScopesAndClients() throws Exception {
        try (TestServer server = TestServer.start(dir, "as.other.scopes", "read write", "as.other.default-scopes", "read",
                "as.other.signing-alg", "EdDSA")) {
            String otherReg = server.url("/auth-login/rest/public/tech-client-registration/oauth2/other/register");
            String otherToken = server.url("/auth-login/rest/oauth2/authorization-servers/other/token");
            Map<String, Object> reg = TestServer.json(TestServer.postJson(otherReg, "{\"scope\":\"write client-scope\"}"));
            assertEquals("write", reg.get("scope"));
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");

            HttpResponse<String> ok = TestServer.postForm(otherToken, TestServer.basic(id, secret), "grant_type=client_credentials");
            assertEquals(200, ok.statusCode(), ok.body());
            Map<String, Object> otherJwks = TestServer.json(TestServer.get(server.url("/auth-login/rest/oauth2/authorization-servers/other/jwks")));
            JwtVerifier.Verified jwt = JwtVerifier.verify((String) TestServer.json(ok).get("access_token"), otherJwks);
            assertEquals(server.url("/auth-login/rest/oauth2/authorization-servers/other"), jwt.claims().get("iss"));

            HttpResponse<String> elsewhere = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials");
            assertEquals(401, elsewhere.statusCode(), "a client of one server is unknown to another");
            assertEquals("invalid_client", TestServer.json(elsewhere).get("error"));

            Map<String, Object> myJwks = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));
            Object myKid = ((Map<String, Object>) ((List<Object>) myJwks.get("keys")).get(0)).get("kid");
            Object otherKid = ((Map<String, Object>) ((List<Object>) otherJwks.get("keys")).get(0)).get("kid");
            assertNotEquals(myKid, otherKid);
        }
    }
}
