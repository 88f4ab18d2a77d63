package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/** Every call of the admin API under /admin/api/v1, and what each refuses; the server answers after every refusal. */
class AdminApiTest {
    @TempDir
    Path dir;

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, TestServer.json(r).get("error"), r.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> page, String name) {
        return (List<Map<String, Object>>) page.get(name);
    }

    @Test
    void clientsArePagedByCursorAndFilteredByIdOrName() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.other.scopes", "x"))) {
            String admin = AdminCalls.operatorToken(server);
            Set<String> ids = new HashSet<>(Set.of(AdminCalls.OPERATOR));
            for (int i = 0; i < 5; i++) ids.add((String) server.register("{\"client_name\":\"Fleet Member " + i + "\"}").get("client_id"));
            server.register("{\"client_name\":\"billing job\"}");
            AdminCalls.ok(201, server, "POST", "/clients/other", admin, "{\"client_name\":\"on other\"}");

            Set<String> seen = new HashSet<>();
            String after = null;
            int pages = 0;
            do {
                Map<String, Object> page = AdminCalls.ok(200, server, "GET", "/clients?as=myAS&limit=2&q=fleet"
                        + (after == null ? "" : "&after=" + after), admin, null);
                for (Map<String, Object> c : list(page, "clients")) {
                    assertTrue(seen.add((String) c.get("client_id")), "each client once");
                    assertEquals("myAS", c.get("authorization_server"));
                    assertTrue(((String) c.get("client_name")).startsWith("Fleet Member"), c.toString());
                    assertFalse(c.containsKey("client_secret") || c.toString().contains("sha256:"), c.toString());
                }
                after = (String) page.get("next");
                pages++;
            } while (after != null);
            assertEquals(5, seen.size(), "q matches the name, ASCII case aside");
            assertEquals(3, pages);

            String one = seen.iterator().next();
            assertEquals(List.of(one), list(AdminCalls.ok(200, server, "GET", "/clients?q=" + one.substring(4, 20).toUpperCase(), admin, null),
                    "clients").stream().map(c -> c.get("client_id")).toList(), "or a part of the client_id");
            Map<String, Object> all = AdminCalls.ok(200, server, "GET", "/clients", admin, null);
            assertEquals(8, list(all, "clients").size(), "without as: every server's");
            assertFalse(all.containsKey("next"));
            assertEquals(List.of("other"), list(AdminCalls.ok(200, server, "GET", "/clients?as=other", admin, null), "clients").stream()
                    .map(c -> c.get("authorization_server")).toList());
            assertEquals(0, list(AdminCalls.ok(200, server, "GET", "/clients?q=%25", admin, null), "clients").size(), "% is no wildcard");

            assertError(AdminCalls.call(server, "GET", "/clients?limit=201", admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?limit=0", admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?limit=x", admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?after=garbage", admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?q=" + "a".repeat(257), admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?as=nope", admin, null), 404, "not_found");
            assertError(AdminCalls.call(server, "GET", "/clients?as=myAS&as=other", admin, null), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/clients?colour=red", admin, null), 400, "invalid_request");
            server.assertAlive();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClientIsCreatedWithMetadataAndPolicyShownUpdatedAndDeleted() throws Exception {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("store.cache-seconds", "0"))) {
            String admin = AdminCalls.operatorToken(server);
            HttpResponse<String> created = AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"client_name\":\"Order sync\","
                    + "\"scope\":\"client-scope\",\"token_endpoint_auth_method\":\"client_secret_post\",\"access_token_lifetime\":120,"
                    + "\"access_token_claims\":{\"tenant\":\"acme\"}}");
            assertEquals(201, created.statusCode(), created.body());
            Map<String, Object> client = TestServer.json(created);
            String id = (String) client.get("client_id");
            String secret = (String) client.get("client_secret");
            assertEquals(Paths.ADMIN + "/clients/myAS/" + id, created.headers().firstValue("Location").orElse(null));
            assertEquals(120, ((Number) client.get("access_token_lifetime")).intValue());
            assertEquals(false, client.get("dynamically_registered"));
            assertFalse(client.containsKey("registration_access_token"), "operators manage it, not the client itself");

            HttpResponse<String> tokenResponse = TestServer.postForm(server.tokenEndpoint(), null,
                    "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
            assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
            Map<String, Object> claims = JwtVerifier.decodePart(((String) TestServer.json(tokenResponse).get("access_token")).split("\\.")[1]);
            assertEquals("acme", claims.get("tenant"));
            assertEquals(120, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue());

            Map<String, Object> shown = AdminCalls.ok(200, server, "GET", "/clients/myAS/" + id, admin, null);
            assertEquals("Order sync", shown.get("client_name"));
            assertFalse(shown.containsKey("client_secret"), "the secret is shown once, at creation");
            assertFalse(shown.toString().contains(secret) || shown.toString().contains("sha256:"));

            Map<String, Object> patched = AdminCalls.ok(200, server, "PATCH", "/clients/myAS/" + id, admin,
                    "{\"scope\":\"client-scope clavis:admin\",\"access_token_lifetime\":0,\"access_token_claims\":{\"tenant\":null,\"tier\":3},"
                            + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
            assertEquals("client-scope clavis:admin", patched.get("scope"), "an operator may grant the admin scope");
            assertEquals(18000, ((Number) patched.get("access_token_lifetime")).intValue(), "0: the server's lifetime");
            assertEquals(Map.of("tier", 3), patched.get("access_token_claims"), "a null member removes a claim (RFC 7396)");
            assertEquals("client_secret_basic", patched.get("token_endpoint_auth_method"));
            server.token(id, secret); // the same secret, now by Basic: token() asserts 200

            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"client_name\":\"x\"}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"scope\":\"nope\"}"), 400, "invalid_scope");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"access_token_lifetime\":18001}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"access_token_lifetime\":\"60\"}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"access_token_claims\":{\"iss\":\"evil\"}}"), 400,
                    "invalid_request");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"token_endpoint_auth_method\":\"private_key_jwt\"}"),
                    400, "invalid_client_metadata");
            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/no-such-client", admin, "{\"scope\":\"client-scope\"}"), 404, "not_found");
            assertError(AdminCalls.call(server, "GET", "/clients/myAS/no-such-client", admin, null), 404, "not_found");

            AdminCalls.ok(204, server, "DELETE", "/clients/myAS/" + id, admin, null);
            assertEquals(401, TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode());
            assertError(AdminCalls.call(server, "DELETE", "/clients/myAS/" + id, admin, null), 404, "not_found");
            assertError(AdminCalls.call(server, "GET", "/clients/myAS/" + id, admin, null), 404, "not_found");
            server.assertAlive();
        }
    }

    @Test
    void whetherAClientMayExchangeTokensIsSetAtCreationAndChangedByPatch() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.token-exchange", "true", "store.cache-seconds", "0"))) {
            String admin = AdminCalls.operatorToken(server);
            Map<String, Object> client = AdminCalls.ok(201, server, "POST", "/clients/myAS", admin,
                    "{\"scope\":\"client-scope\",\"token_exchange\":false}");
            String id = (String) client.get("client_id");
            String secret = (String) client.get("client_secret");
            assertEquals(false, client.get("token_exchange"));
            String subject = (String) server.token(id, secret).get("access_token");
            String exchange = "grant_type=" + java.net.URLEncoder.encode(DelegationTest.EXCHANGE, java.nio.charset.StandardCharsets.UTF_8)
                    + "&subject_token=" + subject + "&subject_token_type="
                    + java.net.URLEncoder.encode(DelegationTest.ACCESS_TOKEN, java.nio.charset.StandardCharsets.UTF_8);
            assertError(TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), exchange), 400, "unauthorized_client");

            assertError(AdminCalls.call(server, "PATCH", "/clients/myAS/" + id, admin, "{\"token_exchange\":\"yes\"}"), 400, "invalid_request");
            Map<String, Object> patched = AdminCalls.ok(200, server, "PATCH", "/clients/myAS/" + id, admin, "{\"token_exchange\":true}");
            assertEquals(true, patched.get("token_exchange"));
            HttpResponse<String> exchanged = TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), exchange);
            assertEquals(200, exchanged.statusCode(), exchanged.body());
            assertEquals(true, AdminCalls.ok(200, server, "GET", "/clients/myAS/" + id, admin, null).get("token_exchange"));
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"token_exchange\":1}"), 400, "invalid_request");
            server.assertAlive();
        }
    }

    @Test
    void creationRefusesWhatAnOperatorMayNotSetEither() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.other.scopes", "x"))) {
            String admin = AdminCalls.operatorToken(server);
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"scope\":\"client-scope unknown\"}"), 400, "invalid_scope");
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"access_token_lifetime\":18001}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"access_token_claims\":[1]}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"token_endpoint_auth_method\":\"private_key_jwt\"}"), 400,
                    "invalid_client_metadata");
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"client_name\":"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/clients/myAS", admin, null), 415, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/clients/nope", admin, "{}"), 404, "not_found");
            HttpResponse<String> huge = AdminCalls.call(server, "POST", "/clients/myAS", admin, "{\"client_name\":\"" + "a".repeat(70_000) + "\"}");
            assertEquals(413, huge.statusCode());
            HttpResponse<String> form = TestServer.send(HttpRequest.newBuilder(URI.create(server.url(Paths.ADMIN + "/clients/myAS")))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertError(form, 415, "invalid_request");
            assertEquals(405, AdminCalls.call(server, "PUT", "/clients/myAS", admin, "{}").statusCode());
            Map<String, Object> plain = AdminCalls.ok(201, server, "POST", "/clients/myAS", admin, "{}");
            assertEquals("client-scope", plain.get("scope"), "the default scopes, never the admin scope");
            server.assertAlive();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void keysAreListedWithoutPrivatePartsAndRotatedOnTheRunningServer() throws Exception {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings())) {
            String admin = AdminCalls.operatorToken(server);
            String oldKid = (String) JwtVerifier.decodePart(admin.split("\\.")[0]).get("kid");
            HttpResponse<String> listed = AdminCalls.call(server, "GET", "/keys", admin, null);
            for (String privatePart : List.of("\"d\"", "\"p\"", "\"q\"", "private")) assertFalse(listed.body().contains(privatePart), listed.body());
            List<Map<String, Object>> keys = list(TestServer.json(listed), "keys");
            assertEquals(1, keys.size());
            assertEquals(Map.of("authorization_server", "myAS", "kid", oldKid, "alg", "RS256", "status", "active"),
                    Map.of("authorization_server", keys.get(0).get("authorization_server"), "kid", keys.get(0).get("kid"),
                            "alg", keys.get(0).get("alg"), "status", keys.get(0).get("status")));

            Map<String, Object> rotated = AdminCalls.ok(200, server, "POST", "/keys/myAS/rotate", admin, null);
            String newKid = (String) rotated.get("kid");
            assertNotEquals(oldKid, newKid);
            String next = AdminCalls.operatorToken(server);
            assertEquals(newKid, JwtVerifier.decodePart(next.split("\\.")[0]).get("kid"), "this node signs with the new key at once");
            JwtVerifier.verify(admin, TestServer.json(TestServer.get(server.url(Paths.JWKS, "myAS"))));
            List<Map<String, Object>> after = list(AdminCalls.ok(200, server, "GET", "/keys", next, null), "keys");
            Map<String, Object> retired = after.stream().filter(k -> k.get("kid").equals(oldKid)).findFirst().orElseThrow();
            assertEquals("retired", retired.get("status"));
            assertEquals(((Number) retired.get("retired_at")).longValue() + 18000, ((Number) retired.get("published_until")).longValue(),
                    "published while the tokens it signed may live");
            assertError(AdminCalls.call(server, "POST", "/keys/nope/rotate", next, null), 404, "not_found");
            assertError(AdminCalls.call(server, "POST", "/keys/myAS/rotate", next, "{\"alg\":\"ES256\"}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/keys?x=1", next, null), 400, "invalid_request");
            server.assertAlive();
        }
    }

    @Test
    void initialAccessTokensAreCreatedListedWithoutTheirValueAndDeleted() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.gated.scopes", "x", "as.gated.registration", "initial-access-token"))) {
            String admin = AdminCalls.operatorToken(server);
            Map<String, Object> created = AdminCalls.ok(201, server, "POST", "/initial-access-tokens/gated", admin, "{\"expires_in\":600,\"uses\":2}");
            String value = (String) created.get("initial_access_token");
            String id = (String) created.get("id");
            assertEquals(2, ((Number) created.get("uses_left")).intValue());
            String register = server.url(Paths.REGISTRATION, "gated");
            assertEquals(201, TestServer.withBearer("POST", register, value, "{}").statusCode());

            AdminCalls.ok(201, server, "POST", "/initial-access-tokens/gated", admin, null);
            List<Map<String, Object>> listed = list(AdminCalls.ok(200, server, "GET", "/initial-access-tokens/gated", admin, null),
                    "initial_access_tokens");
            assertEquals(2, listed.size());
            Map<String, Object> mine = listed.stream().filter(t -> t.get("id").equals(id)).findFirst().orElseThrow();
            assertEquals(1, ((Number) mine.get("uses_left")).intValue(), "one use taken by the registration");
            assertFalse(listed.toString().contains(value), "never the token");
            Map<String, Object> firstPage = AdminCalls.ok(200, server, "GET", "/initial-access-tokens/gated?limit=1", admin, null);
            assertEquals(1, list(firstPage, "initial_access_tokens").size());
            assertEquals(1, list(AdminCalls.ok(200, server, "GET", "/initial-access-tokens/gated?limit=1&after=" + firstPage.get("next"), admin, null),
                    "initial_access_tokens").size());

            AdminCalls.ok(204, server, "DELETE", "/initial-access-tokens/gated/" + id, admin, null);
            assertEquals(401, TestServer.withBearer("POST", register, value, "{}").statusCode(), "a deleted token registers nothing");
            assertError(AdminCalls.call(server, "DELETE", "/initial-access-tokens/gated/" + id, admin, null), 404, "not_found");
            assertError(AdminCalls.call(server, "DELETE", "/initial-access-tokens/myAS/" + listed.get(0).get("id"), admin, null), 404, "not_found");
            assertError(AdminCalls.call(server, "POST", "/initial-access-tokens/gated", admin, "{\"uses\":0}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/initial-access-tokens/gated", admin, "{\"expires_in\":-1}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/initial-access-tokens/gated", admin, "{\"expires_in\":\"soon\"}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "POST", "/initial-access-tokens/gated", admin, "{\"token\":\"mine\"}"), 400, "invalid_request");
            assertError(AdminCalls.call(server, "GET", "/initial-access-tokens/nope", admin, null), 404, "not_found");
            server.assertAlive();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void registrationAndRfc7592NeverGrantTheAdminScope() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.default-scopes", "client-scope"))) {
            Map<String, Object> asked = server.register("{\"scope\":\"client-scope clavis:admin\"}");
            assertEquals("client-scope", asked.get("scope"), "dropped like any scope the server does not grant");
            assertEquals("client-scope", server.register("{}").get("scope"));
            HttpResponse<String> onlyAdmin = TestServer.postJson(server.registrationEndpoint(), "{\"scope\":\"clavis:admin\"}");
            assertError(onlyAdmin, 400, "invalid_client_metadata");

            // an RFC 7592 update cannot add it
            String rat = (String) asked.get("registration_access_token");
            String uri = server.registrationEndpoint() + "/" + asked.get("client_id");
            HttpResponse<String> updated = TestServer.withBearer("PUT", uri, rat, "{\"client_id\":\"" + asked.get("client_id")
                    + "\",\"scope\":\"client-scope clavis:admin\"}");
            assertEquals(200, updated.statusCode(), updated.body());
            assertEquals("client-scope", TestServer.json(updated).get("scope"));

            server.assertAlive();
        }
    }

    @Test
    void registrationWithAnInitialAccessTokenDoesNotGrantItEither() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.registration", "initial-access-token"))) {
            String value = (String) AdminCalls.ok(201, server, "POST", "/initial-access-tokens/myAS", AdminCalls.operatorToken(server), null)
                    .get("initial_access_token");
            HttpResponse<String> r = TestServer.withBearer("POST", server.registrationEndpoint(), value, "{\"scope\":\"client-scope clavis:admin\"}");
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("client-scope", TestServer.json(r).get("scope"));
        }
    }

    @Test
    void aClientIdIsPercentDecodedFromItsPathSegment() throws Exception {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings("as.myAS.client.svc/v2+x.secret", "service-secret-of-length"))) {
            String admin = AdminCalls.operatorToken(server);
            assertEquals("svc/v2+x", AdminCalls.ok(200, server, "GET", "/clients/myAS/svc%2Fv2%2Bx", admin, null).get("client_id"));
            RawHttp.Answer malformed = RawHttp.exchange(server.clavis.port(), "GET " + Paths.ADMIN + "/clients/myAS/svc%2z HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + admin + "\r\nConnection: close\r\n\r\n");
            assertEquals(400, malformed.status(), malformed.text());
            assertError(AdminCalls.call(server, "GET", "/clients/other/svc%2Fv2%2Bx", admin, null), 404, "not_found");
            server.assertAlive();
        }
    }

    @Test
    void clientListShowsEachClientsTokenLifetimeAndClaims() {
        try (TestServer server = TestServer.start(dir, AdminCalls.settings())) {
            String admin = AdminCalls.operatorToken(server);
            String own = (String) AdminCalls.ok(201, server, "POST", "/clients/myAS", admin,
                    "{\"client_name\":\"with settings\",\"access_token_lifetime\":600,\"access_token_claims\":{\"tenant\":\"acme\"}}").get("client_id");
            Map<String, Map<String, Object>> byId = new java.util.HashMap<>();
            for (Map<String, Object> c : list(AdminCalls.ok(200, server, "GET", "/clients?as=myAS", admin, null), "clients")) {
                byId.put((String) c.get("client_id"), c);
            }
            assertEquals(600, ((Number) byId.get(own).get("access_token_lifetime")).intValue());
            assertEquals(Map.of("tenant", "acme"), byId.get(own).get("access_token_claims"));
            assertEquals(18000, ((Number) byId.get(AdminCalls.OPERATOR).get("access_token_lifetime")).intValue(), "the server's lifetime");
            assertEquals(Map.of(), byId.get(AdminCalls.OPERATOR).get("access_token_claims"));
        }
    }
}
