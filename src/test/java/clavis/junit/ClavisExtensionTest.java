package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;

/** The extension used exactly as the example of docs/use-in-tests.md shows. */
class ClavisExtensionTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.withAuthorizationServer("myAS", "orders.read orders.write");

    @Test
    void aRegisteredClientGetsATokenOverHttp(Clavis server) throws Exception {
        Clavis.RegisteredClient client = server.registerClient("myAS", "orders.read");
        String basic = Base64.getEncoder().encodeToString((client.clientId() + ":" + client.clientSecret()).getBytes());
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.tokenEndpoint("myAS")))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void aTokenCanBeMintedWithoutHttp(Clavis server) {
        Clavis.RegisteredClient client = server.registerClient("myAS", "orders.read orders.write");
        String token = server.mintToken("myAS", client.clientId(), "orders.write");
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(true, claims.contains("\"scope\":\"orders.write\""), claims);
    }

    @Test
    void theSameServerServesTheWholeClass(Clavis server) {
        assertSame(clavis.clavis(), server);
    }

    @Test
    void aRegisteredClientParameterIsANewClientAsTheAnnotationSays(Clavis.RegisteredClient plain,
            @ClavisClient(scope = "orders.write", authMethod = "client_secret_post") Clavis.RegisteredClient post) {
        assertEquals("orders.read orders.write", plain.scope(), "the default scopes");
        assertEquals("orders.write", post.scope());
        assertEquals(false, plain.clientId().equals(post.clientId()));
        Clavis server = clavis.clavis();
        assertEquals(401, Http.postForm(server.tokenEndpoint("myAS"), post.clientId(), post.clientSecret(), "grant_type=client_credentials")
                .statusCode(), "registered for client_secret_post, so Basic is refused");
        assertEquals(200, Http.postForm(server.tokenEndpoint("myAS"), null, null, "grant_type=client_credentials&client_id=" + post.clientId()
                + "&client_secret=" + post.clientSecret()).statusCode());
    }

    @Test
    void theClockAndTheTestToolsAreParametersToo(java.time.Clock clock, clavis.http.RecordedRequests requests, clavis.http.Faults faults) {
        assertSame(clavis.clavis().clock(), clock);
        assertSame(clavis.clavis().requests(), requests);
        assertSame(clavis.clavis().faults(), faults);
    }
}
