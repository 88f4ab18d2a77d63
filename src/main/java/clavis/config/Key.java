package clavis.config;

/**
 * One configuration key, as the configuration reference lists it: its name, with placeholders for the names an
 * operator chooses ({@code <id>} an authorization server, {@code <client_id>} a static client, {@code <label>} a
 * trusted issuer, {@code <name>} a claim), its default as text, how text becomes its value, and what it means.
 *
 * @param defaultText the default, parsed like any value; null when there is none or it is computed from other keys
 * @param secret whether its value is hidden in the logged configuration
 */
public record Key<T>(String name, String defaultText, Parser<T> parser, String meaning, boolean secret) {
    /** What an authorization server id may be: it is also a path segment. */
    static final String AS_ID = "[A-Za-z0-9_~-]{1,64}";

    /** Turns a value's text (trimmed, never empty) into the value; throws IllegalArgumentException saying what is wrong. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    /** This key's name with its placeholders filled in, in order. */
    String concrete(String... names) {
        StringBuilder out = new StringBuilder(name.length() + 32);
        int from = 0;
        int i = 0;
        for (int open; (open = name.indexOf('<', from)) >= 0; ) {
            out.append(name, from, open).append(names[i++]);
            from = name.indexOf('>', open) + 1;
        }
        return out.append(name, from, name.length()).toString();
    }

    /**
     * The names filled into this key's placeholders when {@code candidate} is one of its concrete names, in order;
     * null when it is not. {@code <id>} and {@code <name>} take no dot (an id is checked against {@link #AS_ID} where
     * it is read, with a message); client ids and labels may hold dots, and the key's fixed tail decides, the
     * longest first. By hand, not with a regular expression: the configuration is read at every start, and each key's
     * pattern compiled there was a measured part of an embedded server's cold start.
     */
    String[] match(String candidate) {
        String[] names = new String[placeholders()];
        return match(candidate, 0, 0, names, 0) ? names : null;
    }

    private int placeholders() {
        int n = 0;
        for (int i = name.indexOf('<'); i >= 0; i = name.indexOf('<', i + 1)) n++;
        return n;
    }

    /** Whether {@code s} from {@code i} matches this key's name from {@code t}, filling {@code names} from {@code g}. */
    private boolean match(String s, int i, int t, String[] names, int g) {
        int open = name.indexOf('<', t);
        int literalEnd = open < 0 ? name.length() : open;
        if (!s.startsWith(name.substring(t, literalEnd), i)) return false;
        i += literalEnd - t;
        if (open < 0) return i == s.length();
        int close = name.indexOf('>', open);
        String placeholder = name.substring(open + 1, close);
        boolean dotless = placeholder.equals("id") || placeholder.equals("name");
        int longest = i;
        while (longest < s.length() && (dotless ? s.charAt(longest) != '.' : !isLineTerminator(s.charAt(longest)))) longest++;
        for (int end = longest; end > i; end--) {
            names[g] = s.substring(i, end);
            if (match(s, end, close + 1, names, g + 1)) return true;
        }
        return false;
    }

    /** What a regular expression's {@code .} does not match, so that names match as they did when they were one. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
