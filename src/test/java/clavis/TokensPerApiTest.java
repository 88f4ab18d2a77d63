package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/** RFC 8707 resource indicators: a token per API, each refusal with its code, and resource servers that check aud. */
class TokensPerApiTest {
    static final String ORDERS = "https://orders.example.com";
    static final String BILLING = "https://billing.example.com/v1";

    @TempDir
    static Path dir;
    static TestServer server;
    /** A client with scopes of both APIs and one of neither. */
    static String[] both;
    /** A client with only an orders scope. */
    static String[] ordersOnly;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "as.myAS.scopes", "client-scope orders.read orders.write billing.read shared",
                "as.myAS.api.orders.uri", ORDERS, "as.myAS.api.orders.scopes", "orders.read orders.write shared",
                "as.myAS.api.billing.uri", BILLING, "as.myAS.api.billing.scopes", "billing.read shared");
        both = client("client-scope orders.read orders.write billing.read shared");
        ordersOnly = client("orders.read");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] client(String scope) {
        Map<String, Object> reg = server.register("{\"scope\":\"" + scope + "\"}");
        return new String[] {(String) reg.get("client_id"), (String) reg.get("client_secret")};
    }

    private static HttpResponse<String> token(String[] client, String... params) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < params.length; i += 2) {
            form.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(client[0], client[1]), form.toString());
    }

    private static Map<String, Object> claims(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return JwtVerifier.decodePart(((String) TestServer.json(r).get("access_token")).split("\\.")[1]);
    }

    private static void refused(HttpResponse<String> r, String error) {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(error, TestServer.json(r).get("error"), r.body());
        server.assertAlive();
    }

    /** What a resource server does: the signature against the JWKS, then its own URI in aud. */
    private static void acceptedBy(String api, String token) throws Exception {
        Map<String, Object> jwks = TestServer.json(TestServer.get(server.url(Paths.JWKS, TestServer.AS)));
        Map<String, Object> c = JwtVerifier.verify(token, jwks).claims();
        Object aud = c.get("aud");
        List<?> audiences = aud instanceof List<?> list ? list : List.of(aud);
        if (!audiences.contains(api)) throw new AssertionError("not meant for " + api + ": aud " + aud);
    }

    @Test
    void withoutAResourceTheTokenIsForTheWholeServerAsBefore() {
        Map<String, Object> c = claims(token(both));
        assertEquals(server.clavis.issuer(TestServer.AS), c.get("aud"));
        assertEquals("client-scope orders.read orders.write billing.read shared", c.get("scope"));
    }

    @Test
    void aTokenForOneApiNamesItAndCarriesOnlyItsScopes() throws Exception {
        HttpResponse<String> r = token(both, "resource", ORDERS);
        Map<String, Object> c = claims(r);
        assertEquals(ORDERS, c.get("aud"), "one resource: aud is a string");
        assertEquals("orders.read orders.write shared", c.get("scope"));
        assertEquals("orders.read orders.write shared", TestServer.json(r).get("scope"));
        String token = (String) TestServer.json(r).get("access_token");
        acceptedBy(ORDERS, token);
        assertThrows(AssertionError.class, () -> acceptedBy(BILLING, token), "the billing API refuses a token for orders");
    }

    @Test
    void aTokenForTwoApisNamesBothAndASharedScopeOnce() throws Exception {
        HttpResponse<String> r = token(both, "resource", ORDERS, "resource", BILLING);
        Map<String, Object> c = claims(r);
        assertEquals(List.of(ORDERS, BILLING), c.get("aud"), "several resources: aud is an array");
        assertEquals("orders.read orders.write billing.read shared", c.get("scope"));
        String token = (String) TestServer.json(r).get("access_token");
        acceptedBy(ORDERS, token);
        acceptedBy(BILLING, token);
        Map<String, Object> introspected = server.introspect(both, token);
        assertEquals(List.of(ORDERS, BILLING), introspected.get("aud"), "introspection returns aud as the token has it");
        assertEquals(ORDERS, claims(token(both, "resource", ORDERS, "resource", ORDERS)).get("aud"), "a repeated resource counts once");
    }

    @Test
    void aRequestedScopeIsNarrowedToTheApisAndMayNotLeaveThem() {
        assertEquals("shared", claims(token(both, "resource", ORDERS, "scope", "shared")).get("scope"));
        refused(token(both, "resource", ORDERS, "scope", "billing.read"), "invalid_scope");
        refused(token(both, "resource", ORDERS, "scope", "client-scope"), "invalid_scope");
        refused(token(ordersOnly, "resource", ORDERS, "scope", "orders.write"), "invalid_scope");
        assertEquals("orders.read", claims(token(ordersOnly, "resource", ORDERS)).get("scope"));
    }

    @Test
    void aResourceThatIsNoApiOfThisServerIsInvalidTarget() {
        refused(token(both, "resource", "https://elsewhere.example.com"), "invalid_target");
        refused(token(both, "resource", ORDERS + "/"), "invalid_target"); // compared exactly
        refused(token(both, "resource", "/relative"), "invalid_target");
        refused(token(both, "resource", ORDERS + "#fragment"), "invalid_target");
        refused(token(both, "resource", ORDERS, "resource", "https://elsewhere.example.com"), "invalid_target");
        refused(token(ordersOnly, "resource", BILLING), "invalid_target"); // no scope of billing's
        HttpResponse<String> tooMany = token(both, "resource", ORDERS, "resource", ORDERS, "resource", ORDERS, "resource", ORDERS,
                "resource", ORDERS, "resource", ORDERS, "resource", ORDERS, "resource", ORDERS, "resource", ORDERS, "resource", ORDERS,
                "resource", ORDERS);
        refused(tooMany, "invalid_target");
        claims(token(both, "resource", ORDERS));
    }

    @Test
    void onlyResourceMayRepeat() {
        refused(token(both, "resource", ORDERS, "scope", "shared", "scope", "shared"), "invalid_request");
    }
}
