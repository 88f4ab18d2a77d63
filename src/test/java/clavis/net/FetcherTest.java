package clavis.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;

/**
 * The fetcher against real local servers: an HTTP server reached through the allow-list, an HTTPS server under a name
 * the test resolver maps to 127.0.0.1, and raw sockets for answers a well-behaved server would not give.
 */
class FetcherTest {
    private static final String PASSWORD = "test-keystore-password";
    private static final byte[] JWKS = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static SSLContext trustingTestCertificate;
    static HttpsServer https;
    static ExecutorService httpsThreads;
    static final List<String> sniSeen = new CopyOnWriteArrayList<>();

    HttpServer http;
    ExecutorService httpThreads;
    final AtomicInteger hits = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<ServerSocket> rawServers = new ArrayList<>();

    /** keys.test and other.test are 127.0.0.1; mixed.test has a public and a private address; others are unknown. */
    static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "keys.test", "other.test" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
            case "mixed.test" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}),
                    InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1})};
            default -> throw new UnknownHostException(host);
        };
    }

    @BeforeAll
    static void httpsServer() throws Exception {
        Path keystore = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "keys", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=keys.test", "-ext", "SAN=dns:keys.test",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trustingTestCertificate = SSLContext.getInstance("TLS");
        trustingTestCertificate.init(null, tmf.getTrustManagers(), null);

        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        httpsThreads = Executors.newCachedThreadPool();
        https.setExecutor(httpsThreads);
        https.createContext("/jwks", exchange -> {
            ((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession()).getRequestedServerNames()
                    .forEach(n -> sniSeen.add(((SNIHostName) n).getAsciiName()));
            answer(exchange, 200, JWKS);
        });
        https.start();
    }

    @AfterAll
    static void stopHttps() {
        https.stop(0);
        httpsThreads.shutdownNow();
    }

    @BeforeEach
    void httpServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        httpThreads = Executors.newCachedThreadPool();
        http.setExecutor(httpThreads);
        http.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " Accept=" + exchange.getRequestHeaders().getFirst("Accept"));
            answer(exchange, 200, JWKS);
        });
        http.createContext("/redirect", exchange -> {
            hits.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "/jwks");
            answer(exchange, 302, new byte[0]);
        });
        http.createContext("/big", exchange -> answer(exchange, 200, new byte[Fetcher.MAX_BODY_BYTES + 1]));
        http.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // length unknown: chunked transfer coding
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < JWKS.length; i += 4) {
                    out.write(JWKS, i, Math.min(4, JWKS.length - i));
                    out.flush();
                }
            }
        });
        http.createContext("/big-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i <= Fetcher.MAX_BODY_BYTES / 1024; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                }
            } catch (IOException e) {
                // the fetcher stopped reading at the cap
            }
        });
        http.start();
    }

    @AfterEach
    void stopHttp() throws IOException {
        http.stop(0);
        httpThreads.shutdownNow();
        for (ServerSocket s : rawServers) s.close();
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private int httpPort() {
        return http.getAddress().getPort();
    }

    /** A fetcher that may use http to this test's server on 127.0.0.1, and no other internal address. */
    private Fetcher allowingTheLocalServer(Duration deadline) {
        return new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1:" + httpPort(), "keys.test")), deadline, FetcherTest::resolve,
                trustingTestCertificate);
    }

    private Fetcher allowingTheLocalServer() {
        return allowingTheLocalServer(Fetcher.DEFAULT_DEADLINE);
    }

    /** A server on a raw socket that runs {@code script} for each connection, after reading the request's headers. */
    private int rawServer(Consumer<Socket> script) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        rawServers.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    script.accept(s);
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-test-server");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /** Reads a request's headers, then writes {@code response}. */
    private static Consumer<Socket> answering(String response) {
        return s -> {
            try {
                readRequest(s);
                s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // the fetcher gave up
            }
        };
    }

    private static void readRequest(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c == -1) return;
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
    }

    private static FetchException fails(Fetcher fetcher, String url) {
        return assertThrows(FetchException.class, () -> fetcher.get(url), url);
    }

    @Test
    void httpFromAnAllowListedHostGivesTheBodyOfA200() throws Exception {
        assertArrayEquals(JWKS, allowingTheLocalServer().get("http://127.0.0.1:" + httpPort() + "/jwks?v=1"));
        assertEquals(List.of("GET /jwks?v=1 Host=127.0.0.1:" + httpPort() + " Accept=application/json"), requests);
    }

    @Test
    void aChunkedBodyIsPutTogether() throws Exception {
        assertArrayEquals(JWKS, allowingTheLocalServer().get("http://127.0.0.1:" + httpPort() + "/chunked"));
    }

    @Test
    void aBodyEndedByClosingTheConnectionIsRead() throws Exception {
        int port = rawServer(answering("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"keys\":[]}"));
        Fetcher fetcher = new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1")), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null);
        assertArrayEquals(JWKS, fetcher.get("http://127.0.0.1:" + port + "/jwks"));
    }

    @Test
    void aRedirectIsAFailureAndIsNotFollowed() {
        FetchException e = fails(allowingTheLocalServer(), "http://127.0.0.1:" + httpPort() + "/redirect");
        assertEquals("status 302 (redirects are not followed)", e.reason());
        assertFalse(e.refused());
        assertEquals(1, hits.get(), "only the redirect itself was asked for");
    }

    @Test
    void aBodyOverTheCapFails() {
        assertEquals("larger than 65536 bytes", fails(allowingTheLocalServer(), "http://127.0.0.1:" + httpPort() + "/big").reason());
        assertEquals("larger than 65536 bytes", fails(allowingTheLocalServer(), "http://127.0.0.1:" + httpPort() + "/big-chunked").reason());
    }

    @Test
    void malformedAnswersFailWithTheirReason() throws Exception {
        Fetcher fetcher = new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1")), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null);
        Map<String, String> cases = Map.of(
                "SSH-2.0-OpenSSH\r\n", "not an HTTP/1.1 response",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", "conflicting content-length headers",
                "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{}", "the connection closed before the end of the body",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "an unsupported transfer-encoding",
                "HTTP/1.1 200 OK\r\nX-Padding: " + "x".repeat(Fetcher.MAX_HEADER_BYTES) + "\r\n\r\n{}", "headers larger than 16384 bytes",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "a malformed chunk size");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            int port = rawServer(answering(c.getKey()));
            assertEquals(c.getValue(), fails(fetcher, "http://127.0.0.1:" + port + "/").reason(), c.getKey());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/jwks", "http://127.0.0.1/jwks", "https://10.0.0.1/jwks", "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/jwks", "https://[fd00::1]/jwks", "https://[::ffff:169.254.169.254]/jwks", "https://localhost/jwks", "https://127.1/jwks",
            "http://keys.example/jwks"})
    void internalAddressesAndPlainHttpAreRefusedBeforeAnyConnection(String url) {
        FetchException e = fails(new Fetcher(AddressPolicy.CLIENT_URLS, Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null), url);
        assertTrue(e.refused(), e.reason());
    }

    @Test
    void aLocalServerNotOnTheAllowListIsNotReached() {
        Fetcher fetcher = new Fetcher(AddressPolicy.CLIENT_URLS, Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null);
        FetchException e = fails(fetcher, "https://127.0.0.1:" + httpPort() + "/jwks");
        assertEquals("the host is a loopback address", e.reason());
        assertEquals(0, hits.get());
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsRefused() {
        Fetcher fetcher = new Fetcher(AddressPolicy.CLIENT_URLS, Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, trustingTestCertificate);
        FetchException e = fails(fetcher, "https://keys.test:" + https.getAddress().getPort() + "/jwks");
        assertTrue(e.refused());
        assertEquals("the host resolves to 127.0.0.1, a loopback address", e.reason());
        FetchException mixed = fails(fetcher, "https://mixed.test/jwks");
        assertEquals("the host resolves to 10.0.0.1, a private address", mixed.reason(), "one internal address among public ones is enough");
    }

    @Test
    void httpToAHostNotOnTheAllowListIsRefusedEvenWhenItsAddressIs() {
        Fetcher fetcher = new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1:" + httpPort())), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null);
        FetchException e = fails(fetcher, "http://keys.test:" + httpPort() + "/jwks");
        assertTrue(e.refused());
        assertEquals("http is only allowed for an allow-listed host; use https", e.reason());
        assertEquals(0, hits.get());
    }

    @Test
    void httpsVerifiesTheCertificateAgainstTheHostNameSentBySni() throws Exception {
        int port = https.getAddress().getPort();
        assertArrayEquals(JWKS, allowingTheLocalServer().get("https://keys.test:" + port + "/jwks"));
        assertTrue(sniSeen.contains("keys.test"), sniSeen.toString());
        Fetcher toOther = new Fetcher(AddressPolicy.clientUrls(List.of("other.test")), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, trustingTestCertificate);
        FetchException e = fails(toOther, "https://other.test:" + port + "/jwks");
        assertFalse(e.refused());
        assertTrue(e.reason().contains("other.test"), "the certificate names keys.test only: " + e.reason());
        Fetcher byAddressFetcher = new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1")), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, trustingTestCertificate);
        FetchException byAddress = fails(byAddressFetcher, "https://127.0.0.1:" + port + "/jwks");
        assertFalse(byAddress.refused(), "allow-listed, but the certificate has no IP address: " + byAddress.reason());
        Fetcher defaultTrust = new Fetcher(AddressPolicy.clientUrls(List.of("keys.test")), Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null);
        assertFalse(fails(defaultTrust, "https://keys.test:" + port + "/jwks").refused(), "a self-signed certificate is not trusted by default");
    }

    /** The one test that waits on real time: the deadline is a real network timer. */
    @Test
    void aServerThatTricklesOrStallsFailsAtTheDeadlineNotLater() throws Exception {
        Duration deadline = Duration.ofMillis(500);
        int trickle = rawServer(s -> {
            try {
                readRequest(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 100; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // the fetcher gave up
            }
        });
        int silent = rawServer(s -> {
            try {
                s.getInputStream().readAllBytes(); // takes the TLS ClientHello and never answers
            } catch (IOException e) {
                // the fetcher gave up
            }
        });
        Fetcher fetcher = new Fetcher(AddressPolicy.clientUrls(List.of("127.0.0.1", "keys.test")), deadline, FetcherTest::resolve, trustingTestCertificate);
        for (String url : List.of("http://127.0.0.1:" + trickle + "/jwks", "https://keys.test:" + silent + "/jwks")) {
            long start = System.nanoTime();
            FetchException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(fetcher, url), url);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("no complete answer within 500 ms", e.reason(), url);
            assertTrue(elapsedMillis >= 450 && elapsedMillis < 800, url + " failed after " + elapsedMillis + " ms");
        }
    }

    @Test
    void aFailureAlwaysHasAReason() {
        assertEquals("IOException", FetchException.failed(new IOException()).reason());
        assertEquals("unknown failure", FetchException.failed((String) null).reason());
        assertEquals("cannot resolve nowhere.test", fails(new Fetcher(AddressPolicy.CLIENT_URLS, Fetcher.DEFAULT_DEADLINE, FetcherTest::resolve, null),
                "https://nowhere.test/jwks").reason());
    }
}
