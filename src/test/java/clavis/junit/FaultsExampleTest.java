package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;
import clavis.http.Faults;

/** docs/use-in-tests.md, "Faults on demand": retry and timeout logic against a failing or slow token endpoint. */
class FaultsExampleTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.withAuthorizationServer("myAS", "orders.read");

    @Test
    void theClientRetriesTwo503sAndThenGetsItsToken(Clavis server, Clavis.RegisteredClient client, Faults faults) throws Exception {
        faults.on("token").times(2).respond(503, "temporarily_unavailable");
        TokenClient tokens = new TokenClient(server.tokenEndpoint("myAS"), client.clientId(), client.clientSecret(), server.clock(), 3,
                Duration.ofSeconds(5));
        tokens.token();
        assertEquals(3, server.requests().tokenRequests(client.clientId()));
    }

    @Test
    void theClientGivesUpOnASlowTokenEndpoint(Clavis server, Clavis.RegisteredClient client, Faults faults) {
        faults.on("token").forClient(client.clientId()).delay(Duration.ofSeconds(2));
        TokenClient tokens = new TokenClient(server.tokenEndpoint("myAS"), client.clientId(), client.clientSecret(), server.clock(), 1,
                Duration.ofMillis(500));
        assertThrows(HttpTimeoutException.class, tokens::token);
    }

    @Test
    void theClientReportsAConnectionClosedWithoutAnAnswer(Clavis server, Clavis.RegisteredClient client, Faults faults) {
        faults.on("token").closeConnection();
        TokenClient tokens = new TokenClient(server.tokenEndpoint("myAS"), client.clientId(), client.clientSecret(), server.clock(), 1,
                Duration.ofSeconds(5));
        assertThrows(IOException.class, tokens::token);
    }
}
