package clavis;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.jwt.SigningKeyRepository;
import clavis.net.AddressPolicy;
import clavis.oauth.AdminService;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.Secrets;
import clavis.ops.AuditLog;
import clavis.store.Store;

/**
 * The admin commands' handle on the configured database: the {@link AdminService} the admin API also uses, on a
 * database connection and an audit trail of its own, closed together. It works while a server runs on the same
 * database: SQLite's WAL lets both write, one at a time, and a server sees a change within {@code store.cache-seconds}.
 * A store in memory lives only inside its server, so there is none to open here: use that server's admin API.
 */
public final class Administration implements AutoCloseable {
    private final Store store;
    private final AuditLog audit;
    private final AdminService service;

    Administration(Store store, AuditLog audit, AdminService service) {
        this.store = store;
        this.audit = audit;
        this.service = service;
    }

    /**
     * The admin commands' view of the configured database, with the configured audit trail; no HTTP server. A key
     * ring is loaded only to rotate it.
     */
    static Administration open(Config config) {
        if (Store.isInMemory(config.storeUrl())) {
            throw new ConfigException(List.of("store.url=" + config.storeUrl() + " is in memory: it lives only inside a running server, so "
                    + "there is nothing here to administer; use that server's admin API, or name its database with --store.url"));
        }
        AuditLog audit = Wiring.auditLog(config);
        Store store = null;
        try {
            store = Store.open(config.storeUrl());
            SigningKeyRepository keys = store.signingKeys();
            SecureRandom random = new SecureRandom();
            Map<String, AuthorizationServer> servers = new LinkedHashMap<>();
            String baseUrl = config.baseUrl(config.port());
            for (var as : config.authorizationServers().values()) servers.put(as.id(), Wiring.authorizationServer(as, baseUrl, config, null, false));
            AdminService service = new AdminService(servers, store.clients(), store.initialAccessTokens(),
                    keys, asId -> SigningKeys.ring(config.authorizationServers().get(asId), keys, config.clock(), random), new Secrets(random),
                    audit, config.clock(), AddressPolicy.clientUrls(config.fetchAllowedHosts()));
            return new Administration(store, audit, service);
        } catch (RuntimeException e) {
            if (store != null) store.close();
            audit.close();
            throw e;
        }
    }

    /** What the commands do: every change in it is audited. */
    public AdminService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            audit.close();
        } finally {
            store.close();
        }
    }
}
