package clavis;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import clavis.config.Config;
import clavis.http.Faults;
import clavis.http.HttpFront;
import clavis.http.RecordedRequests;
import clavis.jwt.KeyRing;
import clavis.oauth.AuthorizationServer;
import clavis.ops.AuditLog;
import clavis.store.Store;

/**
 * A running Clavis, and the embedding API: {@link #start(Config)} returns a server that answers, {@link #close()}
 * stops it. Tests that embed Clavis also get a test double's tools, none of which is reachable over HTTP:
 * {@link #registerClient} and {@link #mintToken} (no HTTP needed), {@link #token} (tokens of any shape, bad ones
 * included), {@link #requests()} (what the server was asked), {@link #faults()} (errors, delays and dropped
 * connections on demand) and {@link #refreshKeys()}. The object graph is made by {@link Wiring}, the HTTP server by
 * {@link HttpFront}, the keys by {@link SigningKeys}.
 */
public final class Clavis implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("clavis");
    private static final int STOP_GRACE_MILLIS = 5_000;

    private final HttpFront front;
    private final Store store;
    private final AuditLog audit;
    private final Wiring wiring;
    private final ScheduledExecutorService keyRefresher;
    private final URI baseUri;
    private final Clock clock;
    private boolean closed;

    private Clavis(HttpFront front, Store store, AuditLog audit, Wiring wiring, ScheduledExecutorService keyRefresher, URI baseUri,
                   Clock clock) {
        this.clock = clock;
        this.front = front;
        this.store = store;
        this.audit = audit;
        this.wiring = wiring;
        this.keyRefresher = keyRefresher;
        this.baseUri = baseUri;
    }

    /**
     * Binds the port (while a background thread loads what a first request needs, the SQLite driver included when the
     * store is SQLite), opens the store, loads or creates the
     * keys (on a thread of their own, while the services are made), provisions static clients and serves. The
     * configuration's clock is the one every time-based rule follows.
     */
    public static Clavis start(Config config) {
        StartupLog startup = new StartupLog();
        Warmup.begin();
        if (Store.isSqlite(config.storeUrl())) Warmup.sqlite();
        SecureRandom random = new SecureRandom();
        SigningKeys.EphemeralKeys ephemeral = SigningKeys.EphemeralKeys.forStore(config, random);
        HttpFront front = HttpFront.bind(config);
        Store store = null;
        AuditLog audit = null;
        try {
            audit = Wiring.auditLog(config);
            startup.bound();
            store = Store.open(config.storeUrl());
            startup.databaseOpen();
            CompletableFuture<Map<String, KeyRing>> rings = SigningKeys.load(config, store.signingKeys(), random, ephemeral);
            String baseUrl = config.baseUrl(front.port());
            Wiring wiring = new Wiring(config, store, SigningKeys.await(rings), ephemeral, baseUrl, audit);
            startup.wired();
            front.serve(wiring.router);
            startup.serving(config, front.port(), wiring.servers.values());
            return new Clavis(front, store, audit, wiring, SigningKeys.refreshEvery(config.cacheSeconds(), wiring.servers.values(), audit),
                    URI.create(baseUrl), config.clock());
        } catch (RuntimeException | Error e) {
            front.stop();
            if (store != null) store.close();
            if (audit != null) audit.close();
            throw e;
        }
    }

    /**
     * Loads the heavy parts of a first request on a background thread, so that they load while the caller reads its
     * configuration. Optional: {@link #start} works without it, and loads SQLite's driver itself when the store is
     * SQLite (the memory store needs none).
     */
    public static void warmUp() {
        Warmup.begin();
    }

    /**
     * The admin commands' view of the configured database, with the configured audit trail; no HTTP server. A key
     * ring is loaded only to rotate it.
     *
     * @throws clavis.config.ConfigException when the store is in memory: it lives only inside its running server
     */
    public static Administration administration(Config config) {
        return Administration.open(config);
    }

    /** The base URL issuers and endpoints are built on. */
    public URI baseUri() {
        return baseUri;
    }

    /** The port the server listens on (the actual one when configured as 0). */
    public int port() {
        return front.port();
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
        return as(asId).urls().jwks();
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
        return registerClient(asId, scope, "client_secret_basic");
    }

    /**
     * Registers a client that authenticates with {@code authMethod} ({@code client_secret_basic} or
     * {@code client_secret_post}; for the others, which need keys, use {@link #registerClientWithMetadata}).
     *
     * @param scope space-separated scopes, or null for the default scopes
     */
    public RegisteredClient registerClient(String asId, String scope, String authMethod) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (scope != null) metadata.put("scope", scope);
        metadata.put("token_endpoint_auth_method", authMethod);
        return registerClientWithMetadata(asId, metadata);
    }

    /**
     * Registers a client with any RFC 7591 metadata (for example {@code token_endpoint_auth_method},
     * {@code jwks}, {@code dpop_bound_access_tokens}), checked as a registration request is; the server's scope
     * policy applies. The operator's settings of the admin API may come along: {@code access_token_lifetime}
     * (seconds, at most the server's), {@code access_token_claims} (an object of claims for its tokens) and
     * {@code token_exchange} (a boolean), on a configured authorization server. IllegalArgumentException for
     * metadata or settings the server refuses (and then no client is left registered).
     */
    public RegisteredClient registerClientWithMetadata(String asId, Map<String, Object> metadata) {
        return embeddedClients().register(as(asId), metadata);
    }

    /**
     * Mints an access token for a registered client without HTTP, exactly as the token endpoint would.
     *
     * @param scope space-separated scopes within the client's, or null for all of them
     */
    public String mintToken(String asId, String clientId, String scope) {
        return embeddedClients().mint(as(asId), clientId, scope);
    }

    private EmbeddedClients embeddedClients() {
        return new EmbeddedClients(wiring.registrations, wiring.admin, wiring.clients, wiring.tokens, wiring.fetchPolicy);
    }

    /**
     * A token of any shape signed for authorization server {@code asId}: any claims, times and {@code typ}, and the
     * usual bad ones on purpose (expired, not yet valid, unknown key, wrong issuer, {@code alg: none}, tampered).
     */
    public TokenBuilder token(String asId) {
        return new TokenBuilder(as(asId), clock, wiring.random);
    }

    /**
     * The last requests this server answered ({@code server.record-requests}, 100 by default for
     * {@code Config.builder()}, none otherwise), secrets masked: count them, take the next one, clear them.
     */
    public RecordedRequests requests() {
        return wiring.recorded;
    }

    /** Faults on demand: for the next requests to an endpoint or from a client, an error, a delay or a dropped connection. */
    public Faults faults() {
        return wiring.faults;
    }

    /**
     * Re-reads every configured authorization server's keys now, and rotates those whose rotation
     * ({@code as.<id>.key-rotation-seconds}) the clock says is due: what the background refresh does every
     * {@code store.cache-seconds} of real time, for a test that moved its clock.
     */
    public void refreshKeys() {
        for (AuthorizationServer as : wiring.servers.values()) as.keys().refresh();
    }

    /** The clock every time-based rule of this server follows (the configuration's). */
    public Clock clock() {
        return clock;
    }

    /** The current metrics in the Prometheus text format, as {@code GET /metrics} serves them. */
    public String metrics() {
        return wiring.metrics.exposition();
    }

    /** The authorization server {@code asId}; in dev mode any valid id, made on first use. */
    private AuthorizationServer as(String asId) {
        AuthorizationServer as = wiring.lookup.find(asId);
        if (as == null) throw new IllegalArgumentException("no authorization server " + asId);
        return as;
    }

    /**
     * Lets requests in flight finish (new ones get 503), up to a grace period, then stops the server and closes
     * the store. JDK 17's {@code HttpServer.stop(delay)} always waits the whole delay, so draining is ours.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (!wiring.router.drain(STOP_GRACE_MILLIS)) {
            LOG.log(System.Logger.Level.WARNING, "requests still in flight after {0} ms; stopping anyway", STOP_GRACE_MILLIS);
        }
        wiring.router.close();
        front.stop();
        keyRefresher.shutdownNow();
        store.close();
        audit.close();
    }
}
