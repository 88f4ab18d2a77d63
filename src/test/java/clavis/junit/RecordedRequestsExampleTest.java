package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;
import clavis.TestClock;
import clavis.http.RecordedRequest;
import clavis.http.RecordedRequests;

/** docs/use-in-tests.md, "Recorded requests": does the client cache its token, and what did it send? */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordedRequestsExampleTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.builder().authorizationServer("myAS", "orders.read").clock(new TestClock()).build();

    @Test
    @Order(1)
    void theClientAsksForATokenOnceAndReusesIt(Clavis server, Clavis.RegisteredClient client, RecordedRequests requests, TestClock clock)
            throws Exception {
        TokenClient tokens = new TokenClient(server.tokenEndpoint("myAS"), client.clientId(), client.clientSecret(), clock, 1, Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) tokens.token();
        assertEquals(1, requests.tokenRequests(client.clientId()));

        RecordedRequest sent = requests.next(Duration.ofSeconds(5)).orElseThrow();
        assertEquals("client_credentials", sent.parameter("grant_type"));
        assertEquals(client.clientId(), sent.clientId());
        assertEquals(200, sent.status());
    }

    @Test
    @Order(2)
    void eachTestSeesOnlyItsOwnRequestsAndFaults(RecordedRequests requests, clavis.http.Faults faults) {
        // the first test's requests were cleared before this one
        assertEquals(0, requests.all().size());
        assertEquals(0, faults.pending());
    }
}
