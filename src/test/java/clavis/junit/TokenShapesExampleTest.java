package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;
import clavis.TokenBuilder;

/**
 * docs/use-in-tests.md, "Tokens of any shape": good and bad tokens for the code under test. Here the code under test
 * is a resource server that asks the introspection endpoint, so the example runs as it stands.
 */
class TokenShapesExampleTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.withAuthorizationServer("myAS", "orders.read orders.write");

    @Test
    void theApiAcceptsAGoodTokenAndRefusesEveryBadShape(Clavis server, @ClavisClient(scope = "orders.read") Clavis.RegisteredClient api) {
        TokenBuilder.MintedToken good = server.token("myAS").clientId(api.clientId()).subject("alice").scope("orders.read")
                .audience("https://orders.example").claim("tenant", "t-1").mint();
        assertEquals("alice", good.claims().get("sub"));
        assertEquals(true, active(server, api, good.jwt()));

        List<String> bad = List.of(
                server.token("myAS").clientId(api.clientId()).expired().mint().jwt(),
                server.token("myAS").clientId(api.clientId()).signedByUnknownKey().mint().jwt(),
                server.token("myAS").clientId(api.clientId()).wrongIssuer().mint().jwt(),
                server.token("myAS").clientId(api.clientId()).algNone().mint().jwt(),
                server.token("myAS").clientId(api.clientId()).tamperedSignature().mint().jwt());
        for (String token : bad) assertEquals(false, active(server, api, token), token);
    }

    /** What the resource server under test would do: introspect (RFC 7662) as a registered client. */
    private static Object active(Clavis server, Clavis.RegisteredClient api, String token) {
        HttpResponse<String> r = Http.postForm(server.issuer("myAS") + "/introspect", api.clientId(), api.clientSecret(),
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return Http.json(r).get("active");
    }
}
