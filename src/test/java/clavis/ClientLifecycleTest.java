package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7592 management, RFC 7662 introspection and RFC 7009 revocation, walked through every state over HTTP. */
class ClientLifecycleTest {
    @TempDir
    static Path dir;
    static TestServer server;
    /** Every time-based rule of the server follows it; the expiry test moves it. */
    static final TestClock CLOCK = new TestClock();
    /** A resource server: a registered client that introspects other clients' tokens. */
    static String[] resourceServer;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, CLOCK, "as.myAS.scopes", "client-scope other-scope", "as.short.scopes", "s",
                "as.short.token-lifetime", "2", "throttle.address-failures", "100000");
        resourceServer = server.registerClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String rcu(Map<String, Object> reg) {
        return server.url(URI.create((String) reg.get("registration_client_uri")).getPath());
    }

    @Test
    void theRegistrationReadAfterATokenHasEveryField() {
        String metadata = "{\"client_name\":\"full\",\"client_name#de\":\"voll\",\"client_uri\":\"https://c.example\","
                + "\"contacts\":[\"ops@c.example\"],\"redirect_uris\":[\"https://c.example/cb\"],\"software_version\":\"1.2\"}";
        Map<String, Object> reg = server.register(metadata);
        server.token((String) reg.get("client_id"), (String) reg.get("client_secret")); // the token path caches what it needs
        HttpResponse<String> read = TestServer.withBearer("GET", rcu(reg), (String) reg.get("registration_access_token"), null);
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> info = TestServer.json(read);
        for (String field : List.of("client_name", "client_name#de", "client_uri", "contacts", "redirect_uris", "software_version")) {
            assertEquals(reg.get(field), info.get(field), field);
        }
    }

    @Test
    void everyStateFromRegistrationToDeletion() {
        Map<String, Object> reg = server.register("{\"client_name\":\"first\",\"scope\":\"client-scope\"}");
        String id = (String) reg.get("client_id");
        String secret = (String) reg.get("client_secret");
        String rat = (String) reg.get("registration_access_token");

        // read
        HttpResponse<String> read = TestServer.withBearer("GET", rcu(reg), rat, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("no-store", read.headers().firstValue("Cache-Control").orElse(null));
        Map<String, Object> info = TestServer.json(read);
        assertEquals(id, info.get("client_id"));
        assertEquals("first", info.get("client_name"));
        assertEquals(reg.get("registration_client_uri"), info.get("registration_client_uri"));
        assertFalse(info.containsKey("client_secret"), "the secret is never returned again");
        assertFalse(info.containsKey("registration_access_token"));

        // update: replaces the metadata, applies the scope policy, rotates the registration access token
        HttpResponse<String> put = TestServer.withBearer("PUT", rcu(reg), rat,
                "{\"client_id\":\"" + id + "\",\"client_name\":\"second\",\"scope\":\"other-scope strong\",\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        assertEquals(200, put.statusCode(), put.body());
        Map<String, Object> updated = TestServer.json(put);
        assertEquals("second", updated.get("client_name"));
        assertEquals("other-scope", updated.get("scope"));
        String newRat = (String) updated.get("registration_access_token");
        assertNotEquals(rat, newRat);
        assertEquals(401, TestServer.withBearer("GET", rcu(reg), rat, null).statusCode(), "the old registration token is spent");
        assertEquals("second", TestServer.json(TestServer.withBearer("GET", rcu(reg), newRat, null)).get("client_name"));

        // token, introspect
        String token = (String) server.token(id, secret).get("access_token");
        Map<String, Object> active = server.introspect(resourceServer, token);
        assertEquals(true, active.get("active"));
        assertEquals(Set.of("active", "token_type", "scope", "client_id", "exp", "iat", "sub", "aud", "iss", "jti"), active.keySet());
        assertEquals("other-scope", active.get("scope"));
        assertEquals(id, active.get("client_id"));
        assertEquals(id, active.get("sub"));
        assertEquals("Bearer", active.get("token_type"));
        assertEquals(server.clavis.issuer("myAS"), active.get("iss"));

        // revoke, introspect again
        assertEquals(200, server.revoke(new String[] {id, secret}, token).statusCode());
        assertEquals(Map.of("active", false), server.introspect(resourceServer, token));
        assertEquals(200, server.revoke(new String[] {id, secret}, token).statusCode(), "already revoked is still 200");
        assertEquals(200, server.revoke(new String[] {id, secret}, "not-a-token").statusCode(), "unknown is 200");

        // delete: the secret, the registration token and an earlier live token all stop working
        String earlier = (String) server.token(id, secret).get("access_token");
        assertEquals(true, server.introspect(resourceServer, earlier).get("active"));
        HttpResponse<String> delete = TestServer.withBearer("DELETE", rcu(reg), newRat, null);
        assertEquals(204, delete.statusCode(), delete.body());
        assertEquals("", delete.body());
        HttpResponse<String> secretAfter = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials");
        assertEquals(401, secretAfter.statusCode());
        assertEquals("invalid_client", TestServer.json(secretAfter).get("error"));
        HttpResponse<String> ratAfter = TestServer.withBearer("GET", rcu(reg), newRat, null);
        assertEquals(401, ratAfter.statusCode());
        assertEquals("Bearer error=\"invalid_token\"", ratAfter.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(Map.of("active", false), server.introspect(resourceServer, earlier));
        assertEquals(401, TestServer.withBearer("DELETE", rcu(reg), newRat, null).statusCode());
    }

    @Test
    void aRegistrationTokenNeverReachesAnotherClient() {
        Map<String, Object> a = server.register("{}");
        Map<String, Object> b = server.register("{}");
        HttpResponse<String> r = TestServer.withBearer("GET", rcu(b), (String) a.get("registration_access_token"), null);
        assertEquals(401, r.statusCode());
        assertEquals("invalid_token", TestServer.json(r).get("error"));
        assertEquals(401, TestServer.withBearer("DELETE", rcu(b), (String) a.get("registration_access_token"), null).statusCode());
        assertEquals(200, TestServer.withBearer("GET", rcu(b), (String) b.get("registration_access_token"), null).statusCode());
    }

    record Bad(String name, String method, String bearer, String body, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badConfigurationRequests() {
        return Stream.of(
                new Bad("no bearer", "GET", null, null, 401, "invalid_token"),
                new Bad("wrong bearer", "GET", "wrong", null, 401, "invalid_token"),
                new Bad("wrong bearer on delete", "DELETE", "wrong", null, 401, "invalid_token"),
                new Bad("update without client_id", "PUT", "{rat}", "{\"client_name\":\"x\"}", 400, "invalid_request"),
                new Bad("update with another client_id", "PUT", "{rat}", "{\"client_id\":\"other\"}", 400, "invalid_request"),
                new Bad("update with registration_access_token", "PUT", "{rat}", "{\"client_id\":\"{id}\",\"registration_access_token\":\"x\"}", 400, "invalid_client_metadata"),
                new Bad("update with client_id_issued_at", "PUT", "{rat}", "{\"client_id\":\"{id}\",\"client_id_issued_at\":1}", 400, "invalid_client_metadata"),
                new Bad("update with a wrong client_secret", "PUT", "{rat}", "{\"client_id\":\"{id}\",\"client_secret\":\"nope\"}", 400, "invalid_client_metadata"),
                new Bad("update with a bad redirect uri", "PUT", "{rat}", "{\"client_id\":\"{id}\",\"redirect_uris\":[\"x\"]}", 400, "invalid_redirect_uri"),
                new Bad("update with no grantable scope", "PUT", "{rat}", "{\"client_id\":\"{id}\",\"scope\":\"admin\"}", 400, "invalid_client_metadata"),
                new Bad("update that is not JSON", "PUT", "{rat}", "nope", 400, "invalid_client_metadata"),
                new Bad("update with a wrong bearer", "PUT", "wrong", "{\"client_id\":\"{id}\"}", 401, "invalid_token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurationRequests")
    void badConfigurationRequestIsRefusedAndChangesNothing(Bad c) {
        Map<String, Object> reg = server.register("{\"client_name\":\"kept\"}");
        String rat = (String) reg.get("registration_access_token");
        String bearer = c.bearer() == null ? null : c.bearer().replace("{rat}", rat);
        String body = c.body() == null ? null : c.body().replace("{id}", (String) reg.get("client_id"));
        HttpResponse<String> r = TestServer.withBearer(c.method(), rcu(reg), bearer, body);
        assertEquals(c.status(), r.statusCode(), r.body());
        assertEquals(c.error(), TestServer.json(r).get("error"));
        if (c.status() == 401) {
            assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        HttpResponse<String> after = TestServer.withBearer("GET", rcu(reg), rat, null);
        assertEquals(200, after.statusCode(), "the registration token still works");
        assertEquals("kept", TestServer.json(after).get("client_name"));
    }

    @Test
    void unknownClientAtTheConfigurationEndpointIs401() {
        HttpResponse<String> r = TestServer.withBearer("GET", server.registrationEndpoint() + "/no-such-client", "x", null);
        assertEquals(401, r.statusCode());
        assertEquals("invalid_token", TestServer.json(r).get("error"));
    }

    @Test
    void introspectionSaysInactiveForEveryKindOfBadToken() throws Exception {
        String[] client = server.registerClient();
        String token = (String) server.token(client[0], client[1]).get("access_token");
        String[] parts = token.split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
        String otherPayload = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

        Map<String, Object> shortReg = TestServer.json(TestServer.postJson(
                server.url("/auth-login/rest/public/tech-client-registration/oauth2/short/register"), "{}"));
        HttpResponse<String> shortToken = TestServer.postForm(server.url("/auth-login/rest/oauth2/authorization-servers/short/token"),
                TestServer.basic((String) shortReg.get("client_id"), (String) shortReg.get("client_secret")), "grant_type=client_credentials");
        String otherServersToken = (String) TestServer.json(shortToken).get("access_token");

        for (String bad : List.of("", "x", "a.b.c", "a.b", token + "x", badSignature, otherPayload, otherServersToken,
                "eyJhbGciOiJub25lIn0." + parts[1] + ".")) {
            HttpResponse<String> r = TestServer.postForm(server.introspectionEndpoint(), TestServer.basic(resourceServer[0], resourceServer[1]),
                    "token=" + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8));
            if (bad.isEmpty()) {
                assertEquals(400, r.statusCode(), "an empty token parameter is a missing one");
                continue;
            }
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Map.of("active", false), TestServer.json(r), bad);
        }

        // expired: the "short" server's tokens live two seconds
        String[] shortClient = {(String) shortReg.get("client_id"), (String) shortReg.get("client_secret")};
        HttpResponse<String> fresh = TestServer.postForm(server.url("/auth-login/rest/oauth2/authorization-servers/short/introspect"),
                TestServer.basic(shortClient[0], shortClient[1]), "token=" + otherServersToken);
        assertEquals(true, TestServer.json(fresh).get("active"));
        CLOCK.advance(java.time.Duration.ofSeconds(2));
        HttpResponse<String> expired = TestServer.postForm(server.url("/auth-login/rest/oauth2/authorization-servers/short/introspect"),
                TestServer.basic(shortClient[0], shortClient[1]), "token=" + otherServersToken);
        assertEquals(Map.of("active", false), TestServer.json(expired));
    }

    @Test
    void introspectionAndRevocationRequireClientAuthentication() {
        String[] client = server.registerClient();
        String token = (String) server.token(client[0], client[1]).get("access_token");
        for (String endpoint : List.of(server.introspectionEndpoint(), server.revocationEndpoint())) {
            HttpResponse<String> none = TestServer.postForm(endpoint, null, "token=" + token);
            assertEquals(401, none.statusCode());
            assertEquals("invalid_client", TestServer.json(none).get("error"));
            HttpResponse<String> wrong = TestServer.postForm(endpoint, TestServer.basic(client[0], "wrong"), "token=" + token);
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> noToken = TestServer.postForm(endpoint, TestServer.basic(client[0], client[1]), "token_type_hint=access_token");
            assertEquals(400, noToken.statusCode());
            assertEquals("invalid_request", TestServer.json(noToken).get("error"));
            HttpResponse<String> inQuery = TestServer.postForm(endpoint + "?token=" + token, TestServer.basic(client[0], client[1]), "");
            assertEquals(400, inQuery.statusCode());
        }
        assertEquals(true, server.introspect(resourceServer, token).get("active"), "nothing above revoked it");
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        String[] owner = server.registerClient();
        String[] other = server.registerClient();
        String token = (String) server.token(owner[0], owner[1]).get("access_token");
        HttpResponse<String> r = server.revoke(other, token);
        assertEquals(400, r.statusCode());
        assertEquals("unauthorized_client", TestServer.json(r).get("error"));
        assertEquals(true, server.introspect(resourceServer, token).get("active"));
    }

    @Test
    void revocationOfOneTokenLeavesTheClientsOtherTokensActive() {
        String[] client = server.registerClient();
        String a = (String) server.token(client[0], client[1]).get("access_token");
        String b = (String) server.token(client[0], client[1]).get("access_token");
        assertEquals(200, server.revoke(client, a).statusCode());
        assertEquals(false, server.introspect(resourceServer, a).get("active"));
        assertEquals(true, server.introspect(resourceServer, b).get("active"));
        assertTrue(server.token(client[0], client[1]).containsKey("access_token"), "the client still gets tokens");
    }
}
