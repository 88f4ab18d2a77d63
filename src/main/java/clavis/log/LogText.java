package clavis.log;

/**
 * Text from a request made safe for a log line: a client cannot end the line (and forge the next one) or send
 * terminal escape sequences. A leaf package, like {@code clavis.json}, so that {@code http}, {@code oauth} and
 * {@code store} can all use it without a dependency between them.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /**
     * {@code text} with every control character (C0 including CR, LF, TAB and ESC; DEL; C1 U+0080-U+009F) and the
     * line and paragraph separators U+2028/U+2029 written as a backslash followed by {@code n}, {@code r}, {@code t}
     * or {@code u} and four hex digits (as in Java and JSON), and a backslash as two, so that an escape in the log
     * cannot be mistaken for one the client sent. Null stays null.
     */
    public static String escape(String text) {
        if (text == null) return null;
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) i++;
        if (i == text.length()) return text; // the common case: nothing to escape, no copy
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\\' || c == '\u2028' || c == '\u2029';
    }
}
