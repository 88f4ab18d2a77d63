package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import clavis.jwt.PublicJwk;

/** Fetching a client's jwks_uri over real HTTP: caching, refetch on rotation, and the bounds on what is read. */
class ClientKeysTest {
    private static final String KEY_1 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"1\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    private static final String KEY_2 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"2\",\"x\":\"1JDg9ZdtVRJ6i7ugsPmp9U3Sf6LrbJWFS-Up_MHSpSU\"}";

    HttpServer jwksServer;
    final AtomicReference<String> body = new AtomicReference<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() == 302) exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        jwksServer.start();
    }

    @AfterEach
    void stop() {
        jwksServer.stop(0);
    }

    private ClientMetadata client() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_endpoint_auth_method", "private_key_jwt");
        m.put("jwks_uri", "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks");
        return ClientMetadata.parse(m);
    }

    private static List<String> kids(List<PublicJwk> keys) {
        return keys.stream().map(PublicJwk::kid).toList();
    }

    @Test
    void keysAreFetchedOnceThenCachedAndRefetchedWhenTheClientRotates() {
        ClientKeys keys = new ClientKeys(0);
        body.set("{\"keys\":[" + KEY_1 + "]}");
        assertEquals(List.of("1"), kids(keys.keys(client())));
        assertEquals(List.of("1"), kids(keys.keys(client())));
        assertEquals(1, hits.get(), "the second read comes from the cache");
        body.set("{\"keys\":[" + KEY_2 + "]}");
        assertEquals(List.of("2"), kids(keys.refreshed(client())));
        assertEquals(List.of("2"), kids(keys.keys(client())));
        assertEquals(2, hits.get());
    }

    @Test
    void refetchesAreRateLimited() {
        ClientKeys keys = new ClientKeys(ClientKeys.REFETCH_SECONDS);
        body.set("{\"keys\":[" + KEY_1 + "]}");
        keys.keys(client());
        assertNull(keys.refreshed(client()), "no second fetch right after the first");
        assertEquals(1, hits.get());
    }

    @Test
    void aBadJwksUriGivesNoKeys() {
        body.set("{\"keys\":[" + KEY_1 + "]}");
        status.set(500);
        assertTrue(new ClientKeys(0).keys(client()).isEmpty(), "an error status");
        status.set(302);
        assertTrue(new ClientKeys(0).keys(client()).isEmpty(), "redirects are not followed");
        status.set(200);
        body.set("{\"keys\":[" + KEY_1 + "], \"padding\":\"" + "x".repeat(ClientKeys.MAX_JWKS_BYTES) + "\"}");
        assertTrue(new ClientKeys(0).keys(client()).isEmpty(), "larger than the cap");
        body.set("not json");
        assertTrue(new ClientKeys(0).keys(client()).isEmpty(), "not JSON");
        body.set("{\"keys\":[{\"kty\":\"oct\"}, " + KEY_2 + "]}");
        assertEquals(List.of("2"), kids(new ClientKeys(0).keys(client())), "keys Clavis cannot use are skipped");
    }
}
