package clavis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import clavis.config.AuthorizationServerConfig;
import clavis.config.Config;
import clavis.http.AccessLog;
import clavis.http.ClientConfigurationEndpoint;
import clavis.http.HealthEndpoint;
import clavis.http.IntrospectionEndpoint;
import clavis.http.JwksEndpoint;
import clavis.http.MetadataEndpoint;
import clavis.http.MetricsEndpoint;
import clavis.http.Paths;
import clavis.http.RegistrationEndpoint;
import clavis.http.RevocationEndpoint;
import clavis.http.Route;
import clavis.http.Router;
import clavis.http.TokenEndpoint;
import clavis.jwt.KeyRing;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;
import clavis.oauth.AccessTokenValidator;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAssertions;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.ClientCertificates;
import clavis.oauth.ClientKeys;
import clavis.oauth.ClientConfigurationService;
import clavis.oauth.ClientMetadata;
import clavis.oauth.DpopProofs;
import clavis.oauth.FailureThrottle;
import clavis.oauth.IntrospectionService;
import clavis.oauth.OAuthException;
import clavis.oauth.Registration;
import clavis.oauth.RegistrationService;
import clavis.oauth.RevocationService;
import clavis.oauth.Scope;
import clavis.oauth.Secrets;
import clavis.oauth.SoftwareStatementPolicy;
import clavis.oauth.SoftwareStatements;
import clavis.oauth.TokenBinding;
import clavis.oauth.TokenService;
import clavis.ops.Metrics;
import clavis.store.CachingClientRepository;
import clavis.store.Database;
import clavis.store.JdbcClientRepository;
import clavis.store.JdbcInitialAccessTokenRepository;
import clavis.store.JdbcRevokedTokenRepository;
import clavis.store.JdbcSigningKeyRepository;
import clavis.store.JdbcUsedJtiRepository;

/**
 * The composition root and the embedding API: {@link #start(Config)} wires every service (the only place that
 * does) and returns a running server; {@link #close()} stops it. Tests that embed Clavis also get
 * {@link #registerClient} and {@link #mintToken}, which need no HTTP.
 */
