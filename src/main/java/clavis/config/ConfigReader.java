package clavis.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads values out of properties by the keys of {@link Keys}: one pass that records every problem instead of
 * stopping at the first, and the effective value of every key read, for the logged configuration.
 */
final class ConfigReader {
    private final Map<String, String> props;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> effective = new LinkedHashMap<>();

    ConfigReader(Map<String, String> props) {
        this.props = new TreeMap<>(props);
        for (String name : this.props.keySet()) {
            if (!known(name)) problem(name, "unknown key");
        }
    }

    /**
     * The value of {@code key} with its placeholders filled by {@code names}: the given text, else the key's
     * default, parsed. Wrong text is a problem (recorded), and then the default stands in, so that reading can go on
     * and report more. Null only for a key without a default that is absent or wrong.
     */
    <T> T get(Key<T> key, String... names) {
        String name = key.concrete(names);
        String text = props.get(name);
        if (text != null) {
            text = text.trim();
            if (text.isEmpty()) {
                problem(name, "must not be empty" + (key.defaultText() == null ? "" : " (leave it out for " + key.defaultText() + ")"));
            } else {
                try {
                    T value = key.parser().parse(text);
                    effective.put(name, shown(key, text));
                    return value;
                } catch (IllegalArgumentException e) {
                    problem(name, e.getMessage());
                }
            }
        }
        if (key.defaultText() == null) return null;
        effective.put(name, shown(key, key.defaultText()));
        return key.parser().parse(key.defaultText());
    }

    /** As {@link #get}, with {@code fallback} (shown as {@code shown}) when the key is not given or wrong. */
    <T> T getOr(Key<T> key, T fallback, String shown, String... names) {
        T value = get(key, names);
        if (value != null) return value;
        effective.putIfAbsent(key.concrete(names), shown);
        return fallback;
    }

    boolean has(Key<?> key, String... names) {
        return props.containsKey(key.concrete(names));
    }

    /**
     * The names chosen for the first placeholder after {@code prefixNames}: for example the ids of every
     * authorization server ({@code ids(AS_SCOPES)}) or the static clients of one ({@code ids(CLIENT_SECRET, "a")}).
     * Every key of the same family counts, so that a client with only a scope is still found.
     */
    TreeSet<String> ids(List<Key<?>> family, String... prefixNames) {
        TreeSet<String> ids = new TreeSet<>();
        int group = prefixNames.length + 1;
        for (Key<?> key : family) {
            for (String name : props.keySet()) {
                String[] names = key.match(name);
                if (names == null) continue;
                boolean same = true;
                for (int i = 0; i < prefixNames.length; i++) same &= names[i].equals(prefixNames[i]);
                if (same) ids.add(names[group - 1]);
            }
        }
        return ids;
    }

    private static boolean known(String name) {
        for (Key<?> key : Keys.ALL) {
            if (key.match(name) != null) return true;
        }
        return false;
    }

    void problem(String key, String message) {
        problems.add(key + ": " + message);
    }

    void effective(String key, String shown) {
        effective.put(key, shown);
    }

    /** Throws {@link ConfigException} naming every problem, if there is one. */
    void failOnProblems() {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    int problemCount() {
        return problems.size();
    }

    /** Every key read, as {@code key=value} lines in the order read, secrets masked. */
    List<String> description() {
        List<String> lines = new ArrayList<>();
        effective.forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }

    private static String shown(Key<?> key, String text) {
        if (!key.secret()) return text;
        return text.startsWith("jdbc:") ? Config.maskPassword(text) : "****";
    }
}
