package clavis.oauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A set of scope tokens in the order given (RFC 6749 section 3.3), written space-delimited on the wire. */
public record Scope(Set<String> tokens) {
    private static final Pattern TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    public Scope {
        tokens = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tokens));
    }

    public static Scope of(Collection<String> tokens) {
        return new Scope(new LinkedHashSet<>(tokens));
    }

    /**
     * Parses a space-delimited scope string; throws {@code error} for a token outside the RFC's character set or an
     * empty string. Repeated tokens count once.
     */
    public static Scope parse(String value, OAuthError error) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String token : value.split(" ", -1)) {
            if (token.isEmpty()) continue;
            if (!TOKEN.matcher(token).matches()) {
                throw new OAuthException(error, "scope contains a character not allowed by RFC 6749 section 3.3");
            }
            tokens.add(token);
        }
        if (tokens.isEmpty()) throw new OAuthException(error, "scope is empty");
        return new Scope(tokens);
    }

    /** Whether {@code token} is a scope token: one or more of %x21 / %x23-5B / %x5D-7E (RFC 6749 section 3.3). */
    public static boolean isToken(String token) {
        return TOKEN.matcher(token).matches();
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public boolean containsAll(Scope other) {
        return tokens.containsAll(other.tokens);
    }

    /** The tokens of this scope that {@code allowed} also has, in this scope's order. */
    public Scope intersect(Scope allowed) {
        List<String> kept = new ArrayList<>();
        for (String t : tokens) if (allowed.tokens.contains(t)) kept.add(t);
        return Scope.of(kept);
    }

    /** The tokens of this scope that {@code removed} does not have, in this scope's order. */
    public Scope without(Scope removed) {
        List<String> kept = new ArrayList<>();
        for (String t : tokens) if (!removed.tokens.contains(t)) kept.add(t);
        return Scope.of(kept);
    }

    @Override
    public String toString() {
        return String.join(" ", tokens);
    }
}
