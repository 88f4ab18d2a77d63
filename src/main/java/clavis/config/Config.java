package clavis.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.security.cert.X509Certificate;

import clavis.json.Json;
import clavis.jwt.PublicJwk;

/**
 * The whole, validated configuration ({@code baseUrl} is null when not set: then it is
 * {@code http://localhost:<port>} with the port actually bound). Built from string properties (the file plus command-line overrides, or a
 * map built in code); every problem is collected and reported at once; frozen after construction.
 */
public record Config(
        String host,
        int port,
        String baseUrl,
        int threads,
        int writeThreads,
        String storeUrl,
        int cacheSeconds,
        Tls tls,
        boolean accessLog,
        Limits limits,
        Throttle throttle,
        Map<String, AuthorizationServerConfig> authorizationServers) {

    /**
     * HTTPS with a PKCS#12 keystore; the password comes from an environment variable, never the file.
     *
     * @param requestClientCertificates whether the handshake asks clients for a certificate (RFC 8705), optional for them
     * @param clientCas the CAs trusted for {@code tls_client_auth}; empty when that method is off
     */
    public record Tls(String keystorePath, char[] password, boolean requestClientCertificates, List<X509Certificate> clientCas) {
        public Tls {
            clientCas = List.copyOf(clientCas);
        }
    }

    /**
     * Resource bounds on every request. The last three are the JDK HttpServer's own, set as system properties that
     * it reads once per JVM: in a JVM that embeds several servers, the first one started sets them.
     */
    public record Limits(int tokenBodyBytes, int registrationBodyBytes, int headerBytes, int requestSeconds, int maxConnections) {
    }

    /** Failed client authentications allowed per window, per client_id and per source address, before 429. */
    public record Throttle(int clientFailures, int addressFailures, int windowSeconds) {
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /**
     * Two per core, at least 4: the token path is CPU-bound, and more threads than that only take turns on the
     * cores (on 2 cores, 4 threads gave a lower p99 than 8 in each of four alternating ES256 runs).
     */
    public static final int DEFAULT_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    public static final int DEFAULT_WRITE_THREADS = 64;
    public static final int DEFAULT_CACHE_SECONDS = 1;
    public static final String DEFAULT_STORE_URL = "jdbc:sqlite:clavis.db";
    public static final int DEFAULT_TOKEN_BODY_LIMIT_BYTES = 16 * 1024;
    public static final int DEFAULT_REGISTRATION_BODY_LIMIT_BYTES = 64 * 1024;
    public static final int DEFAULT_HEADER_LIMIT_BYTES = 16 * 1024;
    public static final int DEFAULT_REQUEST_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_CLIENT_FAILURES = 10;
    public static final int DEFAULT_ADDRESS_FAILURES = 100;
    public static final int DEFAULT_THROTTLE_WINDOW_SECONDS = 60;
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
    public static final long MAX_TOKEN_LIFETIME_SECONDS = 366L * 24 * 3600;
    public static final String DEFAULT_SIGNING_ALGORITHM = "RS256";
    public static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");
    public static final List<String> TOKEN_TYPES = List.of("at+jwt", "JWT");
    public static final List<String> REGISTRATION_POLICIES = List.of("open", "initial-access-token");

    public static final String DEFAULT_TLS_PASSWORD_ENV = "CLAVIS_TLS_KEYSTORE_PASSWORD";

    private static final Pattern AS_ID = Pattern.compile("[A-Za-z0-9_~-]{1,64}");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final List<String> STATIC_CLIENT_KEYS = List.of("secret", "secret-hash", "scope", "auth-method");
    /** RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final List<String> SERVER_KEYS = List.of(
            "server.host", "server.port", "server.base-url", "server.threads", "server.write-threads", "store.url", "store.cache-seconds", "server.access-log",
            "server.tls.keystore", "server.tls.keystore-password-env", "server.tls.client-auth", "server.tls.client-ca",
            "limits.token-body-bytes", "limits.registration-body-bytes", "limits.header-bytes", "limits.request-seconds",
            "limits.max-connections", "throttle.client-failures", "throttle.address-failures", "throttle.window-seconds");
    private static final List<String> AS_KEYS = List.of(
            "scopes", "default-scopes", "token-lifetime", "audience", "signing-alg", "token-typ", "registration", "secret-lifetime",
            "key-rotation-seconds", "auth-methods", "dpop", "software-statement.required");
    private static final String TRUST_PREFIX = "software-statement.trust.";
    private static final List<String> TRUST_KEYS = List.of("issuer", "jwks");

    public Config {
        authorizationServers = Collections.unmodifiableMap(new LinkedHashMap<>(authorizationServers));
    }

    /** A configuration built in code: port 0 and an in-memory database unless set otherwise. */
    public static ConfigBuilder builder() {
        return new ConfigBuilder();
    }

    /** Builds and validates a configuration from properties; throws {@link ConfigException} naming every problem. */
    public static Config fromProperties(Map<String, String> properties) {
        return fromProperties(properties, System.getenv());
    }

    /** As {@link #fromProperties(Map)}, reading environment variables (the TLS password) from {@code env}. */
    public static Config fromProperties(Map<String, String> properties, Map<String, String> env) {
        return new Parser(properties, env).parse();
    }

    /** The configuration as {@code key=value} lines, for the start-up log. Nothing here is secret but a store URL's password. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("server.host=" + host);
        lines.add("server.port=" + port);
        lines.add("server.base-url=" + (baseUrl == null ? "(http://localhost:<port>)" : baseUrl));
        lines.add("server.threads=" + threads);
        lines.add("server.write-threads=" + writeThreads);
        lines.add("server.access-log=" + accessLog);
        lines.add("server.tls.keystore=" + (tls == null ? "(none: plain HTTP)" : tls.keystorePath()));
        if (tls != null) {
            lines.add("server.tls.client-auth=" + (tls.requestClientCertificates() ? "want" : "none"));
            lines.add("server.tls.client-ca=" + tls.clientCas().size() + " certificate(s)");
        }
        lines.add("store.url=" + maskPassword(storeUrl));
        lines.add("store.cache-seconds=" + cacheSeconds);
        lines.add("limits.token-body-bytes=" + limits.tokenBodyBytes());
        lines.add("limits.registration-body-bytes=" + limits.registrationBodyBytes());
        lines.add("limits.header-bytes=" + limits.headerBytes());
        lines.add("limits.request-seconds=" + limits.requestSeconds());
        lines.add("limits.max-connections=" + limits.maxConnections());
        lines.add("throttle.client-failures=" + throttle.clientFailures());
        lines.add("throttle.address-failures=" + throttle.addressFailures());
        lines.add("throttle.window-seconds=" + throttle.windowSeconds());
        for (AuthorizationServerConfig as : authorizationServers.values()) {
            String p = "as." + as.id() + ".";
            lines.add(p + "scopes=" + String.join(" ", as.scopes()));
            lines.add(p + "default-scopes=" + String.join(" ", as.defaultScopes()));
            lines.add(p + "token-lifetime=" + as.tokenLifetimeSeconds());
            lines.add(p + "audience=" + (as.audience() == null ? "(issuer)" : as.audience()));
            lines.add(p + "signing-alg=" + as.signingAlgorithm());
            lines.add(p + "token-typ=" + as.tokenType());
            lines.add(p + "registration=" + as.registration());
            lines.add(p + "secret-lifetime=" + as.secretLifetimeSeconds());
            lines.add(p + "key-rotation-seconds=" + as.keyRotationSeconds());
            lines.add(p + "auth-methods=" + String.join(" ", as.authMethods()));
            lines.add(p + "dpop=" + as.dpop());
            lines.add(p + "software-statement.required=" + as.softwareStatementRequired());
            as.softwareStatementIssuers().forEach((iss, keys) -> lines.add(p + "software-statement trusted issuer " + iss + " (" + keys.size() + " keys)"));
            for (AuthorizationServerConfig.StaticClient c : as.staticClients()) {
                lines.add(p + "client." + c.clientId() + ".scope=" + String.join(" ", c.scope()) + " (secret ****, " + c.authMethod() + ")");
            }
        }
        return lines;
    }

    static String maskPassword(String jdbcUrl) {
        return clavis.store.StoreUrls.masked(jdbcUrl);
    }

    /** One pass over the properties that records every problem instead of stopping at the first. */
    private static final class Parser {
        private final Map<String, String> props;
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Parser(Map<String, String> props, Map<String, String> env) {
            this.props = new TreeMap<>(props);
            this.env = env;
        }

        Config parse() {
            checkUnknownKeys();
            String host = string("server.host", DEFAULT_HOST);
            int port = integer("server.port", DEFAULT_PORT, 0, 65535);
            String baseUrl = baseUrl(port);
            int threads = integer("server.threads", DEFAULT_THREADS, 1, 1024);
            int writeThreads = integer("server.write-threads", DEFAULT_WRITE_THREADS, 1, 1024);
            boolean accessLog = oneOf("server.access-log", "true", List.of("true", "false")).equals("true");
            Tls tls = tls();
            if (tls == null && (props.containsKey("server.tls.client-auth") || props.containsKey("server.tls.client-ca"))) {
                problems.add("server.tls.client-auth, server.tls.client-ca: need server.tls.keystore (client certificates come with TLS)");
            }
            String storeUrl = string("store.url", DEFAULT_STORE_URL);
            if (!storeUrl.startsWith("jdbc:sqlite:") && !storeUrl.startsWith("jdbc:postgresql:")) {
                problems.add("store.url: only jdbc:sqlite: and jdbc:postgresql: URLs are supported, got '" + maskPassword(storeUrl) + "'");
            }
            int cacheSeconds = integer("store.cache-seconds", DEFAULT_CACHE_SECONDS, 0, 60);
            Limits limits = new Limits(
                    integer("limits.token-body-bytes", DEFAULT_TOKEN_BODY_LIMIT_BYTES, 256, 1 << 20),
                    integer("limits.registration-body-bytes", DEFAULT_REGISTRATION_BODY_LIMIT_BYTES, 1024, 1 << 20),
                    integer("limits.header-bytes", DEFAULT_HEADER_LIMIT_BYTES, 1024, 1 << 20),
                    integer("limits.request-seconds", DEFAULT_REQUEST_SECONDS, 1, 3600),
                    integer("limits.max-connections", DEFAULT_MAX_CONNECTIONS, 1, 100_000));
            Throttle throttle = new Throttle(
                    integer("throttle.client-failures", DEFAULT_CLIENT_FAILURES, 1, 1_000_000),
                    integer("throttle.address-failures", DEFAULT_ADDRESS_FAILURES, 1, 1_000_000),
                    integer("throttle.window-seconds", DEFAULT_THROTTLE_WINDOW_SECONDS, 1, 86_400));

            Map<String, AuthorizationServerConfig> servers = new LinkedHashMap<>();
            for (String id : authorizationServerIds()) {
                AuthorizationServerConfig as = authorizationServer(id, tls);
                if (as != null) servers.put(id, as);
            }
            if (servers.isEmpty() && problems.isEmpty()) {
                problems.add("no authorization server configured: add at least as.<id>.scopes, for example as.myAS.scopes=client-scope");
            }
            if (!problems.isEmpty()) throw new ConfigException(problems);
            return new Config(host, port, baseUrl, threads, writeThreads, storeUrl, cacheSeconds, tls, accessLog, limits, throttle, servers);
        }

        private void checkUnknownKeys() {
            for (String key : props.keySet()) {
                boolean known = SERVER_KEYS.contains(key);
                String rest = asKey(key);
                if (rest != null) {
                    known = AS_KEYS.contains(rest) || (rest.startsWith("client.") && rest.lastIndexOf('.') > 7
                            && STATIC_CLIENT_KEYS.contains(rest.substring(rest.lastIndexOf('.') + 1)))
                            || (rest.startsWith(TRUST_PREFIX) && rest.lastIndexOf('.') > TRUST_PREFIX.length()
                            && TRUST_KEYS.contains(rest.substring(rest.lastIndexOf('.') + 1)));
                }
                if (!known) problems.add(key + ": unknown key");
            }
        }

        /** What follows {@code as.<id>.} in a key, or null when it is not such a key. */
        private static String asKey(String key) {
            int dot = key.indexOf('.', 3);
            return key.startsWith("as.") && dot > 3 && dot < key.length() - 1 ? key.substring(dot + 1) : null;
        }

        private TreeSet<String> authorizationServerIds() {
            TreeSet<String> ids = new TreeSet<>();
            for (String key : props.keySet()) {
                if (asKey(key) != null) ids.add(key.substring(3, key.indexOf('.', 3)));
            }
            return ids;
        }

        private Tls tls() {
            String keystore = props.get("server.tls.keystore");
            if (keystore == null || keystore.isBlank()) return null;
            String envName = string("server.tls.keystore-password-env", DEFAULT_TLS_PASSWORD_ENV);
            String password = env.get(envName);
            if (password == null) {
                problems.add("server.tls.keystore: the keystore password must be in the environment variable " + envName + ", which is not set");
                return null;
            }
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(keystore.trim()))) {
                problems.add("server.tls.keystore: cannot read " + keystore.trim());
            }
            boolean want = oneOf("server.tls.client-auth", "none", List.of("none", "want")).equals("want");
            List<X509Certificate> cas = List.of();
            String caFile = props.get("server.tls.client-ca");
            if (caFile != null) {
                if (!want) problems.add("server.tls.client-ca: needs server.tls.client-auth=want");
                cas = certificates("server.tls.client-ca", caFile.trim());
            }
            return new Tls(keystore.trim(), password.toCharArray(), want, cas);
        }

        /** The certificates of a PEM (or DER) file, or a problem. */
        private List<X509Certificate> certificates(String key, String file) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
                List<X509Certificate> certs = new ArrayList<>();
                for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    certs.add((X509Certificate) c);
                }
                if (certs.isEmpty()) problems.add(key + ": " + file + " holds no certificate");
                return certs;
            } catch (java.io.IOException | java.security.cert.CertificateException e) {
                problems.add(key + ": cannot read certificates from " + file + ": " + e.getMessage());
                return List.of();
            }
        }

        /** The token_endpoint_auth_methods an authorization server turns on; by default every one its TLS setup allows. */
        private List<String> authMethods(String key, Tls tls) {
            boolean certificates = tls != null && tls.requestClientCertificates();
            boolean pki = certificates && !tls.clientCas().isEmpty();
            List<String> available = new ArrayList<>(List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
            if (pki) available.add("tls_client_auth");
            if (certificates) available.add("self_signed_tls_client_auth");
            String value = props.get(key);
            if (value == null) return available;
            List<String> methods = new ArrayList<>();
            for (String m : value.trim().split("[ ,]+")) {
                if (m.isEmpty() || methods.contains(m)) continue;
                if (!available.contains(m)) {
                    problems.add(key + ": '" + m + "' is not available; available: " + available
                            + (m.contains("tls") ? " (TLS methods need server.tls.client-auth=want, and tls_client_auth also server.tls.client-ca)" : ""));
                }
                methods.add(m);
            }
            if (methods.isEmpty()) problems.add(key + ": at least one method is required");
            return methods;
        }

        /** Trusted software-statement issuers: {@code software-statement.trust.<label>.(issuer|jwks)}. */
        private Map<String, List<PublicJwk>> statementIssuers(String asPrefix) {
            String prefix = asPrefix + TRUST_PREFIX;
            TreeSet<String> labels = new TreeSet<>();
            for (String key : props.keySet()) {
                if (key.startsWith(prefix) && key.lastIndexOf('.') > prefix.length()) labels.add(key.substring(prefix.length(), key.lastIndexOf('.')));
            }
            Map<String, List<PublicJwk>> issuers = new LinkedHashMap<>();
            for (String label : labels) {
                String p = prefix + label + ".";
                String issuer = props.get(p + "issuer");
                String jwks = props.get(p + "jwks");
                if (issuer == null || issuer.isBlank() || jwks == null || jwks.isBlank()) {
                    problems.add(p + "*: give both issuer and jwks (a JWK Set file with the issuer's public keys)");
                    continue;
                }
                List<PublicJwk> keys = publicKeys(p + "jwks", jwks.trim());
                if (keys != null) issuers.put(issuer.trim(), keys);
            }
            return issuers;
        }

        private List<PublicJwk> publicKeys(String key, String file) {
            try {
                Map<String, Object> set = Json.parseObject(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file)));
                if (!(set.get("keys") instanceof List<?> list) || list.isEmpty()) throw new IllegalArgumentException("not a JWK Set with keys");
                List<PublicJwk> keys = new ArrayList<>();
                for (Object jwk : list) {
                    if (!(jwk instanceof Map<?, ?> m)) throw new IllegalArgumentException("a key is not a JSON object");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) m;
                    keys.add(PublicJwk.parse(typed));
                }
                return keys;
            } catch (java.io.IOException | Json.MalformedJsonException | IllegalArgumentException e) {
                problems.add(key + ": cannot use " + file + ": " + e.getMessage());
                return null;
            }
        }

        /** Clients fixed in the configuration: {@code as.<id>.client.<client_id>.(secret|secret-hash|scope|auth-method)}. */
        private List<AuthorizationServerConfig.StaticClient> staticClients(String asId, List<String> allowedScopes) {
            String prefix = "as." + asId + ".client.";
            TreeSet<String> ids = new TreeSet<>();
            for (String key : props.keySet()) {
                if (key.startsWith(prefix) && key.lastIndexOf('.') > prefix.length()) {
                    ids.add(key.substring(prefix.length(), key.lastIndexOf('.')));
                }
            }
            List<AuthorizationServerConfig.StaticClient> clients = new ArrayList<>();
            for (String id : ids) {
                String p = prefix + id + ".";
                if (!CLIENT_ID.matcher(id).matches()) problems.add(p + "*: '" + id + "' is not a valid client_id");
                String secret = props.get(p + "secret");
                String hash = props.get(p + "secret-hash");
                if ((secret == null) == (hash == null)) {
                    problems.add(p + "secret: give exactly one of secret and secret-hash");
                    continue;
                }
                if (secret != null && secret.length() < 16) problems.add(p + "secret: at least 16 characters");
                if (hash != null && !hash.trim().matches("sha256:[A-Za-z0-9_-]{43}")) {
                    problems.add(p + "secret-hash: must be sha256:<43 base64url characters>, as `java -jar clavis.jar hash-secret` prints");
                }
                List<String> scope = scopeList(p + "scope", allowedScopes == null ? List.of() : allowedScopes);
                if (scope != null && allowedScopes != null && !allowedScopes.containsAll(scope)) {
                    problems.add(p + "scope: every scope must be one of as." + asId + ".scopes");
                }
                String method = oneOf(p + "auth-method", "client_secret_basic", List.of("client_secret_basic", "client_secret_post"));
                clients.add(new AuthorizationServerConfig.StaticClient(id, secret, hash == null ? null : hash.trim(), scope, method));
            }
            return clients;
        }

        private AuthorizationServerConfig authorizationServer(String id, Tls tls) {
            String p = "as." + id + ".";
            int before = problems.size();
            if (!AS_ID.matcher(id).matches()) {
                problems.add(p + "*: the id '" + id + "' must be 1 to 64 of A-Z a-z 0-9 _ ~ -");
            }
            List<String> scopes = scopeList(p + "scopes", null);
            if (scopes != null && scopes.isEmpty()) problems.add(p + "scopes: at least one scope is required");
            List<String> defaults = scopeList(p + "default-scopes", scopes);
            if (scopes != null && defaults != null && !scopes.containsAll(defaults)) {
                problems.add(p + "default-scopes: every default scope must be one of " + p + "scopes");
            }
            long lifetime = integer(p + "token-lifetime", DEFAULT_TOKEN_LIFETIME_SECONDS, 1, MAX_TOKEN_LIFETIME_SECONDS);
            String audience = props.get(p + "audience");
            if (audience != null && audience.isBlank()) {
                problems.add(p + "audience: must not be empty (leave it out to use the issuer)");
            }
            String alg = oneOf(p + "signing-alg", DEFAULT_SIGNING_ALGORITHM, SIGNING_ALGORITHMS);
            String typ = oneOf(p + "token-typ", "at+jwt", TOKEN_TYPES);
            String registration = oneOf(p + "registration", "open", REGISTRATION_POLICIES);
            long secretLifetime = integer(p + "secret-lifetime", 0L, 0, 100L * 366 * 24 * 3600);
            long rotation = integer(p + "key-rotation-seconds", 0L, 0, 100L * 366 * 24 * 3600);
            if (rotation > 0 && rotation < 60) problems.add(p + "key-rotation-seconds: 0 (off) or at least 60");
            List<AuthorizationServerConfig.StaticClient> clients = staticClients(id, scopes);
            List<String> methods = authMethods(p + "auth-methods", tls);
            boolean dpop = oneOf(p + "dpop", "true", List.of("true", "false")).equals("true");
            boolean statementRequired = oneOf(p + "software-statement.required", "false", List.of("true", "false")).equals("true");
            Map<String, List<PublicJwk>> issuers = statementIssuers(p);
            if (statementRequired && issuers.isEmpty()) {
                problems.add(p + "software-statement.required: trust at least one issuer (" + p + TRUST_PREFIX + "<label>.issuer and .jwks)");
            }
            if (problems.size() > before) return null;
            return new AuthorizationServerConfig(id, scopes, defaults, lifetime,
                    audience == null ? null : audience.trim(), alg, typ, registration, secretLifetime, rotation, clients,
                    methods, dpop, statementRequired, issuers);
        }

        /** A space-separated list of scope tokens; absent gives {@code fallback}, or a problem when that is null. */
        private List<String> scopeList(String key, List<String> fallback) {
            String value = props.get(key);
            if (value == null) {
                if (fallback == null && !key.endsWith("default-scopes")) problems.add(key + ": required");
                return fallback;
            }
            List<String> result = new ArrayList<>();
            for (String token : value.trim().split("[ ,]+")) {
                if (token.isEmpty()) continue;
                if (!SCOPE_TOKEN.matcher(token).matches()) {
                    problems.add(key + ": '" + token + "' is not a valid scope token (RFC 6749 section 3.3)");
                } else if (!result.contains(token)) {
                    result.add(token);
                }
            }
            return result;
        }

        private String string(String key, String fallback) {
            String value = props.get(key);
            if (value == null) return fallback;
            if (value.isBlank()) {
                problems.add(key + ": must not be empty");
                return fallback;
            }
            return value.trim();
        }

        private String oneOf(String key, String fallback, List<String> allowed) {
            String value = string(key, fallback);
            if (!allowed.contains(value)) problems.add(key + ": must be one of " + allowed + ", got '" + value + "'");
            return value;
        }

        private int integer(String key, int fallback, int min, int max) {
            return (int) integer(key, (long) fallback, min, (long) max);
        }

        private long integer(String key, long fallback, long min, long max) {
            String value = props.get(key);
            if (value == null) return fallback;
            try {
                long n = Long.parseLong(value.trim());
                if (n < min || n > max) {
                    problems.add(key + ": must be between " + min + " and " + max + ", got " + n);
                    return fallback;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(key + ": must be a whole number, got '" + value + "'");
                return fallback;
            }
        }

        private String baseUrl(int port) {
            String value = props.get("server.base-url");
            if (value == null) return null; // http://localhost:<actual port>, known once the port is bound
            String url = value.trim();
            while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
            try {
                java.net.URI uri = new java.net.URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    problems.add("server.base-url: must be an absolute http or https URL without query or fragment, got '" + value + "'");
                }
            } catch (java.net.URISyntaxException e) {
                problems.add("server.base-url: not a URL: '" + value + "'");
            }
            return url;
        }
    }
}
