package clavis.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import clavis.net.AddressRange;

/**
 * The whole, validated configuration: typed values read by the keys of {@link Keys}, every problem reported at
 * once, frozen after construction. {@code baseUrl} is null when not set: then it is {@code http://localhost:<port>}
 * with the port actually bound. The clock is not a property: {@link ConfigBuilder#clock} sets it for tests.
 *
 * @param threads requests computed at once
 * @param connectionThreads threads that read requests and wait on their behalf
 * @param fetchAllowedHosts hosts a client's jwks_uri may name although internal, and fetch over http
 * @param devMode whether this is a test double for development: any client, any authorization server (on loopback only)
 * @param recordRequests how many of the last requests are kept for tests ({@code Clavis.requests()}), 0 for none
 * @param trustedProxies the peers whose forwarding headers (client address, client certificate) are believed
 * @param clientCas the CAs trusted for {@code tls_client_auth}, whether the certificate came in the TLS handshake or
 *                  from a trusted proxy; empty when that method is off
 * @param auditLog the file the audit trail is appended to, or null for the logger alone
 * @param admin the admin API's settings, or null when it is off
 * @param description the effective configuration as {@code key=value} lines, secrets masked, for the start-up log
 */
public record Config(
        String host,
        int port,
        String baseUrl,
        int threads,
        int connectionThreads,
        String storeUrl,
        int cacheSeconds,
        Tls tls,
        boolean accessLog,
        Limits limits,
        Throttle throttle,
        List<String> fetchAllowedHosts,
        boolean devMode,
        int recordRequests,
        List<AddressRange> trustedProxies,
        List<X509Certificate> clientCas,
        String auditLog,
        Admin admin,
        Map<String, AuthorizationServerConfig> authorizationServers,
        List<String> description,
        Clock clock) {

    /** The store of servers built in code and of dev mode unless one is configured: the JVM's memory, no database. */
    public static final String IN_MEMORY_STORE = clavis.store.Store.MEMORY;

    /** The one wall clock of the process; tests give their own through {@link ConfigBuilder#clock}. */
    public static final Clock SYSTEM_CLOCK = Clock.systemUTC();

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

        @Override
        public String toString() {
            return "Tls[" + keystorePath + ", client certificates " + requestClientCertificates + ", " + clientCas.size() + " CAs]";
        }
    }

    /**
     * Bounds on every request and connection. All but the body limits are the JDK HttpServer's own, set as system
     * properties that it reads once per JVM: in a JVM that embeds several servers, the first one started sets them.
     */
    public record Limits(int tokenBodyBytes, int registrationBodyBytes, int headerBytes, int requestSeconds, int idleSeconds,
                         int maxConnections, int idleConnections) {
    }

    /**
     * Failed client authentications allowed per window, per client_id and address and per address, before 429; and
     * the per-address allowance of dynamic registrations (a burst, then a steady rate).
     */
    public record Throttle(int clientFailures, int addressFailures, int windowSeconds, int registrationBurst, int registrationsPerMinute) {
    }

    /**
     * The admin API: access tokens of {@code authorizationServer} whose scope holds {@code scope} may call it.
     */
    public record Admin(String authorizationServer, String scope) {
    }

    public Config {
        trustedProxies = List.copyOf(trustedProxies);
        clientCas = List.copyOf(clientCas);
        authorizationServers = Collections.unmodifiableMap(new LinkedHashMap<>(authorizationServers));
        description = List.copyOf(description);
        fetchAllowedHosts = List.copyOf(fetchAllowedHosts);
    }

    /** A configuration built in code: port 0 and the memory store unless set otherwise. */
    public static ConfigBuilder builder() {
        return new ConfigBuilder();
    }

    /** Builds and validates a configuration from properties; throws {@link ConfigException} naming every problem. */
    public static Config fromProperties(Map<String, String> properties) {
        return fromProperties(properties, System.getenv());
    }

    /** As {@link #fromProperties(Map)}, reading environment variables (the TLS password) from {@code env}. */
    public static Config fromProperties(Map<String, String> properties, Map<String, String> env) {
        ConfigReader r = new ConfigReader(properties);
        String host = r.get(Keys.HOST);
        int port = r.get(Keys.PORT);
        String baseUrl = r.getOr(Keys.BASE_URL, null, "(http://localhost:<port>)");
        int threads = r.getOr(Keys.THREADS, Keys.DEFAULT_THREADS, Integer.toString(Keys.DEFAULT_THREADS));
        int connectionThreads = r.get(Keys.CONNECTION_THREADS);
        if (r.get(Keys.WRITE_THREADS) != null) r.effective("server.write-threads", "(no longer used: ignored)");
        boolean accessLog = r.get(Keys.ACCESS_LOG);
        boolean devMode = r.get(Keys.DEV_MODE);
        if (devMode && host != null && !isLoopback(host)) {
            r.problem("server.dev-mode", "needs server.host to be a loopback address (127.0.0.1, ::1 or localhost), not '" + host
                    + "': dev mode gives any client a token");
        }
        int recordRequests = r.get(Keys.RECORD_REQUESTS);
        List<AddressRange> trustedProxies = r.getOr(Keys.TRUSTED_PROXIES, List.of(), "(none)");
        Tls tls = tls(r, env);
        List<X509Certificate> clientCas = tls != null ? tls.clientCas() : forwardedCertificateCas(r, trustedProxies);
        String auditLog = r.getOr(Keys.AUDIT_LOG, null, "(the logger clavis.audit alone)");
        String adminAs = r.getOr(Keys.ADMIN_AS, null, "(the admin API is off)");
        String adminScope = r.get(Keys.ADMIN_SCOPE);
        Admin admin = adminAs == null ? null : new Admin(adminAs, adminScope);
        String storeUrl;
        if (devMode && !r.has(Keys.STORE_URL)) {
            storeUrl = IN_MEMORY_STORE;
            r.effective("store.url", IN_MEMORY_STORE + " (dev mode's default)");
        } else {
            storeUrl = r.get(Keys.STORE_URL);
        }
        if (storeUrl != null && !storeUrl.equals(IN_MEMORY_STORE) && !storeUrl.startsWith("jdbc:sqlite:") && !storeUrl.startsWith("jdbc:postgresql:")) {
            r.problem("store.url", "only memory:, jdbc:sqlite: and jdbc:postgresql: URLs are supported, got '" + maskPassword(storeUrl) + "'");
        }
        int cacheSeconds = r.get(Keys.CACHE_SECONDS);
        List<String> fetchAllowedHosts = r.getOr(Keys.FETCH_ALLOWED_HOSTS, List.of(), "(none)");
        Limits limits = new Limits(r.get(Keys.TOKEN_BODY_BYTES), r.get(Keys.REGISTRATION_BODY_BYTES), r.get(Keys.HEADER_BYTES),
                r.get(Keys.REQUEST_SECONDS), r.get(Keys.IDLE_SECONDS), r.get(Keys.MAX_CONNECTIONS), r.get(Keys.IDLE_CONNECTIONS));
        Throttle throttle = new Throttle(r.get(Keys.CLIENT_FAILURES), r.get(Keys.ADDRESS_FAILURES), r.get(Keys.WINDOW_SECONDS),
                r.get(Keys.REGISTRATION_BURST), r.get(Keys.REGISTRATIONS_PER_MINUTE));

        Map<String, AuthorizationServerConfig> servers = new LinkedHashMap<>();
        for (String id : r.ids(List.copyOf(Keys.ALL.stream().filter(k -> k.name().startsWith("as.<id>.")).toList()))) {
            AuthorizationServerConfig as = AuthorizationServerConfig.read(r, id, !clientCas.isEmpty(),
                    clientCertificates(tls, trustedProxies), admin != null && id.equals(adminAs) ? adminScope : null);
            if (as != null) servers.put(id, as);
        }
        if (adminAs != null && !servers.containsKey(adminAs) && !r.hasProblems()) {
            r.problem("admin.authorization-server", "'" + adminAs + "' is not a configured authorization server");
        }
        if (servers.isEmpty() && !devMode && !r.hasProblems()) {
            r.problem("as.<id>.scopes", "no authorization server configured: add at least as.<id>.scopes, for example as.myAS.scopes=client-scope");
        }
        r.failOnProblems();
        return new Config(host, port, baseUrl, threads, connectionThreads, storeUrl, cacheSeconds, tls, accessLog, limits, throttle,
                fetchAllowedHosts, devMode, recordRequests, trustedProxies, clientCas, auditLog, admin, servers, r.description(), SYSTEM_CLOCK);
    }

    /** The same configuration with another clock (tests move it). */
    public Config withClock(Clock clock) {
        return new Config(host, port, baseUrl, threads, connectionThreads, storeUrl, cacheSeconds, tls, accessLog, limits, throttle,
                fetchAllowedHosts, devMode, recordRequests, trustedProxies, clientCas, auditLog, admin, authorizationServers, description, clock);
    }

    /** The base URL issuers and endpoints are built on: {@code server.base-url}, else this host's URL on {@code port}. */
    public String baseUrl(int port) {
        return baseUrl != null ? baseUrl : (tls != null ? "https" : "http") + "://localhost:" + port;
    }

    /** Whether clients can present certificates: in the TLS handshake, or forwarded by a trusted proxy (RFC 9440). */
    public boolean clientCertificates() {
        return clientCertificates(tls, trustedProxies);
    }

    private static boolean clientCertificates(Tls tls, List<AddressRange> trustedProxies) {
        return (tls != null && tls.requestClientCertificates()) || !trustedProxies.isEmpty();
    }

    /** The configuration as {@code key=value} lines, for the start-up log; no secret, no store password. */
    public List<String> describe() {
        return description;
    }

    /**
     * Whether {@code host} is a loopback address written as such: {@code localhost}, 127.0.0.0/8 or {@code ::1}.
     * No name is resolved, so no DNS answer can make another address pass.
     */
    static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) return true;
        if (!h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) return false;
        for (String part : h.split("\\.")) if (Integer.parseInt(part) > 255) return false;
        return true;
    }

    /** A JDBC URL with its password, in either form ({@code password=...} or {@code //user:password@host}), masked. */
    public static String maskPassword(String jdbcUrl) {
        return clavis.store.StoreUrls.masked(jdbcUrl);
    }

    private static Tls tls(ConfigReader r, Map<String, String> env) {
        String keystore = r.get(Keys.TLS_KEYSTORE);
        if (keystore == null) {
            if (r.has(Keys.TLS_CLIENT_AUTH)) r.problem("server.tls.client-auth", "need server.tls.keystore (client certificates come with TLS)");
            return null;
        }
        String envName = r.get(Keys.TLS_PASSWORD_ENV);
        String password = envName == null ? null : env.get(envName);
        if (password == null) {
            r.problem("server.tls.keystore", "the keystore password must be in the environment variable " + envName + ", which is not set");
            return null;
        }
        if (!Files.isReadable(Path.of(keystore))) r.problem("server.tls.keystore", "cannot read " + keystore);
        boolean want = r.get(Keys.TLS_CLIENT_AUTH);
        List<X509Certificate> cas = List.of();
        String caFile = r.get(Keys.TLS_CLIENT_CA);
        if (caFile != null) {
            if (!want) r.problem("server.tls.client-ca", "needs server.tls.client-auth=want");
            cas = certificates(r, caFile);
        }
        return new Tls(keystore, password.toCharArray(), want, cas);
    }

    /**
     * Without a keystore, the CAs of {@code server.tls.client-ca} apply to certificates a trusted proxy forwards
     * (RFC 9440), so that key needs {@code server.trusted-proxies} then.
     */
    private static List<X509Certificate> forwardedCertificateCas(ConfigReader r, List<AddressRange> trustedProxies) {
        String caFile = r.get(Keys.TLS_CLIENT_CA);
        if (caFile == null) return List.of();
        if (trustedProxies.isEmpty()) {
            r.problem("server.tls.client-ca", "needs server.tls.keystore with client-auth=want, or server.trusted-proxies for certificates a proxy forwards");
            return List.of();
        }
        return certificates(r, caFile);
    }

    /** The certificates of a PEM (or DER) file, or a problem. */
    private static List<X509Certificate> certificates(ConfigReader r, String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            List<X509Certificate> certs = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) r.problem("server.tls.client-ca", file + " holds no certificate");
            return certs;
        } catch (IOException | CertificateException e) {
            r.problem("server.tls.client-ca", "cannot read certificates from " + file + ": " + e.getMessage());
            return List.of();
        }
    }
}
