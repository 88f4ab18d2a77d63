package clavis;

import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import clavis.config.AuthorizationServerConfig;
import clavis.config.Config;
import clavis.http.AccessLog;
import clavis.http.AdminEndpoint;
import clavis.http.ClientConfigurationEndpoint;
import clavis.http.ConsoleEndpoint;
import clavis.http.DevTokenEndpoint;
import clavis.http.Faults;
import clavis.http.HealthEndpoint;
import clavis.http.IntrospectionEndpoint;
import clavis.http.JwksEndpoint;
import clavis.http.MetadataEndpoint;
import clavis.http.MetricsEndpoint;
import clavis.http.Paths;
import clavis.http.RecordedRequests;
import clavis.http.RegistrationEndpoint;
import clavis.http.RevocationEndpoint;
import clavis.http.Route;
import clavis.http.Router;
import clavis.http.TokenEndpoint;
import clavis.jwt.KeyRing;
import clavis.jwt.SigningKeyRepository;
import clavis.net.AddressPolicy;
import clavis.net.Fetcher;
import clavis.oauth.AccessTokenValidator;
import clavis.oauth.AdminAccess;
import clavis.oauth.AdminService;
import clavis.oauth.Audit;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.AuthorizationServers;
import clavis.oauth.ClientAssertions;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.ClientCertificates;
import clavis.oauth.ClientConfigurationService;
import clavis.oauth.ClientKeys;
import clavis.oauth.DevClients;
import clavis.oauth.DevTokens;
import clavis.oauth.DpopProofs;
import clavis.oauth.FailureThrottle;
import clavis.oauth.IntrospectionService;
import clavis.oauth.JwtBearerGrant;
import clavis.oauth.RegistrationRate;
import clavis.oauth.RegistrationService;
import clavis.oauth.RevocationService;
import clavis.oauth.Scope;
import clavis.oauth.Secrets;
import clavis.oauth.SoftwareStatementPolicy;
import clavis.oauth.SoftwareStatements;
import clavis.oauth.TokenBinding;
import clavis.oauth.TokenExchange;
import clavis.oauth.TokenService;
import clavis.ops.AuditLog;
import clavis.ops.Metrics;
import clavis.store.CachingClientRepository;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.RevokedTokenRepository;
import clavis.oauth.UsedJtiRepository;
import clavis.store.Store;

/**
 * The object graph of a running server, made in one place: the store's repositories, the protocol's services,
 * the authorization servers with their keys, and the route table. Reading this class shows every {@code new}.
 */
final class Wiring {
    /** The configured authorization servers. */
    final Map<String, AuthorizationServer> servers;
    /** Finds the authorization server a path names: the configured ones; in dev mode also any other, made on first use. */
    final AuthorizationServers lookup;
    final Router router;
    final RecordedRequests recorded;
    final Faults faults;
    final RegistrationService registrations;
    final TokenService tokens;
    /** What operators do: the admin API's, and the embedding API's per-client settings. */
    final AdminService admin;
    final CachingClientRepository clients;
    final Metrics metrics;
    final SecureRandom random;
    /** What a registered jwks_uri may point at. */
    final AddressPolicy fetchPolicy;

