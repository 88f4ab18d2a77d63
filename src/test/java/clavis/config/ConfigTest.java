package clavis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.TokenType;
import clavis.oauth.AuthMethod;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void shippedConfigurationIsValidAndMatchesTheSeed() {
        Config c = ConfigLoader.load(List.of("--config=config.properties"));
        assertEquals(8080, c.port());
        assertEquals("jdbc:sqlite:clavis.db", c.storeUrl());
        AuthorizationServerConfig as = c.authorizationServers().get("myAS");
        assertEquals("client-scope", as.scopes().toString());
        assertEquals(18000, as.tokenLifetimeSeconds());
        assertEquals(SigningAlgorithm.RS256, as.signingAlgorithm());
        assertEquals(TokenType.AT_JWT, as.tokenType());
        assertNull(as.audience());
    }

    @Test
    void anInMemoryServerBuiltInCodeSignsWithEs256UnlessToldOtherwise() {
        Config c = Config.builder().authorizationServer("a", "x").authorizationServer("b", "y").set("as.b.signing-alg", "RS256").build();
        assertEquals(SigningAlgorithm.ES256, c.authorizationServers().get("a").signingAlgorithm(), "no RSA key to make in a cold test JVM");
        assertEquals(SigningAlgorithm.RS256, c.authorizationServers().get("b").signingAlgorithm());
        Config onFile = Config.builder().authorizationServer("a", "x").set("store.url", "jdbc:sqlite:" + dir.resolve("c.db")).build();
        assertEquals(SigningAlgorithm.RS256, onFile.authorizationServers().get("a").signingAlgorithm(), "as config.properties does");
        assertEquals(SigningAlgorithm.RS256, Config.fromProperties(Map.of("as.a.scopes", "x", "store.url", "jdbc:sqlite::memory:"))
                .authorizationServers().get("a").signingAlgorithm(), "only the builder's default");
    }

    @Test
    void aServerBuiltInCodeKeepsItsStoreInMemoryUnlessToldOtherwise() {
        assertEquals("memory:", Config.builder().authorizationServer("a", "x").build().storeUrl(), "no database to load or open");
        assertEquals("memory:", Config.fromProperties(Map.of("as.a.scopes", "x", "store.url", "memory:")).storeUrl(), "also in a file");
        for (String wrong : List.of("memory:x", "memory", "jdbc:h2:mem:x")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x", "store.url", wrong)));
            assertEquals(List.of("store.url: only memory:, jdbc:sqlite: and jdbc:postgresql: URLs are supported, got '" + wrong + "'"), e.problems());
        }
    }

    @Test
    void defaultsApplyToWhatIsNotSet() {
        Config c = Config.fromProperties(Map.of("as.a.scopes", "x y"));
        assertEquals("127.0.0.1", c.host());
        assertEquals(Keys.DEFAULT_PORT, c.port());
        assertNull(c.baseUrl());
        assertEquals("x y", c.authorizationServers().get("a").defaultScopes().toString());
        assertEquals(Keys.DEFAULT_TOKEN_LIFETIME_SECONDS, c.authorizationServers().get("a").tokenLifetimeSeconds());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of(
                "server.port", "eighty",
                "server.prot", "1",
                "server.base-url", "ftp://x",
                "store.url", "jdbc:mysql://db/x?password=hunter2",
                "as.a.scopes", "read",
                "as.a.default-scopes", "write",
                "as.a.signing-alg", "HS256",
                "as.a.token-lifetime", "-1",
                "as.b.token-typ", "jwt")));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("server.port"), all);
        assertTrue(all.contains("server.prot: unknown key"), all);
        assertTrue(all.contains("server.base-url"), all);
        assertTrue(all.contains("store.url"), all);
        assertTrue(all.contains("as.a.default-scopes"), all);
        assertTrue(all.contains("as.a.signing-alg"), all);
        assertTrue(all.contains("as.a.token-lifetime"), all);
        assertTrue(all.contains("as.b.scopes: required"), all);
        assertTrue(all.contains("as.b.token-typ"), all);
        assertEquals(9, e.problems().size(), all);
        assertTrue(!e.getMessage().contains("hunter2"), "a password in the store URL is masked");
    }

    @Test
    void clientAuthenticationSettingsAreChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of(
                "server.tls.client-auth", "want",
                "as.a.scopes", "read",
                "as.a.auth-methods", "client_secret_basic tls_client_auth",
                "as.a.dpop", "maybe",
                "as.b.scopes", "read",
                "as.b.auth-methods", "none")));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("need server.tls.keystore"), all);
        assertTrue(all.contains("as.a.auth-methods: 'tls_client_auth' is not available"), all);
        assertTrue(all.contains("as.a.dpop"), all);
        assertTrue(all.contains("as.b.auth-methods: 'none' is not available"), all);
        Config c = Config.fromProperties(Map.of("as.a.scopes", "read", "as.a.auth-methods", "private_key_jwt"));
        assertEquals(List.of(AuthMethod.PRIVATE_KEY_JWT), c.authorizationServers().get("a").authMethods());
        assertEquals(List.of(AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST, AuthMethod.PRIVATE_KEY_JWT),
                Config.fromProperties(Map.of("as.a.scopes", "read")).authorizationServers().get("a").authMethods(),
                "without TLS client certificates, the certificate methods are off");
    }

    @Test
    void noAuthorizationServerIsAProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of()));
        assertTrue(e.problems().get(0).contains("no authorization server"));
    }

    @Test
    void commandLineOverridesTheFile() throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "server.port=1234\nas.myAS.scopes=a\nas.myAS.token-lifetime=10\n");
        Config c = ConfigLoader.load(List.of("--config=" + file, "--server.port=0", "--as.myAS.token-lifetime=20"));
        assertEquals(0, c.port());
        assertEquals(20, c.authorizationServers().get("myAS").tokenLifetimeSeconds());
    }

    @Test
    void missingConfigFileOrBadArgumentIsAProblem() {
        assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of("--config=" + dir.resolve("none"))));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(List.of("server.port=1")));
    }

    @Test
    void describeMasksPasswords() {
        assertEquals("jdbc:postgresql://db/x?user=a&password=****", Config.maskPassword("jdbc:postgresql://db/x?user=a&password=s3cret"));
        assertEquals("jdbc:postgresql://a:****@db/x", Config.maskPassword("jdbc:postgresql://a:s3cret@db/x"));
    }

    @Test
    void fetchAllowedHostsAreSplitCheckedAndDescribed() {
        Config c = Config.fromProperties(Map.of("as.a.scopes", "x", "fetch.allowed-hosts", "keys.internal, 10.0.0.5:8443 [fd00::1]"));
        assertEquals(List.of("keys.internal", "10.0.0.5:8443", "[fd00::1]"), c.fetchAllowedHosts());
        assertTrue(c.describe().contains("fetch.allowed-hosts=keys.internal, 10.0.0.5:8443 [fd00::1]"), c.describe().toString());
        assertEquals(List.of(), Config.fromProperties(Map.of("as.a.scopes", "x")).fetchAllowedHosts());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.fromProperties(Map.of("as.a.scopes", "x", "fetch.allowed-hosts", "https://keys.internal/jwks")));
        assertTrue(String.join("\n", e.problems()).contains("fetch.allowed-hosts: 'https://keys.internal/jwks' is not host or host:port"), e.problems().toString());
    }

    @Test
    void delegationTrustsAreCheckedAndTakeTheirDefaults() throws Exception {
        Path jwks = Files.writeString(dir.resolve("keys.json"), "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"1\","
                + "\"x\":\"dyoJk2vupCaMG5T8GnfDkUI4308h4DVH1taTOVlCnfk\"}]}");
        AuthorizationServerConfig as = Config.fromProperties(Map.of("as.a.scopes", "x y", "as.a.jwt-bearer.trust.ci.issuer", "https://ci.example",
                "as.a.jwt-bearer.trust.ci.jwks", jwks.toString(), "as.a.jwt-bearer.trust.ci.scopes", "y")).authorizationServers().get("a");
        clavis.oauth.TrustedIssuer ci = as.bearerIssuers().get(0);
        assertEquals(86400, ci.maxLifetimeSeconds(), "workload identity tokens often live an hour or more");
        assertEquals(false, ci.singleUse());
        assertEquals(false, ci.anonymous());
        assertEquals(false, as.tokenExchange());

        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.ofEntries(
                Map.entry("as.a.scopes", "x y"), Map.entry("as.a.client.ci.secret", "0123456789abcdef0123"),
                Map.entry("as.a.jwt-bearer.trust.ci.issuer", "https://ci.example"), Map.entry("as.a.jwt-bearer.trust.ci.jwks", jwks.toString()),
                Map.entry("as.a.jwt-bearer.trust.ci.scopes", "y"), Map.entry("as.a.jwt-bearer.trust.ci.anonymous", "true"),
                Map.entry("as.a.jwt-bearer.trust.both.issuer", "https://both.example"), Map.entry("as.a.jwt-bearer.trust.both.jwks", jwks.toString()),
                Map.entry("as.a.jwt-bearer.trust.both.jwks-uri", "https://both.example/jwks"), Map.entry("as.a.jwt-bearer.trust.both.scopes", "y"),
                Map.entry("as.a.jwt-bearer.trust.plain.issuer", "https://plain.example"),
                Map.entry("as.a.jwt-bearer.trust.plain.jwks-uri", "http://plain.example/jwks"), Map.entry("as.a.jwt-bearer.trust.plain.scopes", "z"),
                Map.entry("as.a.token-exchange.trust.partner.issuer", "https://partner.example"),
                Map.entry("as.a.token-exchange.trust.partner.jwks", dir.resolve("missing.json").toString()))));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("as.a.jwt-bearer.trust.ci.anonymous: its tokens' client_id would be the static client ci's"), all);
        assertTrue(all.contains("as.a.jwt-bearer.trust.both.*: give issuer, scopes, and exactly one of jwks"), all);
        assertTrue(all.contains("as.a.jwt-bearer.trust.plain.jwks-uri: must be https"), all);
        assertTrue(all.contains("as.a.jwt-bearer.trust.plain.scopes: every scope must be one of as.a.scopes"), all);
        assertTrue(all.contains("as.a.token-exchange.trust.partner.scopes: required"), all);
        assertTrue(all.contains("as.a.token-exchange.trust.partner.jwks"), all);
        ConfigException off = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x y",
                "as.a.token-exchange.trust.partner.issuer", "https://partner.example", "as.a.token-exchange.trust.partner.jwks", jwks.toString(),
                "as.a.token-exchange.trust.partner.scopes", "x")));
        assertEquals(List.of("as.a.token-exchange: trusted exchange issuers are configured but as.a.token-exchange is not true"), off.problems());
        ConfigException twice = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x y",
                "as.a.jwt-bearer.trust.one.issuer", "https://ci.example", "as.a.jwt-bearer.trust.one.jwks", jwks.toString(),
                "as.a.jwt-bearer.trust.one.scopes", "x", "as.a.jwt-bearer.trust.two.issuer", "https://ci.example",
                "as.a.jwt-bearer.trust.two.jwks", jwks.toString(), "as.a.jwt-bearer.trust.two.scopes", "y")));
        assertEquals(1, twice.problems().size(), twice.problems().toString());
        assertTrue(twice.problems().get(0).contains("'https://ci.example' is already trusted as"), twice.problems().toString());
    }

    @Test
    void theAdminApiIsOffByDefaultAndItsScopeIsOperatorsOnly() {
        assertNull(Config.fromProperties(Map.of("as.a.scopes", "x")).admin());
        Config c = Config.fromProperties(Map.of("admin.authorization-server", "a", "as.a.scopes", "x clavis:admin",
                "as.a.client.ops.secret", "operator-secret-16", "as.a.client.svc.secret", "service-secret-16",
                "as.a.client.ops.scope", "clavis:admin", "as.b.scopes", "y clavis:admin"));
        assertEquals(new Config.Admin("a", "clavis:admin"), c.admin());
        AuthorizationServerConfig a = c.authorizationServers().get("a");
        assertEquals("x", a.defaultScopes().toString(), "the default of default-scopes is every scope but the admin scope");
        assertEquals("clavis:admin", a.operatorScopes().toString());
        assertEquals("clavis:admin", a.staticClients().stream().filter(s -> s.clientId().equals("ops")).findFirst().orElseThrow().scope().toString());
        assertEquals("x", a.staticClients().stream().filter(s -> s.clientId().equals("svc")).findFirst().orElseThrow().scope().toString(),
                "a static client without a scope does not get the admin scope");
        assertEquals("y clavis:admin", c.authorizationServers().get("b").defaultScopes().toString(), "on other servers it is a scope like any");
        assertTrue(c.authorizationServers().get("b").operatorScopes().isEmpty());

        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("admin.authorization-server", "nope",
                "as.a.scopes", "x")));
        assertTrue(String.join("\n", e.problems()).contains("admin.authorization-server: 'nope' is not a configured authorization server"),
                e.problems().toString());
        e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("admin.authorization-server", "a", "as.a.scopes", "x")));
        assertTrue(String.join("\n", e.problems()).contains("as.a.scopes: must include admin.scope (clavis:admin)"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("admin.authorization-server", "a",
                "as.a.scopes", "x ops", "admin.scope", "ops", "as.a.default-scopes", "x ops")));
        assertTrue(String.join("\n", e.problems()).contains("as.a.default-scopes: must not include admin.scope (ops)"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("admin.authorization-server", "a",
                "as.a.scopes", "x", "admin.scope", "two words")));
        assertTrue(String.join("\n", e.problems()).contains("admin.scope: 'two words' is not one scope token"), e.problems().toString());
    }

    @Test
    void trustedProxiesAreCheckedAndLetForwardedCertificatesUseTheClientCa() throws Exception {
        Path ca = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (List<String> args : List.of(
                List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Test CA", "-ext", "bc:c",
                        "-storetype", "PKCS12", "-keystore", dir.resolve("ca.p12").toString()),
                List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-file", ca.toString()))) {
            List<String> command = new java.util.ArrayList<>(List.of(keytool));
            command.addAll(args);
            command.addAll(List.of("-storepass", "ca-store-password", "-noprompt"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x",
                "server.tls.client-ca", ca.toString())));
        assertTrue(String.join("\n", e.problems()).contains("server.tls.client-ca: needs server.tls.keystore with client-auth=want, "
                + "or server.trusted-proxies"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> Config.fromProperties(Map.of("as.a.scopes", "x",
                "server.trusted-proxies", "10.0.0.0/8, proxy.internal")));
        assertTrue(String.join("\n", e.problems()).contains("server.trusted-proxies: 'proxy.internal' is not an IP address or CIDR range"),
                e.problems().toString());
        Config c = Config.fromProperties(Map.of("as.a.scopes", "x", "server.trusted-proxies", "10.0.0.0/8 192.0.2.7",
                "server.tls.client-ca", ca.toString()));
        assertEquals(2, c.trustedProxies().size());
        assertEquals(1, c.clientCas().size());
        assertTrue(c.clientCertificates());
        assertEquals(List.of(AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST, AuthMethod.PRIVATE_KEY_JWT, AuthMethod.TLS_CLIENT_AUTH,
                AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH), c.authorizationServers().get("a").authMethods(),
                "a proxy may forward certificates: the certificate methods are on");
    }
}
