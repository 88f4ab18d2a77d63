package clavis.jwt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How long a JWT lives, for the longest client assertion accepted (RFC 7523 section 3 leaves the bound to us). */
class JwtTimesTest {
    private static final long NOW = 1_700_000_000L;
    private static final long HOUR = 3600;
    private static final long SKEW = JwtTimes.SKEW_SECONDS;

    @Test
    void withAnIatTheLifetimeIsExpMinusIat() {
        assertFalse(new JwtTimes(NOW + HOUR, null, NOW).livesLongerThan(HOUR, NOW), "Authlib's default: exactly an hour");
        assertFalse(new JwtTimes(NOW + HOUR + SKEW, null, NOW).livesLongerThan(HOUR, NOW), "within the skew");
        assertTrue(new JwtTimes(NOW + HOUR + SKEW + 1, null, NOW).livesLongerThan(HOUR, NOW));
        assertFalse(new JwtTimes(NOW + 50 * 60, null, NOW - 10 * 60).livesLongerThan(HOUR, NOW),
                "made ten minutes ago for an hour: an hour long, although it expires in 50 minutes");
        assertTrue(new JwtTimes(NOW + 50 * 60, null, NOW - 30 * 60).livesLongerThan(HOUR, NOW),
                "made half an hour ago, expiring in 50 minutes: 80 minutes long");
        assertTrue(new JwtTimes(NOW + 2 * HOUR, null, NOW).livesLongerThan(HOUR, NOW));
    }

    @Test
    void withoutAnIatTheLifetimeRunsFromNow() {
        assertFalse(new JwtTimes(NOW + HOUR, null, null).livesLongerThan(HOUR, NOW));
        assertFalse(new JwtTimes(NOW + HOUR + SKEW, null, null).livesLongerThan(HOUR, NOW));
        assertTrue(new JwtTimes(NOW + HOUR + SKEW + 1, null, null).livesLongerThan(HOUR, NOW));
    }

    @Test
    void anIatInTheFutureDoesNotShortenTheLifetime() {
        assertTrue(new JwtTimes(NOW + 2 * HOUR, null, NOW + 2 * HOUR - 60).livesLongerThan(HOUR, NOW),
                "iat an hour ahead, as if the assertion lived a minute: measured from now plus the skew");
        assertFalse(new JwtTimes(NOW + HOUR + SKEW, null, NOW + SKEW).livesLongerThan(HOUR, NOW), "iat within the skew counts");
    }

    @Test
    void aSmallerBoundIsHeldTooAndNoExpNeverLivesTooLong() {
        assertTrue(new JwtTimes(NOW + 300 + SKEW + 1, null, NOW).livesLongerThan(300, NOW));
        assertFalse(new JwtTimes(NOW + 300, null, NOW).livesLongerThan(300, NOW));
        assertFalse(new JwtTimes(null, null, NOW).livesLongerThan(HOUR, NOW), "exp is required elsewhere; this rule only measures");
    }

    @Test
    void extremeClaimsCannotOverflowIntoAShortLifetime() {
        assertTrue(new JwtTimes(Long.MAX_VALUE, null, Long.MIN_VALUE).livesLongerThan(HOUR, NOW), "exp - iat would wrap negative");
        assertTrue(new JwtTimes(1L << 62, null, -(1L << 62)).livesLongerThan(HOUR, NOW));
        assertTrue(new JwtTimes(Long.MAX_VALUE, null, null).livesLongerThan(HOUR, NOW));
        assertFalse(new JwtTimes(Long.MIN_VALUE, null, Long.MIN_VALUE).livesLongerThan(HOUR, NOW), "long expired: another rule's refusal");
    }
}