public final class Clavis implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("clavis");
    private static final int BACKLOG = 1024;
    private static final int STOP_GRACE_MILLIS = 5_000;

    private final HttpServer server;
    private final java.util.concurrent.ScheduledExecutorService keyRefresher;
    private final Router router;
    private final ExecutorService executor;
    private final ExecutorService writers;
    private final Database database;
    private final URI baseUri;
    private final Map<String, AuthorizationServer> servers;
    private final RegistrationService registrations;
    private final TokenService tokens;
    private final CachingClientRepository clients;
    private final Metrics metrics;

    private Clavis(HttpServer server, java.util.concurrent.ScheduledExecutorService keyRefresher, Router router, ExecutorService executor,
                   ExecutorService writers, Database database, URI baseUri,
                   Map<String, AuthorizationServer> servers, RegistrationService registrations, TokenService tokens,
                   CachingClientRepository clients, Metrics metrics) {
        this.server = server;
        this.keyRefresher = keyRefresher;
        this.router = router;
        this.executor = executor;
        this.writers = writers;
        this.database = database;
        this.baseUri = baseUri;
        this.servers = servers;
        this.registrations = registrations;
        this.tokens = tokens;
        this.clients = clients;
        this.metrics = metrics;
    }

    /**
     * Binds the port (while {@link #warmUp} loads the database driver), opens the database, loads or creates the
     * keys (on a thread of their own, while the services are made), provisions static clients and serves.
     */
    public static Clavis start(Config config) {
        long t0 = System.nanoTime();
        configureJdkHttpServer(config.limits());
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        HttpServer server = null;
        Database database = null;
        ExecutorService executor = null;
        ExecutorService writers = null;
        try {
            server = bind(config);
            long tBound = System.nanoTime();
            database = Database.open(config.storeUrl());
            long tDb = System.nanoTime();
            java.util.concurrent.CompletableFuture<Map<String, KeyRing>> keyRings = loadKeyRings(config, new JdbcSigningKeyRepository(database),
                    clock, random, database.inMemory());
            int port = server.getAddress().getPort();
            String baseUrl = config.baseUrl() != null ? config.baseUrl()
                    : (config.tls() != null ? "https" : "http") + "://localhost:" + port;

            Metrics metrics = new Metrics();
            CachingClientRepository clients = new CachingClientRepository(new JdbcClientRepository(database), config.cacheSeconds() * 1000L);
            JdbcRevokedTokenRepository revoked = new JdbcRevokedTokenRepository(database);
            Secrets secrets = new Secrets(random);
            Config.Throttle t = config.throttle();
            FailureThrottle throttle = new FailureThrottle(t.clientFailures(), t.addressFailures(), t.windowSeconds(), clock);
            JdbcUsedJtiRepository usedJtis = new JdbcUsedJtiRepository(database);
            clavis.net.AddressPolicy fetchPolicy = clavis.net.AddressPolicy.clientUrls(config.fetchAllowedHosts());
            ClientKeys clientKeys = new ClientKeys(new clavis.net.Fetcher(fetchPolicy));
            ClientCertificates certificates = new ClientCertificates(trustAnchors(config.tls()), clientKeys, clock);
            ClientAuthenticator authenticator = new ClientAuthenticator(clients, secrets, new ClientAssertions(clientKeys, usedJtis, clock),
                    certificates, throttle, metrics, clock);
            SoftwareStatements statements = new SoftwareStatements(clock);
            RegistrationService registrations = new RegistrationService(clients, new JdbcInitialAccessTokenRepository(database),
                    secrets, statements, metrics, clock, fetchPolicy);
            TokenService tokens = new TokenService(clock, random, metrics);
            AccessTokenValidator validator = new AccessTokenValidator(clients, revoked, clock);

            Map<String, AuthorizationServer> servers = new LinkedHashMap<>();
            Map<String, KeyRing> rings = await(keyRings);
            for (AuthorizationServerConfig as : config.authorizationServers().values()) {
                AuthorizationServer built = authorizationServer(as, baseUrl, config.tls(), rings.get(as.id()));
                servers.put(as.id(), built);
                for (AuthorizationServerConfig.StaticClient c : as.staticClients()) {
                    registrations.provision(built, c.clientId(), c.secretHash() != null ? c.secretHash() : Secrets.hash(c.secret()),
                            Scope.of(c.scope()), c.authMethod());
                }
            }

            long tKeys = System.nanoTime();
            TokenEndpoint token = new TokenEndpoint(authenticator, new TokenBinding(new DpopProofs(usedJtis, clock)), tokens);
            MetadataEndpoint metadata = new MetadataEndpoint();
            ClientConfigurationEndpoint clientConfiguration = new ClientConfigurationEndpoint(new ClientConfigurationService(clients, secrets, statements, fetchPolicy));
            HealthEndpoint readiness = HealthEndpoint.readiness(database::ping);
            int registrationLimit = config.limits().registrationBodyBytes();
            int formLimit = config.limits().tokenBodyBytes();
            List<Route> routes = List.of(
                    Route.writing("register", Paths.REGISTRATION, "POST", registrationLimit, new RegistrationEndpoint(registrations)),
                    new Route("client_configuration", Paths.CLIENT_CONFIGURATION, "GET", 0, clientConfiguration),
                    Route.writing("client_configuration", Paths.CLIENT_CONFIGURATION, "PUT", registrationLimit, clientConfiguration),
                    Route.writing("client_configuration", Paths.CLIENT_CONFIGURATION, "DELETE", 0, clientConfiguration),
                    Route.writingWhen("token", Paths.TOKEN, "POST", formLimit, token, TokenEndpoint::storesJti),
                    Route.writingWhen("introspect", Paths.INTROSPECTION, "POST", formLimit,
                            new IntrospectionEndpoint(authenticator, new IntrospectionService(validator)), IntrospectionEndpoint::storesJti),
                    Route.writing("revoke", Paths.REVOCATION, "POST", formLimit,
                            new RevocationEndpoint(authenticator, new RevocationService(validator, revoked, clock))),
                    new Route("jwks", Paths.JWKS, "GET", 0, new JwksEndpoint()),
                    new Route("metadata", Paths.METADATA_UNDER_ISSUER, "GET", 0, metadata),
                    new Route("metadata", Paths.METADATA_WELL_KNOWN, "GET", 0, metadata),
                    new Route("health", Paths.HEALTH, "GET", 0, readiness),
                    new Route("health", Paths.HEALTH + "/ready", "GET", 0, readiness),
                    new Route("health", Paths.HEALTH + "/live", "GET", 0, HealthEndpoint.liveness()),
                    new Route("metrics", Paths.METRICS, "GET", 0, new MetricsEndpoint(metrics)));

            executor = workers("clavis-http-", config.threads());
            writers = workers("clavis-write-", config.writeThreads());
            server.setExecutor(executor);
            Router router = new Router(servers, routes, new AccessLog(metrics, config.accessLog()), writers);
            server.createContext("/", router);
            server.start();
            List<String> urls = new ArrayList<>();
            for (AuthorizationServer as : servers.values()) {
                urls.add(as.id() + ": issuer " + as.issuer() + " token " + as.tokenEndpoint() + " registration " + as.registrationEndpoint());
            }
            long tEnd = System.nanoTime();
            // Concatenation, not String.format: the formatter would load locale data while the first request arrives.
            LOG.log(System.Logger.Level.INFO, "Clavis serving on port " + port + " after " + (tEnd - t0) / 1_000_000 + " ms (port "
                    + (tBound - t0) / 1_000_000 + " ms, database " + (tDb - tBound) / 1_000_000 + " ms, keys and clients "
                    + (tKeys - tDb) / 1_000_000 + " ms); " + String.join("; ", urls));
            java.util.concurrent.ScheduledExecutorService refresher = keyRefresher(servers.values(), config.cacheSeconds());
            return new Clavis(server, refresher, router, executor, writers, database, URI.create(baseUrl), servers, registrations, tokens, clients, metrics);
        } catch (IOException e) {
            cleanUp(server, executor, writers, database);
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(server, executor, writers, database);
            throw e;
        }
    }

    /**
     * Loads the heavy parts (SQLite's driver and native library, JSON, the HTTP date format) on a background
     * thread, so that they load while the caller reads its configuration. Optional: {@link #start} works without
     * it. The signers warm up in {@link #start}, once the keys are known.
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                Database.preload();
                clavis.json.Json.write(Map.of("warm", List.of(1)));
                // What the first request would load otherwise: the JDK HTTP server's Date header format (locale data).
                java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz", java.util.Locale.US)
                        .withZone(java.time.ZoneId.of("GMT")).format(java.time.Instant.now());
            } catch (RuntimeException | LinkageError e) {
                // start() will meet the same problem and report it
            }
        }, "clavis-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The admin commands' view of the configured database; no server, no keys. */
    public static Administration administration(Config config) {
        Database database = Database.open(config.storeUrl());
        return new Administration(database, new JdbcClientRepository(database), new JdbcInitialAccessTokenRepository(database),
                new JdbcSigningKeyRepository(database), new Secrets(new SecureRandom()), config.authorizationServers(), Clock.systemUTC());
    }

    /**
     * The JDK HttpServer's own settings. It reads them once, when its configuration class loads, so they must be
     * set before the first server in this JVM exists; a value already set (by -D, or an earlier start) stays.
     */
    private static void configureJdkHttpServer(Config.Limits limits) {
        // JDK 17's HttpServer otherwise stalls ~40 ms per keep-alive response (Nagle meets delayed ACK).
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(limits.headerBytes()));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
        // A request (headers and body) must arrive, and a response leave, within this time: no slow-loris.
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(limits.requestSeconds()));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(limits.requestSeconds()));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) System.setProperty(property, value);
    }

    /** An HTTP server, or HTTPS when a keystore is configured. */
    private static HttpServer bind(Config config) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (config.tls() == null) return HttpServer.create(address, BACKLOG);
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        SSLContext context = sslContext(config.tls());
        boolean wantCertificates = config.tls().requestClientCertificates();
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                // RFC 8705: ask for a certificate but do not require one; what it proves is checked per client.
                p.setWantClientAuth(wantCertificates);
                params.setSSLParameters(p);
            }
        });
        return https;
    }

    /** The CAs {@code tls_client_auth} trusts. */
    private static Set<TrustAnchor> trustAnchors(Config.Tls tls) {
        Set<TrustAnchor> anchors = new HashSet<>();
        if (tls != null) for (X509Certificate ca : tls.clientCas()) anchors.add(new TrustAnchor(ca, null));
        return anchors;
    }

    /**
     * Accepts any client certificate during the handshake, which still proves the client holds its key. Whether
     * the certificate authenticates a client is decided per client by {@link ClientCertificates} (a CA chain for
     * tls_client_auth, a registered key for self_signed_tls_client_auth), so one handshake serves both methods.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server does not check server certificates");
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static SSLContext sslContext(Config.Tls tls) {
        try (InputStream in = Files.newInputStream(Path.of(tls.keystorePath()))) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, tls.password());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, tls.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tls.requestClientCertificates() ? new TrustManager[] {new AnyClientCertificate()} : null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the TLS keystore " + tls.keystorePath() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Keys for in-memory stores, made once per JVM: they die with their server anyway, and an RSA key costs 100 ms or
     * more to make, which a test suite that starts a server per class would pay again and again.
     */
    private static final Map<SigningAlgorithm, SigningKey> EPHEMERAL_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Loads (or makes) every authorization server's signing keys on a thread of its own, while the caller binds the
     * port, then has each active key sign once, so that the first token request finds its signer warm. The result
     * is ready once the keys are; the rehearsal goes on after it. An in-memory store gets this JVM's keys per
     * algorithm, made once.
     */
    private static java.util.concurrent.CompletableFuture<Map<String, KeyRing>> loadKeyRings(Config config, JdbcSigningKeyRepository keys,
                                                                                            Clock clock, SecureRandom random, boolean ephemeral) {
        java.util.concurrent.CompletableFuture<Map<String, KeyRing>> result = new java.util.concurrent.CompletableFuture<>();
        Thread loader = new Thread(() -> {
            Map<String, KeyRing> rings = new LinkedHashMap<>();
            try {
                for (AuthorizationServerConfig as : config.authorizationServers().values()) {
                    rings.put(as.id(), ephemeral
                            ? KeyRing.load(keys, as.id(), SigningAlgorithm.of(as.signingAlgorithm()), as.tokenType(), as.tokenLifetimeSeconds(),
                                    as.keyRotationSeconds(), clock, random, alg -> EPHEMERAL_KEYS.computeIfAbsent(alg, a -> SigningKey.generate(a, random)))
                            : keyRing(as, keys, clock, random));
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(rings);
            try {
                for (KeyRing ring : rings.values()) ring.signer().key().rehearse();
            } catch (RuntimeException e) {
                // only a warm-up: a token request that meets the same failure reports it
            }
        }, "clavis-keys-load");
        loader.setDaemon(true);
        loader.start();
        return result;
    }

    /** The value of {@code future}, or the exception it failed with, as thrown there. */
    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    private static AuthorizationServer authorizationServer(AuthorizationServerConfig as, String baseUrl, Config.Tls tls, KeyRing ring) {
        String issuer = Paths.url(baseUrl, Paths.ISSUER, as.id());
        return new AuthorizationServer(as.id(), issuer,
                Paths.url(baseUrl, Paths.TOKEN, as.id()),
                Paths.url(baseUrl, Paths.REGISTRATION, as.id()),
                Paths.url(baseUrl, Paths.JWKS, as.id()),
                Paths.url(baseUrl, Paths.INTROSPECTION, as.id()),
                Paths.url(baseUrl, Paths.REVOCATION, as.id()),
                Scope.of(as.scopes()), Scope.of(as.defaultScopes()), as.tokenLifetimeSeconds(),
                as.audience() != null ? as.audience() : issuer, registrationPolicy(as), as.secretLifetimeSeconds(),
                as.authMethods(), as.dpop(), tls != null && tls.requestClientCertificates(),
                new SoftwareStatementPolicy(as.softwareStatementIssuers(), as.softwareStatementRequired()), ring);
    }

    static KeyRing keyRing(AuthorizationServerConfig as, JdbcSigningKeyRepository keys, Clock clock, SecureRandom random) {
        return KeyRing.load(keys, as.id(), SigningAlgorithm.of(as.signingAlgorithm()), as.tokenType(),
                as.tokenLifetimeSeconds(), as.keyRotationSeconds(), clock, random);
    }

    static AuthorizationServer.RegistrationPolicy registrationPolicy(AuthorizationServerConfig as) {
        return as.registration().equals("initial-access-token")
                ? AuthorizationServer.RegistrationPolicy.INITIAL_ACCESS_TOKEN : AuthorizationServer.RegistrationPolicy.OPEN;
    }

    /**
     * Every node re-reads the signing keys this often (the client cache lifetime, at least a second), so a rotation
     * made by another node or an admin command, or one that is due, takes effect everywhere.
     */
    private static java.util.concurrent.ScheduledExecutorService keyRefresher(java.util.Collection<AuthorizationServer> servers, int seconds) {
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clavis-keys");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, seconds);
        s.scheduleWithFixedDelay(() -> {
            for (AuthorizationServer as : servers) {
                try {
                    as.keys().refresh();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot refresh the signing keys of " + as.id() + ": " + e.getMessage());
                }
            }
        }, period, period, TimeUnit.SECONDS);
        return s;
    }

    private static ExecutorService workers(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }

    private static void cleanUp(HttpServer server, ExecutorService executor, ExecutorService writers, Database database) {
        if (server != null) server.stop(0);
        if (executor != null) executor.shutdownNow();
        if (writers != null) writers.shutdownNow();
        if (database != null) database.close();
    }

    /** The base URL issuers and endpoints are built on. */
    public URI baseUri() {
        return baseUri;
    }

    /** The port the server listens on (the actual one when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String issuer(String asId) {
        return as(asId).issuer();
    }

    public String tokenEndpoint(String asId) {
        return as(asId).tokenEndpoint();
    }

    public String registrationEndpoint(String asId) {
        return as(asId).registrationEndpoint();
    }

    public String jwksUri(String asId) {
        return as(asId).jwksUri();
    }

    /** A registered client's credentials, as a test helper returns them. */
    public record RegisteredClient(String clientId, String clientSecret, String scope) {
    }

    /**
     * Registers a {@code client_secret_basic} client in code, without HTTP and without an initial access token.
     *
     * @param scope space-separated scopes, or null for the default scopes
     */
    public RegisteredClient registerClient(String asId, String scope) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "registered in code");
        if (scope != null) metadata.put("scope", scope);
        Registration r = registrations.create(as(asId), ClientMetadata.parse(metadata));
        return new RegisteredClient(r.client().clientId(), r.clientSecret(), r.client().scope().toString());
    }

    /**
     * Mints an access token for a registered client without HTTP, exactly as the token endpoint would.
     *
     * @param scope space-separated scopes within the client's, or null for all of them
     */
    public String mintToken(String asId, String clientId, String scope) {
        AuthorizationServer as = as(asId);
        Client client = clients.find(asId, clientId)
                .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " at " + asId));
        try {
            return tokens.issue(as, client, TokenService.CLIENT_CREDENTIALS, scope, Map.of()).accessToken();
        } catch (OAuthException e) {
            throw new IllegalArgumentException(e.error().code() + ": " + e.description(), e);
        }
    }

    /** The current metrics in the Prometheus text format, as {@code GET /metrics} serves them. */
    public String metrics() {
        return metrics.exposition();
    }

    private AuthorizationServer as(String asId) {
        AuthorizationServer as = servers.get(asId);
        if (as == null) throw new IllegalArgumentException("no authorization server " + asId);
        return as;
    }

    /**
     * Lets requests in flight finish (new ones get 503), up to a grace period, then stops the server and closes
     * the database. JDK 17's {@code HttpServer.stop(delay)} always waits the whole delay, so draining is ours.
     */
    @Override
    public synchronized void close() {
        if (executor.isShutdown()) return;
        if (!router.drain(STOP_GRACE_MILLIS)) {
            LOG.log(System.Logger.Level.WARNING, "requests still in flight after {0} ms; stopping anyway", STOP_GRACE_MILLIS);
        }
        server.stop(0);
        keyRefresher.shutdownNow();
        executor.shutdown();
        writers.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
            writers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
    }
}
