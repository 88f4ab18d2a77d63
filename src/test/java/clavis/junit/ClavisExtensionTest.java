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
}