    /**
     * @param ephemeral where new keys come from for an in-memory store (dev mode's servers made on first use), or null
     * @param audit the audit trail, which the caller opened and closes
     */
    Wiring(Config config, Store store, Map<String, KeyRing> rings, SigningKeys.EphemeralKeys ephemeral, String baseUrl, Audit audit) {
        Clock clock = config.clock();
        random = new SecureRandom();
        metrics = new Metrics();
        clients = new CachingClientRepository(store.clients(), config.cacheSeconds() * 1000L);
        RevokedTokenRepository revoked = store.revokedTokens();
        UsedJtiRepository usedJtis = store.usedJtis();
        Secrets secrets = new Secrets(random);
        Config.Throttle t = config.throttle();
        FailureThrottle throttle = new FailureThrottle(t.clientFailures(), t.addressFailures(), t.windowSeconds(), clock);
        fetchPolicy = AddressPolicy.clientUrls(fetchAllowedHosts(config));
        ClientKeys clientKeys = new ClientKeys(new Fetcher(fetchPolicy));
        ClientCertificates certificates = new ClientCertificates(trustAnchors(config.clientCas()), clientKeys, clock);
        ClientAuthenticator authenticator = new ClientAuthenticator(clients, secrets, new ClientAssertions(clientKeys, usedJtis, clock),
                certificates, throttle, metrics, audit, clock);
        SoftwareStatements statements = new SoftwareStatements(clock);
        RegistrationRate registrationRate = new RegistrationRate(t.registrationBurst(), t.registrationsPerMinute(), clock);
        InitialAccessTokenRepository initialAccessTokens = store.initialAccessTokens();
        registrations = new RegistrationService(clients, initialAccessTokens, secrets, statements, registrationRate, metrics, audit, clock,
                fetchPolicy);
        tokens = new TokenService(clock, random, metrics);
        AccessTokenValidator validator = new AccessTokenValidator(clients, revoked, clock);

        Map<String, AuthorizationServer> built = new LinkedHashMap<>();
        for (AuthorizationServerConfig as : config.authorizationServers().values()) {
            AuthorizationServer server = authorizationServer(as, baseUrl, config, rings.get(as.id()), false);
            built.put(as.id(), server);
            for (AuthorizationServerConfig.StaticClient c : as.staticClients()) {
                registrations.provision(server, c.clientId(), c.secretHash() != null ? c.secretHash() : Secrets.hash(c.secret()),
                        c.scope(), c.authMethod(), c.tokens());
            }
        }
        servers = Map.copyOf(built);
        if (config.devMode()) {
            SigningKeyRepository keys = store.signingKeys();
            lookup = new DevAuthorizationServers(servers, id -> {
                AuthorizationServerConfig as = AuthorizationServerConfig.withDefaults(id, !config.clientCas().isEmpty(), config.clientCertificates());
                return as == null ? null : authorizationServer(as, baseUrl, config,
                        SigningKeys.ring(as, keys, clock, random, ephemeral), true);
            });
        } else {
            lookup = servers::get;
        }

        DpopProofs dpop = new DpopProofs(usedJtis, clock);
        JwtBearerGrant jwtBearer = new JwtBearerGrant(new ClientKeys(new Fetcher(AddressPolicy.OPERATOR_URLS)), usedJtis, tokens, clock);
        TokenEndpoint token = new TokenEndpoint(authenticator, new TokenBinding(dpop), tokens,
                new TokenExchange(validator, tokens, clock), jwtBearer, config.devMode() ? new DevClients(clients, clock) : null);
        MetadataEndpoint metadata = new MetadataEndpoint(config.devMode());
        ClientConfigurationEndpoint clientConfiguration = new ClientConfigurationEndpoint(new ClientConfigurationService(clients, secrets, statements, fetchPolicy, audit));
        HealthEndpoint readiness = HealthEndpoint.readiness(store::ping);
        int registrationLimit = config.limits().registrationBodyBytes();
        int formLimit = config.limits().tokenBodyBytes();
        List<Route> routes = new ArrayList<>(List.of(
                Route.writing("register", Paths.REGISTRATION, "POST", Route.Body.JSON, registrationLimit, new RegistrationEndpoint(registrations)),
                Route.get("client_configuration", Paths.CLIENT_CONFIGURATION, clientConfiguration),
                Route.writing("client_configuration", Paths.CLIENT_CONFIGURATION, "PUT", Route.Body.JSON, registrationLimit, clientConfiguration),
                Route.writing("client_configuration", Paths.CLIENT_CONFIGURATION, "DELETE", Route.Body.NONE, 0, clientConfiguration),
                Route.form("token", Paths.TOKEN, formLimit, token, TokenEndpoint::storesJti),
                Route.form("introspect", Paths.INTROSPECTION, formLimit, new IntrospectionEndpoint(authenticator, new IntrospectionService(validator)),
                        IntrospectionEndpoint::storesJti),
                Route.form("revoke", Paths.REVOCATION, formLimit, new RevocationEndpoint(authenticator, new RevocationService(validator, revoked, clock)),
                        r -> true),
                Route.get("jwks", Paths.JWKS, new JwksEndpoint()),
                Route.get("metadata", Paths.METADATA_UNDER_ISSUER, metadata),
                Route.get("metadata", Paths.METADATA_WELL_KNOWN, metadata),
                Route.get("metadata", Paths.OPENID_UNDER_ISSUER, metadata),
                Route.get("metadata", Paths.OPENID_WELL_KNOWN, metadata),
                Route.getWaiting("health", Paths.HEALTH, readiness),
                Route.getWaiting("health", Paths.HEALTH + "/ready", readiness),
                Route.getWaiting("health", Paths.HEALTH + "/live", HealthEndpoint.liveness()),
                Route.getWaiting("metrics", Paths.METRICS, new MetricsEndpoint(metrics))));
        // Dev mode's own path exists only in dev mode: elsewhere it is 404 like any unknown path.
        if (config.devMode()) routes.add(Route.json("dev_token", Paths.DEV_TOKEN, formLimit, new DevTokenEndpoint(new DevTokens(clock, random))));
        admin = new AdminService(servers, clients, initialAccessTokens, store.signingKeys(),
                asId -> servers.get(asId).keys(), secrets, audit, clock, fetchPolicy);
        if (config.admin() != null) {
            AdminAccess access = new AdminAccess(servers.get(config.admin().authorizationServer()), config.admin().scope(), validator, dpop,
                    throttle, metrics, audit);
            routes.addAll(new AdminEndpoint(admin, access, baseUrl, clock).routes(registrationLimit));
            routes.addAll(ConsoleEndpoint.load(config.admin().authorizationServer(), config.admin().scope()).routes());
        }
        recorded = new RecordedRequests(config.recordRequests(), clock);
        Set<String> endpoints = new TreeSet<>();
        for (Route r : routes) endpoints.add(r.name());
        faults = new Faults(endpoints, responseSeconds(config.limits()));
        router = new Router(lookup, routes, new AccessLog(metrics, config.accessLog()), config.threads(), config.trustedProxies(), recorded, faults);
        metrics.countInFlight(router::inFlight);
    }

