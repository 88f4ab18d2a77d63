package clavis.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration built in code, for embedding: port 0 (a free port), the memory store ({@code memory:}: no database
 * to load or open), no access log and the last 100 requests recorded, unless set otherwise. Keys and validation are
 * exactly those of {@code config.properties}, but for one default: on an in-memory store, authorization servers sign with {@link #IN_MEMORY_SIGNING_ALG}
 * unless {@code as.<id>.signing-alg} says otherwise, since an RSA key takes a cold JVM a third of a second or more to
 * make. (Spring Security's decoder built from a JWK Set URI alone accepts only RS256: set {@code signing-alg} to
 * {@code RS256} for it, or give the decoder the algorithm.)
 */
public final class ConfigBuilder {
    /** The signing algorithm of an in-memory server's authorization servers, unless configured. */
    public static final String IN_MEMORY_SIGNING_ALG = "ES256";

    private final Map<String, String> properties = new LinkedHashMap<>();
    private Clock clock = Config.SYSTEM_CLOCK;

    ConfigBuilder() {
        properties.put("server.port", "0");
        properties.put("store.url", Config.IN_MEMORY_STORE);
        properties.put("server.access-log", "false");
        properties.put("server.record-requests", "100");
    }

    /** An authorization server with the scopes its clients may be granted (space-separated). */
    public ConfigBuilder authorizationServer(String asId, String scopes) {
        return set("as." + asId + ".scopes", scopes);
    }

    /** A client fixed in the configuration, with its secret in plain text. */
    public ConfigBuilder staticClient(String asId, String clientId, String secret, String scope) {
        set("as." + asId + ".client." + clientId + ".secret", secret);
        return set("as." + asId + ".client." + clientId + ".scope", scope);
    }

    /**
     * Dev mode ({@code server.dev-mode=true}): any client_id with any secret gets a token, and any authorization
     * server id used exists on first use. Loopback only.
     */
    public ConfigBuilder devMode() {
        return set("server.dev-mode", "true");
    }

    /** How many of the last requests the server keeps ({@code server.record-requests}); 0 for none. */
    public ConfigBuilder recordRequests(int last) {
        return set("server.record-requests", Integer.toString(last));
    }

    /** Any configuration key, as in {@code config.properties}. */
    public ConfigBuilder set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The clock every time-based rule follows (token times, expiries, proof windows, key age): a test's own. */
    public ConfigBuilder clock(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock);
        return this;
    }

    /** Validates and freezes the configuration; throws {@link ConfigException} naming every problem. */
    public Config build() {
        return build(System.getenv());
    }

    /** As {@link #build()}, with environment variables (the TLS keystore password) taken from {@code env}. */
    public Config build(Map<String, String> env) {
        return Config.fromProperties(withInMemoryDefaults(), env).withClock(clock);
    }

    /** The properties, with {@link #IN_MEMORY_SIGNING_ALG} for every authorization server of an in-memory server. */
    private Map<String, String> withInMemoryDefaults() {
        Map<String, String> all = new LinkedHashMap<>(properties);
        String store = properties.get("store.url");
        if (store == null || !clavis.store.Store.isInMemory(store)) return all;
        for (String key : properties.keySet()) {
            if (key.startsWith("as.") && key.endsWith(".scopes") && key.indexOf('.', 3) == key.length() - ".scopes".length()) {
                all.putIfAbsent(key.substring(0, key.length() - "scopes".length()) + "signing-alg", IN_MEMORY_SIGNING_ALG);
            }
        }
        return all;
    }
}
