package clavis.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z_]+)>");

    /** Turns a value's text (trimmed, never empty) into the value; throws IllegalArgumentException saying what is wrong. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    /** This key's name with its placeholders filled in, in order. */
    String concrete(String... names) {
        Matcher m = PLACEHOLDER.matcher(name);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(names[i++]));
        m.appendTail(out);
        return out.toString();
    }

    /** Matches this key's concrete names; each placeholder is a group, in order. */
    Pattern pattern() {
        Matcher m = PLACEHOLDER.matcher(name);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(name.substring(last, m.start())));
            regex.append(switch (m.group(1)) {
                case "id" -> "([^.]+)"; // checked against AS_ID where the id is read, with a message
                case "name" -> "([^.]+)";
                default -> "(.+)"; // client ids and labels may hold dots: the key's fixed tail decides
            });
            last = m.end();
        }
        regex.append(Pattern.quote(name.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
