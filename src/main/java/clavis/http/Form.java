package clavis.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** {@code application/x-www-form-urlencoded} bodies (RFC 6749 appendix B), strictly. */
final class Form {
    /** The parameters a request may repeat: {@code resource} (RFC 8707 section 2), {@code audience} (RFC 8693 section 2.1). */
    static final Set<String> REPEATABLE = Set.of("resource", "audience");

    private Form() {
    }

    /**
     * A parsed form: each parameter's value, and every value of the parameters that may repeat.
     *
     * @param values each parameter's (first) value
     * @param repeated every value of a {@link #REPEATABLE} parameter, in order
     */
    record Parsed(Map<String, String> values, Map<String, List<String>> repeated) {
    }

    /**
     * Parses a form body. A repeated parameter is {@code invalid_request} (RFC 6749 section 3.2), but for
     * {@link #REPEATABLE} ones; a parameter without a value counts as omitted (section 3.1); malformed encoding is
     * {@code invalid_request}.
     */
    static Parsed parse(byte[] body) {
        String text = utf8(body);
        if (text == null) throw malformed();
        Map<String, String> params = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeComponent(pair.substring(eq + 1));
            if (name == null || value == null) throw malformed();
            if (value.isEmpty()) continue;
            if (REPEATABLE.contains(name)) {
                repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                params.putIfAbsent(name, value);
            } else if (params.putIfAbsent(name, value) != null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "a request parameter is repeated"
                        + (name.length() <= 40 && name.matches("[a-z_]+") ? ": " + name : ""));
            }
        }
        return new Parsed(params, repeated);
    }

    /** Decodes one form-url-encoded component; null when the escapes or the UTF-8 they make are malformed. */
    static String decodeComponent(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '+') {
                out.write(' ');
            } else if (ch == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = hex(s.charAt(i + 1));
                int lo = hex(s.charAt(i + 2));
                if (hi < 0 || lo < 0) return null;
                out.write(hi << 4 | lo);
                i += 2;
            } else if (ch < 0x80) {
                out.write(ch);
            } else {
                byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return utf8(out.toByteArray());
    }

    /** An ASCII hex digit's value, or -1: never a full-width or another script's digit, as Character.digit allows. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static OAuthException malformed() {
        return new OAuthException(OAuthError.INVALID_REQUEST, "the form body is not valid application/x-www-form-urlencoded UTF-8");
    }
}
