package clavis.jwt;

/**
 * The time claims of a JWT ({@code exp}, {@code nbf}, {@code iat}: RFC 7519 sections 4.1.4-4.1.6), in epoch
 * seconds, each null when absent, judged against the server's time with {@link #SKEW_SECONDS} of tolerance for
 * clocks that differ. The one place this rule is written, for client assertions, software statements and other
 * JWTs Clavis reads. Comparisons are written so that no claim value can overflow them.
 */
public record JwtTimes(Long exp, Long nbf, Long iat) {
    /** Clock skew tolerated on every time claim. */
    public static final long SKEW_SECONDS = 30;

    /** The time claims of {@code jws}; IllegalArgumentException when one is present but not a number. */
    public static JwtTimes of(Jws jws) {
        for (String claim : new String[] {"exp", "nbf", "iat"}) {
            if (jws.claims().get(claim) != null && jws.seconds(claim) == null) throw new IllegalArgumentException(claim + " is not a number");
        }
        return new JwtTimes(jws.seconds("exp"), jws.seconds("nbf"), jws.seconds("iat"));
    }

    /** Whether {@code exp} has passed (an absent exp never does). */
    public boolean expired(long now) {
        return exp != null && exp <= now - SKEW_SECONDS;
    }

    /** Whether {@code nbf} or {@code iat} is still in the future. */
    public boolean notYetValid(long now) {
        return (nbf != null && nbf > now + SKEW_SECONDS) || (iat != null && iat > now + SKEW_SECONDS);
    }

    /** Whether it was issued more than {@code maxAgeSeconds} ago; false without {@code iat}. */
    public boolean olderThan(long maxAgeSeconds, long now) {
        return iat != null && iat <= now - SKEW_SECONDS - maxAgeSeconds;
    }

    /**
     * Whether it lives longer than {@code maxSeconds}: {@code exp - iat} when it has an {@code iat}, else from now to
     * {@code exp}. False without {@code exp}.
     */
    public boolean livesLongerThan(long maxSeconds, long now) {
        if (exp == null) return false;
        long from = iat != null ? Math.min(iat, now + SKEW_SECONDS) : now;
        return exp > from + maxSeconds + SKEW_SECONDS; // not exp - from: with an iat far in the past that wraps around
    }
}
