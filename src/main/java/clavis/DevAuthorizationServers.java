package clavis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.AuthorizationServers;

/**
 * Dev mode's authorization servers ({@code server.dev-mode=true} only): the configured ones, and any other id a path
 * names, made on first use with every default and any scope allowed, up to {@link #MAX_CREATED}. Outside dev mode
 * the Router finds only the configured ones.
 */
final class DevAuthorizationServers implements AuthorizationServers {
    static final int MAX_CREATED = 100;
    private static final System.Logger LOG = System.getLogger("clavis");

    private final Map<String, AuthorizationServer> configured;
    private final Function<String, AuthorizationServer> maker;
    private final Map<String, AuthorizationServer> created = new LinkedHashMap<>();
    private boolean warned;

    /** @param maker makes the server of an id, or gives null for an id that cannot be one */
    DevAuthorizationServers(Map<String, AuthorizationServer> configured, Function<String, AuthorizationServer> maker) {
        this.configured = Map.copyOf(configured);
        this.maker = maker;
    }

    @Override
    public AuthorizationServer find(String id) {
        AuthorizationServer as = configured.get(id);
        return as != null ? as : created(id);
    }

    private synchronized AuthorizationServer created(String id) {
        AuthorizationServer as = created.get(id);
        if (as != null) return as;
        if (created.size() >= MAX_CREATED) {
            if (!warned) LOG.log(System.Logger.Level.WARNING, "dev mode made " + MAX_CREATED + " authorization servers; it makes no more");
            warned = true;
            return null;
        }
        as = maker.apply(id);
        if (as != null) {
            created.put(id, as);
            LOG.log(System.Logger.Level.INFO, "dev mode: authorization server " + id + " made on first use, issuer " + as.issuer());
        }
        return as;
    }
}
