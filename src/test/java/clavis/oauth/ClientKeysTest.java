package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import clavis.jwt.PublicJwk;
import clavis.net.AddressPolicy;
import clavis.net.Fetcher;

/**
 * Fetching a client's jwks_uri over real HTTP, from a local server reached through the allow-list: caching, refetch on
 * rotation, one fetch per URI at a time on the fetch threads, and the bounds on what is read, cached and waited for.
 */
class ClientKeysTest {
    private static final String KEY_1 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"1\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    private static final String KEY_2 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"2\",\"x\":\"1JDg9ZdtVRJ6i7ugsPmp9U3Sf6LrbJWFS-Up_MHSpSU\"}";
    /** The name the test resolver maps to the local server; allow-listed, since it resolves to loopback. */
    private static final String HOST = "keys.test";

    HttpServer jwksServer;
    ExecutorService serverThreads;
    final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[" + KEY_1 + "]}");
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger hits = new AtomicInteger();
    /** Threads that resolved a jwks_uri's host: the threads that fetched. */
    final List<String> fetchingThreads = new CopyOnWriteArrayList<>();
    final CountDownLatch slowArrived = new CountDownLatch(1);
    final CountDownLatch slowRelease = new CountDownLatch(1);
    AddressPolicy policy;
    Fetcher fetcher;

    @BeforeEach
    void serve() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        jwksServer.setExecutor(serverThreads); // a held answer must not stop the others
        jwksServer.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() == 302) exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        jwksServer.createContext("/slow", exchange -> {
            hits.incrementAndGet();
            slowArrived.countDown();
            try {
                slowRelease.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = ("{\"keys\":[" + KEY_2 + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        jwksServer.start();
        policy = AddressPolicy.clientUrls(List.of(HOST));
        fetcher = new Fetcher(policy, Fetcher.DEFAULT_DEADLINE, this::resolve, null);
    }

    private InetAddress[] resolve(String host) throws UnknownHostException {
        fetchingThreads.add(Thread.currentThread().getName());
        if (!host.equals(HOST)) throw new UnknownHostException(host);
        return new InetAddress[] {InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1})};
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        jwksServer.stop(0);
        serverThreads.shutdownNow();
    }

    private String uri(String path) {
        return "http://" + HOST + ":" + jwksServer.getAddress().getPort() + path;
    }

    private ClientMetadata client(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_endpoint_auth_method", "private_key_jwt");
        m.put("jwks_uri", uri(path));
        return ClientMetadata.parse(m, policy);
    }

    private ClientMetadata client() {
        return client("/jwks");
    }

    private static List<String> kids(List<PublicJwk> keys) {
        return keys.stream().map(PublicJwk::kid).toList();
    }

    @Test
    void keysAreFetchedOnceOnAFetchThreadThenCachedAndRefetchedWhenTheClientRotates() {
        ClientKeys keys = new ClientKeys(fetcher, 0, ClientKeys.MAX_WAITING, ClientKeys.MAX_CACHED_BYTES);
        assertEquals(List.of("1"), kids(keys.keys(client())));
        assertEquals(List.of("1"), kids(keys.keys(client())));
        assertEquals(1, hits.get(), "the second read comes from the cache");
        body.set("{\"keys\":[" + KEY_2 + "]}");
        assertEquals(List.of("2"), kids(keys.refreshed(client())));
        assertEquals(List.of("2"), kids(keys.keys(client())));
        assertEquals(2, hits.get());
        assertEquals(2, fetchingThreads.size());
        for (String name : fetchingThreads) assertTrue(name.startsWith("clavis-fetch-"), "fetched on " + name + ", not on the caller's thread");
    }

    @Test
    void refetchesAreRateLimited() {
        ClientKeys keys = new ClientKeys(fetcher);
        keys.keys(client());
        assertNull(keys.refreshed(client()), "no second fetch right after the first");
        assertEquals(1, hits.get());
    }

    @Test
    void aBadJwksUriGivesNoKeys() {
        status.set(500);
        assertTrue(new ClientKeys(fetcher).keys(client()).isEmpty(), "an error status");
        status.set(302);
        assertTrue(new ClientKeys(fetcher).keys(client()).isEmpty(), "redirects are not followed");
        status.set(200);
        body.set("{\"keys\":[" + KEY_1 + "], \"padding\":\"" + "x".repeat(Fetcher.MAX_BODY_BYTES) + "\"}");
        assertTrue(new ClientKeys(fetcher).keys(client()).isEmpty(), "larger than the cap");
        body.set("not json");
        assertTrue(new ClientKeys(fetcher).keys(client()).isEmpty(), "not JSON");
        body.set("{\"keys\":[{\"kty\":\"oct\"}, " + KEY_2 + "]}");
        assertEquals(List.of("2"), kids(new ClientKeys(fetcher).keys(client())), "keys Clavis cannot use are skipped");
    }

    @Test
    void aJwksUriThatIsNotAllowListedIsNeverFetched() {
        ClientKeys keys = new ClientKeys(new Fetcher(AddressPolicy.CLIENT_URLS, Fetcher.DEFAULT_DEADLINE, this::resolve, null));
        ClientMetadata stored = ClientMetadata.fromStored(Map.of("token_endpoint_auth_method", "private_key_jwt", "jwks_uri", uri("/jwks")));
        assertTrue(keys.keys(stored).isEmpty());
        assertEquals(0, hits.get(), "refused before any connection");
    }

    @Test
    void concurrentCallersOfOneUriShareOneFetch() throws Exception {
        ClientKeys keys = new ClientKeys(fetcher, 0, 32, ClientKeys.MAX_CACHED_BYTES);
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            List<Future<List<PublicJwk>>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) results.add(callers.submit(() -> keys.keys(client("/slow"))));
            assertTrue(slowArrived.await(5, TimeUnit.SECONDS), "the fetch reached the server");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (keys.waitingCallers() < 20 && System.nanoTime() < until) Thread.onSpinWait();
            assertEquals(20, keys.waitingCallers(), "all 20 callers wait for the one fetch");
            slowRelease.countDown();
            for (Future<List<PublicJwk>> r : results) assertEquals(List.of("2"), kids(r.get(5, TimeUnit.SECONDS)));
            assertEquals(1, hits.get(), "one fetch for 20 callers");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aSlowUriDoesNotDelayACallerWhoseKeysAreCached() throws Exception {
        ClientKeys keys = new ClientKeys(fetcher);
        assertEquals(List.of("1"), kids(keys.keys(client())));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<List<PublicJwk>> slow = caller.submit(() -> keys.keys(client("/slow")));
            assertTrue(slowArrived.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("1"), kids(keys.keys(client())), "answered from the cache while the other fetch is held");
            assertFalse(slow.isDone(), "the slow fetch was still held");
            slowRelease.countDown();
            assertEquals(List.of("2"), kids(slow.get(5, TimeUnit.SECONDS)));
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void callersBeyondTheWaitingBoundGetNoKeysAtOnceInsteadOfHoldingTheirThread() throws Exception {
        ClientKeys keys = new ClientKeys(fetcher, 0, 1, ClientKeys.MAX_CACHED_BYTES);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<List<PublicJwk>> waiting = caller.submit(() -> keys.keys(client("/slow")));
            assertTrue(slowArrived.await(5, TimeUnit.SECONDS));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (keys.waitingCallers() < 1 && System.nanoTime() < until) Thread.onSpinWait();
            assertTrue(keys.keys(client("/slow")).isEmpty(), "the bound is reached: no wait");
            assertFalse(waiting.isDone());
            slowRelease.countDown();
            assertEquals(List.of("2"), kids(waiting.get(5, TimeUnit.SECONDS)));
            assertEquals(List.of("2"), kids(keys.keys(client("/slow"))), "the fetch's result was cached for later callers");
            assertEquals(1, hits.get());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void theCacheIsBoundedByBytesAndDropsTheOldestFirst() {
        int size = body.get().getBytes(StandardCharsets.UTF_8).length;
        ClientKeys keys = new ClientKeys(fetcher, 0, ClientKeys.MAX_WAITING, 2L * size + size / 2);
        for (int i = 1; i <= 3; i++) keys.keys(client("/jwks?n=" + i));
        assertEquals(List.of(uri("/jwks?n=2"), uri("/jwks?n=3")), keys.cachedUris(), "the oldest went, the rest stayed");
        keys.keys(client("/jwks?n=2"));
        assertEquals(3, hits.get(), "still cached");
    }

    @Test
    void aFailedFetchIsLoggedWithItsReasonAndTheUriEscaped() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("clavis.oauth");
        logger.addHandler(capture);
        try {
            status.set(500);
            new ClientKeys(fetcher).keys(client());
            // Stored before URIs were checked (restore does not check again): the raw control characters must not reach the log.
            new ClientKeys(fetcher).keys(ClientMetadata.fromStored(Map.of("jwks_uri", uri("/jwks") + "\nFORGED line\u001b[31m")));
        } finally {
            logger.removeHandler(capture);
        }
        Set<String> messages = ConcurrentHashMap.newKeySet();
        for (LogRecord r : records) messages.add(r.getMessage());
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.contains("cannot read the jwks_uri " + uri("/jwks") + ": status 500"), messages.toString());
        for (String m : messages) {
            assertFalse(m.contains("null"), m);
            assertFalse(m.contains("\n") || m.contains("\u001b"), m);
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("\\nFORGED line\\u001b[31m")), messages.toString());
    }
}
