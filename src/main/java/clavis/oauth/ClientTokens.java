package clavis.oauth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator sets for one client's access tokens: a shorter lifetime than its server's, and claims of its
 * own (a tenant, say). Never set by the client itself: RFC 7591 and 7592 requests cannot carry them.
 *
 * @param lifetimeSeconds the client's token lifetime, or 0 for its authorization server's
 * @param claims extra claims: string, number, boolean or string-array values, none with a name Clavis sets
 * @param tokenExchange whether the client may exchange tokens (RFC 8693) where its authorization server allows it
 */
public record ClientTokens(long lifetimeSeconds, Map<String, Object> claims, boolean tokenExchange) {
    /** The claims Clavis sets (RFC 9068 section 2.2, RFC 7800, RFC 8693 section 4), which no client may override. */
    public static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "cnf", "act",
            "may_act");
    public static final ClientTokens NONE = new ClientTokens(0, Map.of(), true);
    static final int MAX_CLAIMS = 20;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 1024;

    /** Refuses what no token may carry, with IllegalArgumentException saying what. */
    public ClientTokens {
        if (lifetimeSeconds < 0) throw new IllegalArgumentException("a token lifetime is 0 (the server's) or more seconds");
        if (claims.size() > MAX_CLAIMS) throw new IllegalArgumentException("at most " + MAX_CLAIMS + " claims");
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : claims.entrySet()) copy.put(checkName(e.getKey()), checkValue(e.getKey(), e.getValue()));
        claims = Collections.unmodifiableMap(copy);
    }

    /** Settings that leave token exchange allowed. */
    public ClientTokens(long lifetimeSeconds, Map<String, Object> claims) {
        this(lifetimeSeconds, claims, true);
    }

    /**
     * A claim value written as text, on the command line or in the configuration: a JSON literal when it is one of
     * the allowed kinds ({@code true}, {@code 42}, {@code ["a","b"]}, {@code "quoted"}), else the text itself.
     */
    public static Object valueOf(String text) {
        try {
            Object value = clavis.json.Json.parseValue(text);
            if (value instanceof String || value instanceof Boolean || value instanceof Number || value instanceof List<?>) return value;
        } catch (clavis.json.Json.MalformedJsonException e) {
            // a plain string
        }
        return text;
    }

    /** The lifetime of this client's tokens at a server whose tokens live {@code serverSeconds}. */
    public long lifetime(long serverSeconds) {
        return lifetimeSeconds == 0 ? serverSeconds : Math.min(lifetimeSeconds, serverSeconds);
    }

    /** These settings with {@code claim} set to {@code value} (or removed, when null). */
    public ClientTokens withClaim(String claim, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(claims);
        if (value == null) copy.remove(claim);
        else copy.put(claim, value);
        return new ClientTokens(lifetimeSeconds, copy, tokenExchange);
    }

    public ClientTokens withLifetime(long seconds) {
        return new ClientTokens(seconds, claims, tokenExchange);
    }

    public ClientTokens withTokenExchange(boolean allowed) {
        return new ClientTokens(lifetimeSeconds, claims, allowed);
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a claim name is 1 to " + MAX_NAME_LENGTH + " printable ASCII characters");
        }
        if (RESERVED.contains(name)) throw new IllegalArgumentException("'" + name + "' is a claim Clavis sets; choose another name");
        return name;
    }

    private static Object checkValue(String name, Object value) {
        if (value instanceof String s && s.length() <= MAX_VALUE_LENGTH) return s;
        if (value instanceof Boolean) return value;
        if (value instanceof Number n && (n instanceof Integer || n instanceof Long || n instanceof java.math.BigInteger
                || Double.isFinite(n.doubleValue()))) {
            return n;
        }
        if (value instanceof List<?> list && list.size() <= MAX_CLAIMS
                && list.stream().allMatch(v -> v instanceof String s && s.length() <= MAX_VALUE_LENGTH)) {
            return List.copyOf(list);
        }
        throw new IllegalArgumentException("claim '" + name + "' must be a string, number, boolean or array of strings");
    }
}
