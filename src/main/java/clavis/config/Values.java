package clavis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import clavis.oauth.Scope;

/** The parsers of configuration values; each throws IllegalArgumentException with a message fit for the operator. */
final class Values {
    private Values() {
    }

    static Key.Parser<String> text() {
        return text -> text;
    }

    static Key.Parser<Integer> integer(int min, int max) {
        return text -> (int) number(text, min, max);
    }

    static Key.Parser<Long> seconds(long min, long max) {
        return text -> number(text, min, max);
    }

    static Key.Parser<Boolean> bool() {
        return text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
        };
    }

    /** One of {@code values}, by the name {@code nameOf} gives each. */
    @SafeVarargs
    static <T> Key.Parser<T> oneOf(Function<T, String> nameOf, T... values) {
        return text -> {
            List<String> names = new ArrayList<>();
            for (T v : values) {
                if (nameOf.apply(v).equals(text)) return v;
                names.add(nameOf.apply(v));
            }
            throw new IllegalArgumentException("must be one of " + names + ", got '" + text + "'");
        };
    }

    /** Space- or comma-separated scope tokens (RFC 6749 section 3.3); repeats count once. */
    static Key.Parser<Scope> scopes() {
        return text -> {
            Set<String> tokens = new LinkedHashSet<>();
            for (String token : words(text)) {
                if (!Scope.isToken(token)) throw new IllegalArgumentException("'" + token + "' is not a valid scope token (RFC 6749 section 3.3)");
                tokens.add(token);
            }
            return Scope.of(tokens);
        };
    }

    /** One scope token (RFC 6749 section 3.3). */
    static Key.Parser<String> scopeToken() {
        return text -> {
            if (!Scope.isToken(text)) throw new IllegalArgumentException("'" + text + "' is not one scope token (RFC 6749 section 3.3)");
            return text;
        };
    }

    /** Space- or comma-separated items, each parsed by {@code item}; repeats count once. */
    static <T> Key.Parser<List<T>> list(Key.Parser<T> item) {
        return text -> {
            List<T> items = new ArrayList<>();
            for (String word : words(text)) {
                T value = item.parse(word);
                if (!items.contains(value)) items.add(value);
            }
            if (items.isEmpty()) throw new IllegalArgumentException("must name at least one");
            return List.copyOf(items);
        };
    }

    /** An absolute URI without a fragment (RFC 8707 section 2), kept exactly as written: tokens name it so. */
    static Key.Parser<String> resourceUri() {
        return text -> {
            try {
                URI uri = new URI(text);
                if (uri.isAbsolute() && uri.getRawFragment() == null) return text;
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be an absolute URI without a fragment, got '" + text + "'");
        };
    }

    /** An absolute http or https URL without query or fragment, trailing slashes removed. */
    static Key.Parser<String> baseUrl() {
        return text -> {
            String url = text;
            while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
            try {
                URI uri = new URI(url);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                    return url;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new IllegalArgumentException("must be an absolute http or https URL without query or fragment, got '" + text + "'");
        };
    }

    private static long number(String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, got '" + text + "'");
        }
        if (n < min || n > max) throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + n);
        return n;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.split("[ ,]+")) if (!w.isEmpty()) words.add(w);
        return words;
    }
}
