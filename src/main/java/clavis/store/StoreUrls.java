package clavis.store;

import java.util.regex.Pattern;

/**
 * A store URL as it may be shown: its password masked, in the configuration dump, a failed start and the admin
 * commands alike. PostgreSQL takes one as {@code ?password=...} or as {@code //user:password@host}.
 */
public final class StoreUrls {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    /** The user info of an authority; a password may itself hold an {@code @}, so up to the last one before the path. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//([^/:@]+):[^/]*@");
    /** How deep {@link #scrubbed} follows causes (a cycle of causes must not loop). */
    private static final int MAX_CAUSES = 16;

    private StoreUrls() {
    }

    /** {@code text} (a URL, or a message that may quote one) with every password in it replaced by {@code ****}. */
    public static String masked(String text) {
        if (text == null) return null;
        String s = PASSWORD_PARAMETER.matcher(text).replaceAll("$1****");
        return USER_INFO_PASSWORD.matcher(s).replaceAll("//$1:****@");
    }

    /**
     * A copy of {@code e} and its causes with the messages {@link #masked} and the stack traces kept: a driver may
     * quote the URL it was given ("Unable to parse URL ..."), and a logged stack trace shows every cause.
     */
    static Throwable scrubbed(Throwable e) {
        return scrubbed(e, MAX_CAUSES);
    }

    private static Throwable scrubbed(Throwable e, int depth) {
        Throwable cause = e.getCause() == null || e.getCause() == e || depth == 0 ? null : scrubbed(e.getCause(), depth - 1);
        Throwable copy = new Masked(e.getClass().getName(), masked(e.getMessage()), cause);
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** An exception of another type, as it was but for its message; prints as that type. */
    private static final class Masked extends Exception {
        private final String type;

        Masked(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }
}
