package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import clavis.config.Config;

/** Two nodes on one PostgreSQL database serve the same authorization server as one. */
class MultiNodeTest {
    private static Config node(String url) {
        // Behind one load balancer every node has the same public base URL, hence the same issuer.
        return Config.builder().authorizationServer("myAS", "client-scope").set("store.url", url)
                .set("server.base-url", "https://iam.example.com")
                .set("as.myAS.signing-alg", "ES256").set("as.myAS.token-lifetime", "600").build();
    }

    private static String url(Clavis node, String pathPattern) {
        return "http://localhost:" + node.port() + pathPattern.replace("{as}", "myAS");
    }

    private static int status(Clavis node, String id, String secret) {
        return TestServer.postForm(url(node, clavis.http.Paths.TOKEN), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode();
    }

    /** Polls until the condition holds, for at most the documented delay (store.cache-seconds=1) plus a margin. */
    private static void within(long millis, java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError(what + " not seen within " + millis + " ms");
            Thread.sleep(50);
        }
    }

    @Test
    void twoNodesShareClientsKeysRevocationsDeletionsAndRotations() throws Exception {
        String db = TestDatabases.newPostgres();
        // simultaneous first start on an empty database
        CompletableFuture<Clavis> a = CompletableFuture.supplyAsync(() -> Clavis.start(node(db)));
        CompletableFuture<Clavis> b = CompletableFuture.supplyAsync(() -> Clavis.start(node(db)));
        try (Clavis nodeA = a.get(); Clavis nodeB = b.get()) {
            try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*) FROM signing_keys WHERE as_id = 'myAS' AND retired_at = 0")) {
                r.next();
                assertEquals(1, r.getInt(1), "exactly one active key after a simultaneous start");
            }
            Map<String, Object> jwksA = TestServer.json(TestServer.get(url(nodeA, clavis.http.Paths.JWKS)));
            assertEquals(jwksA, TestServer.json(TestServer.get(url(nodeB, clavis.http.Paths.JWKS))), "both nodes publish the same keys");

            // registered on A, tokens on B, verifiable with A's JWKS
            Registered viaA = register(nodeA);
            HttpResponse<String> onB = TestServer.postForm(url(nodeB, clavis.http.Paths.TOKEN), TestServer.basic(viaA.clientId(), viaA.clientSecret()),
                    "grant_type=client_credentials");
            assertEquals(200, onB.statusCode(), onB.body());
            String token = (String) TestServer.json(onB).get("access_token");
            JwtVerifier.verify(token, jwksA);

            // revoked on A, inactive on B at once (revocations are read, not cached)
            String[] resourceServer = {viaA.clientId(), viaA.clientSecret()};
            assertEquals(true, introspect(nodeB, resourceServer, token).get("active"));
            assertEquals(200, TestServer.postForm(url(nodeA, clavis.http.Paths.REVOCATION), TestServer.basic(viaA.clientId(), viaA.clientSecret()),
                    "token=" + token).statusCode());
            assertEquals(false, introspect(nodeB, resourceServer, token).get("active"));

            // deleted on A: B refuses its secret and its tokens within the client cache lifetime (1 s)
            Registered doomed = register(nodeB);
            assertEquals(200, status(nodeB, doomed.clientId(), doomed.clientSecret())); // cached on B now
            String doomedToken = nodeB.mintToken("myAS", doomed.clientId(), null);
            HttpResponse<String> delete = TestServer.withBearer("DELETE", url(nodeA, clavis.http.Paths.REGISTRATION) + "/" + doomed.clientId(),
                    doomed.registrationToken(), null);
            assertEquals(204, delete.statusCode(), delete.body());
            within(1500, () -> status(nodeB, doomed.clientId(), doomed.clientSecret()) == 401, "the deletion on node B");
            assertEquals(false, introspect(nodeB, resourceServer, doomedToken).get("active"));

            // rotation through the admin command: live tokens keep verifying; both nodes take up the new key
            String before = nodeA.mintToken("myAS", viaA.clientId(), null);
            String oldKid = (String) JwtVerifier.decodePart(before.split("\\.")[0]).get("kid");
            String newKid;
            try (Administration admin = Clavis.administration(node(db))) {
                newKid = admin.service().rotateKey(clavis.oauth.Actor.commandLine(), "myAS");
            }
            assertNotEquals(oldKid, newKid);
            for (Clavis n : List.of(nodeA, nodeB)) {
                within(2500, () -> newKid.equals(JwtVerifier.decodePart(n.mintToken("myAS", viaA.clientId(), null).split("\\.")[0]).get("kid")),
                        "the rotation on node " + n.port());
                Map<String, Object> jwks = TestServer.json(TestServer.get(url(n, clavis.http.Paths.JWKS)));
                JwtVerifier.verify(before, jwks);
                JwtVerifier.verify(n.mintToken("myAS", viaA.clientId(), null), jwks);
                assertEquals(true, introspect(n, resourceServer, before).get("active"), "a token from before the rotation is still live");
            }
        }
    }

    private static Map<String, Object> introspect(Clavis node, String[] caller, String token) {
        HttpResponse<String> r = TestServer.postForm(url(node, clavis.http.Paths.INTROSPECTION), TestServer.basic(caller[0], caller[1]), "token=" + token);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private record Registered(String clientId, String clientSecret, String registrationToken) {
    }

    private static Registered register(Clavis node) {
        HttpResponse<String> r = TestServer.postJson(url(node, clavis.http.Paths.REGISTRATION), "{\"client_name\":\"multi\"}");
        assertEquals(201, r.statusCode(), r.body());
        Map<String, Object> reg = TestServer.json(r);
        return new Registered((String) reg.get("client_id"), (String) reg.get("client_secret"), (String) reg.get("registration_access_token"));
    }

}
