package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;
import clavis.TestClock;

/** docs/use-in-tests.md, "A clock the test moves": expiry checked without sleeping. */
class ClockExampleTest {
    static final TestClock CLOCK = new TestClock();

    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.builder().authorizationServer("myAS", "orders.read")
            .set("as.myAS.token-lifetime", "300").clock(CLOCK).build();

    @Test
    void theClientRenewsItsTokenWhenTheClockSaysItIsDue(Clavis server, Clavis.RegisteredClient client, TestClock clock) throws Exception {
        // The code under test reads the same clock, so both sides agree on "now".
        TokenClient tokens = new TokenClient(server.tokenEndpoint("myAS"), client.clientId(), client.clientSecret(), clock, 1, Duration.ofSeconds(5));
        String first = tokens.token();
        clock.advance(Duration.ofSeconds(269));
        assertEquals(first, tokens.token(), "still cached 31 s before it expires");
        clock.advance(Duration.ofSeconds(1));
        assertNotEquals(first, tokens.token(), "renewed 30 s before it expires");
        assertEquals(2, server.requests().tokenRequests(client.clientId()));
    }
}
