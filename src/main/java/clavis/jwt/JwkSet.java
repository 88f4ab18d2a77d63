package clavis.jwt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JWK Set (RFC 7517 section 5) of public signature keys: the JSON as it was given, and the keys Clavis verifies
 * with. The one place a JWK Set is read, by one of two rules: {@link #strict} for what a client registers or an
 * operator configures (every key must be usable, or the set is refused), {@link #lenient} for what is fetched or
 * was stored before a rule tightened (unusable keys are skipped, as RFC 7517 section 5 allows for keys a reader does
 * not understand).
 *
 * @param json the set as given, echoed back unchanged
 * @param keys the keys that verify signatures, in order
 */
public record JwkSet(Map<String, Object> json, List<PublicJwk> keys) {
    /** Keys in one set, at most. */
    public static final int MAX_KEYS = 20;

    /** Nesting a set's JSON may have, at most: as much as the JSON reader allows. */
    static final int MAX_DEPTH = 16;

    /** The JSON is copied whole and frozen: a caller that changes its map afterwards changes nothing here. */
    public JwkSet {
        json = typed((Map<?, ?>) frozen(json, 0));
        keys = List.copyOf(keys);
    }

    /** A deep, unmodifiable copy of a JSON value (objects with string names, arrays, strings, numbers, booleans, null); anything else is refused. */
    private static Object frozen(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) return value;
        if (depth == MAX_DEPTH) throw new IllegalArgumentException("must be nested at most " + MAX_DEPTH + " deep");
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String name)) throw new IllegalArgumentException("must have string member names");
                copy.put(name, frozen(e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object v : list) copy.add(frozen(v, depth + 1));
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("must hold JSON values only");
    }

    /** A set whose every key Clavis can verify with: 1 to {@link #MAX_KEYS} keys; IllegalArgumentException saying what is wrong. */
    public static JwkSet strict(Object value) {
        List<?> members = members(value);
        if (members.isEmpty() || members.size() > MAX_KEYS) throw new IllegalArgumentException("must hold 1 to " + MAX_KEYS + " keys");
        List<PublicJwk> keys = new ArrayList<>();
        for (Object member : members) {
            if (!(member instanceof Map<?, ?> jwk) || !(jwk.get("kty") instanceof String)) {
                throw new IllegalArgumentException("every key must be a JWK object with kty");
            }
            keys.add(PublicJwk.parse(typed(jwk)));
        }
        return new JwkSet(typed((Map<?, ?>) value), keys);
    }

    /** The usable keys of a set, the first {@link #MAX_KEYS} of them; others (encryption keys, other curves) are skipped. */
    public static JwkSet lenient(Object value) {
        List<PublicJwk> keys = new ArrayList<>();
        for (Object member : members(value)) {
            if (keys.size() == MAX_KEYS) break;
            if (!(member instanceof Map<?, ?> jwk)) continue;
            try {
                keys.add(PublicJwk.parse(typed(jwk)));
            } catch (IllegalArgumentException e) {
                // not a signature key Clavis accepts
            }
        }
        return new JwkSet(typed((Map<?, ?>) value), keys);
    }

    private static List<?> members(Object value) {
        if (!(value instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> keys)) {
            throw new IllegalArgumentException("must be a JWK Set: an object with a keys array");
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> typed(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
