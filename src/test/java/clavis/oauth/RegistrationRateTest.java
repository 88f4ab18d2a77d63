package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import clavis.TestClock;

/** Dynamic registrations per source address: a burst, then a steady rate, then 429 with Retry-After. */
class RegistrationRateTest {
    private final TestClock clock = new TestClock();

    @Test
    void aBurstPassesThenTheAddressIsHeldToTheRate() {
        RegistrationRate rate = new RegistrationRate(3, 60, clock); // a burst of 3, then one a second
        for (int i = 0; i < 3; i++) rate.take("10.0.0.1");
        OAuthException refused = assertThrows(OAuthException.class, () -> rate.take("10.0.0.1"));
        assertEquals(OAuthError.TEMPORARILY_UNAVAILABLE, refused.error());
        assertEquals(429, refused.status());
        assertEquals(1, refused.retryAfterSeconds());

        rate.take("10.0.0.2"); // another address has its own burst
        clock.advance(Duration.ofMillis(999));
        assertThrows(OAuthException.class, () -> rate.take("10.0.0.1"), "not yet a whole registration's worth");
        clock.advance(Duration.ofMillis(1));
        rate.take("10.0.0.1");
        assertThrows(OAuthException.class, () -> rate.take("10.0.0.1"));
    }

    @Test
    void retryAfterSaysWhenTheNextRegistrationIsAllowed() {
        RegistrationRate rate = new RegistrationRate(1, 2, clock); // one every 30 s
        rate.take("a");
        assertEquals(30, assertThrows(OAuthException.class, () -> rate.take("a")).retryAfterSeconds());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(10, assertThrows(OAuthException.class, () -> rate.take("a")).retryAfterSeconds());
    }

    @Test
    void theBucketRefillsNoFurtherThanTheBurst() {
        RegistrationRate rate = new RegistrationRate(2, 60, clock);
        clock.advance(Duration.ofHours(1));
        rate.take("a");
        rate.take("a");
        assertThrows(OAuthException.class, () -> rate.take("a"));
    }

    @Test
    void aTenSecondFloodAtTheDefaultsGetsFewerThanAThousandThrough() {
        RegistrationRate rate = new RegistrationRate(200, 600, clock);
        int passed = 0;
        for (int ms = 0; ms <= 10_000; ms++) { // ten attempts every millisecond, from 0 s to 10 s
            for (int i = 0; i < 10; i++) {
                try {
                    rate.take("flooder");
                    passed++;
                } catch (OAuthException e) {
                    // held
                }
            }
            clock.advance(Duration.ofMillis(1));
        }
        assertEquals(300, passed, "the burst of 200, then one every 100 ms");
    }

    @Test
    void memoryIsBoundedByForgettingTheLongestUnusedAddress() {
        RegistrationRate rate = new RegistrationRate(1, 1, clock);
        rate.take("first");
        assertThrows(OAuthException.class, () -> rate.take("first"));
        for (int i = 0; i < RegistrationRate.MAX_ADDRESSES; i++) rate.take("address-" + i);
        rate.take("first"); // forgotten, so it starts again with a full bucket
        assertThrows(OAuthException.class, () -> rate.take("address-" + (RegistrationRate.MAX_ADDRESSES - 1)),
                "the recently used addresses are kept");
    }
}