    /** The audit trail the configuration asks for: the logger, and the file of {@code server.audit-log}. */
    static AuditLog auditLog(Config config) {
        return config.auditLog() == null ? AuditLog.loggerOnly(config.clock()) : AuditLog.open(java.nio.file.Path.of(config.auditLog()), config.clock());
    }

    /**
     * One authorization server as the protocol sees it; {@code ring} is null for the admin commands, which sign nothing.
     *
     * @param anyScope whether any scope may be granted (dev mode's servers made on first use)
     */
    static AuthorizationServer authorizationServer(AuthorizationServerConfig as, String baseUrl, Config config, KeyRing ring, boolean anyScope) {
        String issuer = Paths.url(baseUrl, Paths.ISSUER, as.id());
        AuthorizationServer.Urls urls = new AuthorizationServer.Urls(issuer, Paths.url(baseUrl, Paths.TOKEN, as.id()),
                Paths.url(baseUrl, Paths.REGISTRATION, as.id()), Paths.url(baseUrl, Paths.JWKS, as.id()),
                Paths.url(baseUrl, Paths.INTROSPECTION, as.id()), Paths.url(baseUrl, Paths.REVOCATION, as.id()));
        Scope none = Scope.of(List.of());
        AuthorizationServer.TokenPolicy tokens = new AuthorizationServer.TokenPolicy(anyScope ? none : as.scopes(),
                anyScope ? none : as.defaultScopes(), as.tokenLifetimeSeconds(), as.audience() != null ? as.audience() : issuer, as.dpop(),
                config.clientCertificates(), as.apis(), as.strictGrantTypes(), anyScope);
        AuthorizationServer.ClientPolicy clients = new AuthorizationServer.ClientPolicy(as.registration(), as.maxRegisteredClients(),
                as.secretLifetimeSeconds(), as.authMethods(), as.assertionMaxLifetimeSeconds(), as.assertionMaxLiveJtis(), new SoftwareStatementPolicy(as.softwareStatementIssuers(),
                as.softwareStatementRequired(), as.softwareStatementMaxAgeSeconds()), as.operatorScopes());
        return new AuthorizationServer(as.id(), urls, tokens, clients,
                new AuthorizationServer.Delegation(as.tokenExchange(), as.exchangeIssuers(), as.bearerIssuers()), ring);
    }

    /** The hosts a client's jwks_uri may name although internal: the configured ones; in dev mode also loopback. */
    private static List<String> fetchAllowedHosts(Config config) {
        if (!config.devMode()) return config.fetchAllowedHosts();
        List<String> hosts = new ArrayList<>(config.fetchAllowedHosts());
        hosts.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
        return hosts;
    }

    /**
     * How long a response may take before the JDK server closes its connection: {@code limits.request-seconds}, or the
     * JVM's own setting when an earlier server (or -D) set a smaller one.
     */
    private static int responseSeconds(Config.Limits limits) {
        Integer jvm = Integer.getInteger("sun.net.httpserver.maxRspTime");
        return jvm != null && jvm > 0 ? Math.min(jvm, limits.requestSeconds()) : limits.requestSeconds();
    }

    /** The CAs {@code tls_client_auth} trusts, for certificates from the TLS handshake or a trusted proxy. */
    private static Set<TrustAnchor> trustAnchors(List<X509Certificate> cas) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : cas) anchors.add(new TrustAnchor(ca, null));
        return anchors;
    }
}
