package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.http.Paths;

/**
 * Dev mode (item 6 of the test-double issue): any client, any authorization server, any claims, on loopback only;
 * and none of it without {@code server.dev-mode=true}.
 */
class DevModeTest {
    @TempDir
    Path dir;

    private static Clavis devServer(String... extra) {
        var b = Config.builder().devMode().authorizationServer("myAS", "orders.read orders.write").set("as.myAS.default-scopes", "orders.read");
        for (int i = 0; i < extra.length; i += 2) b.set(extra[i], extra[i + 1]);
        return Clavis.start(b.build());
    }

    private static String tokenEndpoint(Clavis server, String asId) {
        return server.baseUri() + Paths.TOKEN.replace("{as}", asId);
    }

    private static Map<String, Object> jwks(Clavis server, String asId) {
        return TestServer.json(TestServer.get(server.baseUri() + Paths.JWKS.replace("{as}", asId)));
    }

    @Test
    void anyClientIdWithAnySecretGetsATokenForItselfWithinAConfiguredServersScopes() throws Exception {
        try (Clavis server = devServer()) {
            HttpResponse<String> basic = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic("orders-app", "anything"),
                    "grant_type=client_credentials&scope=orders.write");
            assertEquals(200, basic.statusCode(), basic.body());
            Map<String, Object> claims = JwtVerifier.verify((String) TestServer.json(basic).get("access_token"), jwks(server, "myAS")).claims();
            assertEquals("orders-app", claims.get("client_id"));
            assertEquals("orders-app", claims.get("sub"));
            assertEquals("orders.write", claims.get("scope"));

            HttpResponse<String> post = TestServer.postForm(tokenEndpoint(server, "myAS"), null,
                    "grant_type=client_credentials&client_id=billing&client_secret=x");
            assertEquals(200, post.statusCode(), post.body());
            assertEquals("orders.read", TestServer.json(post).get("scope"), "the configured default scopes");

            HttpResponse<String> outside = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic("orders-app", "x"),
                    "grant_type=client_credentials&scope=admin");
            assertEquals(400, outside.statusCode());
            assertEquals("invalid_scope", TestServer.json(outside).get("error"), "a configured server keeps its scope policy");
            HttpResponse<String> grant = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic("orders-app", "x"), "grant_type=password");
            assertEquals("unsupported_grant_type", TestServer.json(grant).get("error"));
            HttpResponse<String> noSecret = TestServer.postForm(tokenEndpoint(server, "myAS"), null, "grant_type=client_credentials&client_id=x");
            assertEquals(401, noSecret.statusCode(), "a secret is still needed, any will do");
        }
    }

    @Test
    void aRegisteredClientStillNeedsItsOwnSecret() {
        try (Clavis server = devServer()) {
            Clavis.RegisteredClient c = server.registerClient("myAS", null);
            HttpResponse<String> wrong = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic(c.clientId(), "not-its-secret"),
                    "grant_type=client_credentials");
            assertEquals(401, wrong.statusCode());
            assertEquals("invalid_client", TestServer.json(wrong).get("error"));
            assertEquals(200, TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic(c.clientId(), c.clientSecret()),
                    "grant_type=client_credentials").statusCode());
        }
    }

    @Test
    void anyAuthorizationServerIdExistsOnFirstUseWithAnyScope() throws Exception {
        try (Clavis server = devServer()) {
            String issuer = server.baseUri() + Paths.ISSUER.replace("{as}", "payments");
            HttpResponse<String> metadata = TestServer.get(issuer + "/.well-known/openid-configuration");
            assertEquals(200, metadata.statusCode(), metadata.body());
            Map<String, Object> m = TestServer.json(metadata);
            assertEquals(issuer, m.get("issuer"));
            assertEquals(true, m.get("clavis_dev_mode"));
            assertFalse(m.containsKey("scopes_supported"), "any scope");
            HttpResponse<String> token = TestServer.postForm(tokenEndpoint(server, "payments"), TestServer.basic("svc", "s"),
                    "grant_type=client_credentials&scope=payments:write%20audit");
            assertEquals(200, token.statusCode(), token.body());
            Map<String, Object> claims = JwtVerifier.verify((String) TestServer.json(token).get("access_token"), jwks(server, "payments")).claims();
            assertEquals(issuer, claims.get("iss"));
            assertEquals("payments:write audit", claims.get("scope"));
            assertEquals(issuer, server.issuer("payments"), "the Java API finds it too");
            assertEquals(issuer, server.issuer("ledger").replace("ledger", "payments"), "and makes one on first use");

            HttpResponse<String> registered = TestServer.postJson(server.registrationEndpoint("payments"), "{\"scope\":\"x y\"}");
            assertEquals(201, registered.statusCode(), registered.body());
            assertEquals("x y", TestServer.json(registered).get("scope"));
            HttpResponse<String> noScope = TestServer.postJson(server.registrationEndpoint("payments"), "{}");
            assertEquals(400, noScope.statusCode(), "no default scope to give");
            assertEquals("invalid_client_metadata", TestServer.json(noScope).get("error"));
            assertEquals(true, TestServer.json(TestServer.get(server.baseUri() + Paths.METADATA_UNDER_ISSUER.replace("{as}", "myAS")))
                    .get("clavis_dev_mode"), "a configured server's metadata says so too");
        }
    }

    @Test
    void resourceNamesAnyApiOnAServerMadeOnFirstUseAndAConfiguredOneKeepsItsApis() throws Exception {
        try (Clavis server = devServer("as.myAS.api.orders.uri", "https://orders.example.com", "as.myAS.api.orders.scopes", "orders.write")) {
            HttpResponse<String> any = TestServer.postForm(tokenEndpoint(server, "payments"), TestServer.basic("svc", "s"),
                    "grant_type=client_credentials&scope=pay&resource=https%3A%2F%2Fpayments.test%2Fv1");
            assertEquals(200, any.statusCode(), any.body());
            Map<String, Object> claims = JwtVerifier.verify((String) TestServer.json(any).get("access_token"), jwks(server, "payments")).claims();
            assertEquals("https://payments.test/v1", claims.get("aud"));
            assertEquals("pay", claims.get("scope"));
            HttpResponse<String> notUri = TestServer.postForm(tokenEndpoint(server, "payments"), TestServer.basic("svc", "s"),
                    "grant_type=client_credentials&resource=payments");
            assertEquals(400, notUri.statusCode());
            assertEquals("invalid_target", TestServer.json(notUri).get("error"));

            HttpResponse<String> configured = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic("orders-app", "x"),
                    "grant_type=client_credentials&resource=https%3A%2F%2Forders.example.com");
            assertEquals(200, configured.statusCode(), configured.body());
            Map<String, Object> c = JwtVerifier.verify((String) TestServer.json(configured).get("access_token"), jwks(server, "myAS")).claims();
            assertEquals("https://orders.example.com", c.get("aud"));
            assertEquals("orders.write", c.get("scope"), "the stand-in may have the API's scopes within the server's");
            HttpResponse<String> unknown = TestServer.postForm(tokenEndpoint(server, "myAS"), TestServer.basic("orders-app", "x"),
                    "grant_type=client_credentials&resource=https%3A%2F%2Fpayroll.example.com");
            assertEquals("invalid_target", TestServer.json(unknown).get("error"), "a configured server keeps its APIs");
        }
    }

    @Test
    void theServersMadeOnFirstUseAreBounded() {
        List<String> made = new ArrayList<>();
        DevAuthorizationServers servers = new DevAuthorizationServers(Map.of(), id -> {
            made.add(id);
            String issuer = "http://localhost/" + id;
            return new clavis.oauth.AuthorizationServer(id, new clavis.oauth.AuthorizationServer.Urls(issuer, issuer, issuer, issuer, issuer, issuer),
                    null, null, null);
        });
        for (int i = 0; i < DevAuthorizationServers.MAX_CREATED; i++) assertEquals("as" + i, servers.find("as" + i).id());
        assertNull(servers.find("one-too-many"));
        assertEquals("as7", servers.find("as7").id(), "those made stay");
        assertEquals(DevAuthorizationServers.MAX_CREATED, made.size(), "each made once");
    }

    @Test
    void anIdThatCannotBeAnAuthorizationServersIsNoneAndTwoMadeOnFirstUseHaveKeysOfTheirOwn() throws Exception {
        try (Clavis server = devServer()) {
            assertEquals(404, TestServer.get(server.baseUri() + Paths.JWKS.replace("{as}", "a%20b")).statusCode());
            assertEquals(404, TestServer.get(server.baseUri() + Paths.JWKS.replace("{as}", "x".repeat(65))).statusCode());
            String fromA = (String) TestServer.json(TestServer.postJson(server.issuer("a") + "/dev/token", "{}")).get("access_token");
            JwtVerifier.verify(fromA, jwks(server, "a"));
            AssertionError e = assertThrows(AssertionError.class, () -> JwtVerifier.verify(fromA, jwks(server, "b")));
            assertTrue(e.getMessage().contains("no key"), e.getMessage());
        }
    }

    @Test
    void devTokenSignsAnyClaimsOverDefaultsForIssIatExpAndJti() throws Exception {
        TestClock clock = new TestClock();
        try (Clavis server = Clavis.start(Config.builder().devMode().clock(clock).build())) {
            String issuer = server.issuer("api");
            HttpResponse<String> r = TestServer.postJson(issuer + "/dev/token", "{\"sub\":\"alice\",\"roles\":[\"admin\"],\"aud\":\"orders\",\"exp\":4102444800}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
            Map<String, Object> claims = JwtVerifier.verify((String) TestServer.json(r).get("access_token"), jwks(server, "api")).claims();
            assertEquals(issuer, claims.get("iss"));
            assertEquals("alice", claims.get("sub"));
            assertEquals(List.of("admin"), claims.get("roles"));
            assertEquals(clock.instant().getEpochSecond(), ((Number) claims.get("iat")).longValue());
            assertEquals(4102444800L, ((Number) claims.get("exp")).longValue(), "the JSON overrides a default");
            assertTrue(claims.get("jti") instanceof String);
            HttpResponse<String> iss = TestServer.postJson(issuer + "/dev/token", "{\"iss\":\"https://elsewhere\"}");
            assertEquals("https://elsewhere", JwtVerifier.verify((String) TestServer.json(iss).get("access_token"), jwks(server, "api")).claims().get("iss"));

            assertEquals(400, TestServer.postJson(issuer + "/dev/token", "[1]").statusCode());
            assertEquals(415, TestServer.postForm(issuer + "/dev/token", null, "sub=x").statusCode());
            assertEquals(405, TestServer.get(issuer + "/dev/token").statusCode());
        }
    }

    @Test
    void aLoopbackJwksUriMayBeRegisteredAndFetchedInDevModeOnly() throws Exception {
        Jose.Key key = Jose.generate("ES256");
        com.sun.net.httpserver.HttpServer keys = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks", exchange -> {
            byte[] bytes = key.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        keys.start();
        String jwksUri = "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks\"}";
        try (Clavis dev = devServer(); Clavis production = Clavis.start(Config.builder().authorizationServer("myAS", "orders.read").build())) {
            HttpResponse<String> refused = TestServer.postJson(production.registrationEndpoint("myAS"), jwksUri);
            assertEquals(400, refused.statusCode(), "outside dev mode the address rule stands");
            HttpResponse<String> registered = TestServer.postJson(dev.registrationEndpoint("myAS"), jwksUri);
            assertEquals(201, registered.statusCode(), registered.body());
            String id = (String) TestServer.json(registered).get("client_id");
            String assertion = Jose.sign(key, Map.of(), Jose.assertionClaims(id, dev.tokenEndpoint("myAS")));
            HttpResponse<String> token = TestServer.postForm(dev.tokenEndpoint("myAS"), null, "grant_type=client_credentials"
                    + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion);
            assertEquals(200, token.statusCode(), token.body());
        } finally {
            keys.stop(0);
        }
    }

    @Test
    void devModeNeedsALoopbackHost() {
        for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]")) {
            Config c = Config.fromProperties(Map.of("server.dev-mode", "true", "server.host", host));
            assertTrue(c.devMode());
            assertEquals("memory:", c.storeUrl(), "dev mode's store defaults to memory");
            assertEquals(Map.of(), c.authorizationServers(), "no authorization server needs configuring");
        }
        for (String host : List.of("0.0.0.0", "10.0.0.1", "::", "example.com", "127.0.0.256", "localhost.example.com")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("server.dev-mode", "true", "server.host", host)));
            assertTrue(e.getMessage().contains("server.dev-mode: needs server.host to be a loopback address"), e.getMessage());
        }
        assertEquals("jdbc:sqlite:x.db", Config.fromProperties(Map.of("server.dev-mode", "true", "store.url", "jdbc:sqlite:x.db")).storeUrl());
    }

    private ProcessBuilder clavis(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "clavis.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    }

    @Test
    void onAnotherHostTheProcessExitsTwoWithTheReason() throws Exception {
        Process p = clavis("--server.dev-mode=true", "--server.host=0.0.0.0", "--server.port=0").start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("server.dev-mode: needs server.host to be a loopback address"), output);
    }

    @Test
    void theProcessStartsWithNoConfigurationAtAllWarnsAndKeepsNothingOnDisk() throws Exception {
        int port = ChildProcess.freePort();
        Path log = dir.resolve("clavis.log");
        Process p = clavis("--server.dev-mode=true", "--server.port=" + port).redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> token = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (token == null && System.currentTimeMillis() < deadline) {
                assertTrue(p.isAlive(), () -> "exited: " + read(log));
                try {
                    token = TestServer.postForm(base + Paths.TOKEN.replace("{as}", "anyAS"), TestServer.basic("me", "x"), "grant_type=client_credentials");
                } catch (RuntimeException notYet) {
                    Thread.onSpinWait();
                }
            }
            assertEquals(200, token.statusCode(), token.body());
            String output = read(log);
            assertTrue(output.contains("DEV MODE: any client_id with any secret gets a token"), output);
            assertTrue(output.contains("store.url=memory: (dev mode's default)"), output);
            try (var files = Files.list(dir)) {
                assertEquals(List.of(log), files.toList(), "no database file");
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void withoutDevModeNoneOfItIsReachableOverHttp() {
        try (Clavis server = Clavis.start(Config.builder().authorizationServer("myAS", "orders.read").build())) {
            String issuer = server.issuer("myAS");
            HttpResponse<String> devToken = TestServer.postJson(issuer + "/dev/token", "{\"sub\":\"alice\"}");
            assertEquals(404, devToken.statusCode(), "no such path outside dev mode");
            assertEquals(404, TestServer.get(server.baseUri() + Paths.JWKS.replace("{as}", "payments")).statusCode(), "no server on first use");
            assertEquals(404, TestServer.postForm(tokenEndpoint(server, "payments"), TestServer.basic("svc", "s"), "grant_type=client_credentials")
                    .statusCode());
            HttpResponse<String> anyClient = TestServer.postForm(server.tokenEndpoint("myAS"), TestServer.basic("orders-app", "anything"),
                    "grant_type=client_credentials");
            assertEquals(401, anyClient.statusCode(), "an unknown client is refused");
            assertEquals("invalid_client", TestServer.json(anyClient).get("error"));
            assertNull(TestServer.json(TestServer.get(issuer + "/.well-known/oauth-authorization-server")).get("clavis_dev_mode"));
            assertThrows(IllegalArgumentException.class, () -> server.issuer("payments"));
            assertEquals(200, TestServer.get(server.jwksUri("myAS")).statusCode());
        }
    }
}
