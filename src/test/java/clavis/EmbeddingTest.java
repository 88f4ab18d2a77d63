package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import clavis.config.Config;

/** The embedding API: configuration in code, an in-memory store, helpers, and clean shutdown. */
class EmbeddingTest {
    /** The threads servers make, but for the warm-up: one per JVM, begun by the first start, it ends when done. */
    private static Set<String> clavisThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> !n.equals("clavis-warm-up"))
                .filter(n -> n.startsWith("clavis-") || n.startsWith("HTTP-Dispatcher") || n.startsWith("server-timer") || n.contains("idle-timeout"))
                .collect(Collectors.toSet());
    }

    /** Waits (a condition, with a deadline) until no thread of a closed server's kinds is alive. */
    private static void awaitNoServerThreads() {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && clavisThreads().stream().anyMatch(n -> n.startsWith("HTTP-Dispatcher")
                || n.startsWith("clavis-http-") || n.equals("clavis-db-committer") || n.startsWith("clavis-keys"))) {
            Thread.onSpinWait();
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void twentyServersStartAndStopWithoutLeakingThreadsPortsOrFiles() throws Exception {
        Config config = Config.builder().authorizationServer("myAS", "a").build();
        try (Clavis warmUp = Clavis.start(config)) {
            warmUp.registerClient("myAS", null);
        }
        awaitNoServerThreads(); // the first server's threads end as it closes, some a moment after
        Set<String> threadsBefore = clavisThreads();
        long filesBefore = openFiles();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try (Clavis clavis = Clavis.start(config)) {
                ports.add(clavis.port());
                Clavis.RegisteredClient client = clavis.registerClient("myAS", "a");
                TestServer.postForm(clavis.tokenEndpoint("myAS"), TestServer.basic(client.clientId(), client.clientSecret()),
                        "grant_type=client_credentials");
            }
        }
        long deadline = System.currentTimeMillis() + 3000;
        while (!clavisThreads().equals(threadsBefore) && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertEquals(threadsBefore, clavisThreads(), "threads left behind");
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port)); // free again
            }
        }
        long filesAfter = openFiles();
        assertTrue(filesAfter <= filesBefore + 5, "open files grew from " + filesBefore + " to " + filesAfter);
    }

    @Test
    void inMemoryServerGivesUrlsAndHelpers() throws Exception {
        try (Clavis clavis = Clavis.start(Config.builder().authorizationServer("myAS", "read write")
                .set("as.myAS.default-scopes", "read").build())) {
            assertEquals("http://localhost:" + clavis.port(), clavis.baseUri().toString());
            assertEquals(clavis.baseUri() + "/auth-login/rest/oauth2/authorization-servers/myAS", clavis.issuer("myAS"));
            assertEquals(clavis.issuer("myAS") + "/token", clavis.tokenEndpoint("myAS"));
            assertEquals(clavis.issuer("myAS") + "/jwks", clavis.jwksUri("myAS"));
            assertEquals(clavis.baseUri() + "/auth-login/rest/public/tech-client-registration/oauth2/myAS/register",
                    clavis.registrationEndpoint("myAS"));

            Clavis.RegisteredClient client = clavis.registerClient("myAS", null);
            assertEquals("read", client.scope());
            String token = clavis.mintToken("myAS", client.clientId(), null);
            Map<String, Object> jwks = TestServer.json(TestServer.get(clavis.jwksUri("myAS")));
            JwtVerifier.Verified jwt = JwtVerifier.verify(token, jwks);
            assertEquals(client.clientId(), jwt.claims().get("client_id"));
            assertEquals(clavis.issuer("myAS"), jwt.claims().get("iss"));

            HttpResponse<String> r = TestServer.postForm(clavis.tokenEndpoint("myAS"),
                    TestServer.basic(client.clientId(), client.clientSecret()), "grant_type=client_credentials");
            assertEquals(200, r.statusCode(), r.body());

            assertThrows(IllegalArgumentException.class, () -> clavis.mintToken("myAS", client.clientId(), "write"));
            assertThrows(IllegalArgumentException.class, () -> clavis.mintToken("myAS", "nobody", null));
            assertThrows(IllegalArgumentException.class, () -> clavis.issuer("otherAS"));
        }
    }

    @Test
    void twoAuthorizationServersInMemoryStartWithKeysOfTheirOwn() throws Exception {
        // The keys an in-memory server reuses within a JVM are handed out one per authorization server: one key for
        // two collided in the store (the server did not start) and would let one's tokens verify at the other's JWKS.
        try (Clavis clavis = Clavis.start(Config.builder().authorizationServer("a", "x").authorizationServer("b", "y").build())) {
            String fromA = clavis.mintToken("a", clavis.registerClient("a", null).clientId(), null);
            JwtVerifier.verify(fromA, TestServer.json(TestServer.get(clavis.jwksUri("a"))));
            AssertionError e = assertThrows(AssertionError.class, () -> JwtVerifier.verify(fromA, TestServer.json(TestServer.get(clavis.jwksUri("b")))));
            assertTrue(e.getMessage().contains("no key"), e.getMessage());
        }
    }
}
