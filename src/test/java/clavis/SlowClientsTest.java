package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/**
 * Connections that send slowly or not at all (hardening items 3 and 4). These tests wait on the JDK server's own
 * wall-clock timers, so they use short limits (every test of this class shares them: the JDK reads them once per
 * JVM) and keep each wait to a few seconds.
 */
@Tag("own-jvm") // sets the JDK HttpServer's limits, which it reads once per JVM
class SlowClientsTest {
    /** limits.request-seconds for this class: a silent or slow connection is closed this long after it starts. */
    private static final int REQUEST_SECONDS = 2;

    @TempDir
    Path dir;

    private TestServer start() {
        return TestServer.start(dir, "limits.request-seconds", Integer.toString(REQUEST_SECONDS));
    }

    /** Sends one more byte every 500 ms on each socket, so that none completes its request while the test measures. */
    private static ScheduledExecutorService trickle(List<Socket> sockets) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.scheduleAtFixedRate(() -> {
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write('x');
                } catch (IOException e) {
                    // closed by the server: that is allowed
                }
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        return s;
    }

    private static Socket startRequest(int port, String head) throws IOException {
        Socket s = RawHttp.connect(port, null);
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    void slowHeaderAndBodySendersLeaveHealthTokensAndRegistrationsAnswering() throws Exception {
        try (TestServer server = start()) {
            String[] client = server.registerClient();
            int port = server.clavis.port();
            String tokenPath = URI.create(server.tokenEndpoint()).getPath();
            String registrationPath = URI.create(server.registrationEndpoint()).getPath();
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickler = null;
            try {
                for (int i = 0; i < 16; i++) slow.add(startRequest(port, "P")); // the request line, one byte at a time
                for (int i = 0; i < 40; i++) {
                    slow.add(startRequest(port, "POST " + tokenPath + " HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type="));
                    slow.add(startRequest(port, "POST " + registrationPath + " HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"client_name\":\""));
                }
                trickler = trickle(slow);
                // Measure once the server holds every slow body in a handler (the 16 request lines never get that far).
                OperationsTest.awaitInFlight(server, 80);

                long t = System.nanoTime();
                assertEquals(200, TestServer.get(server.url(Paths.HEALTH + "/live")).statusCode());
                assertTrue(millisSince(t) < 1500, "liveness took " + millisSince(t) + " ms");
                t = System.nanoTime();
                server.token(client[0], client[1]);
                assertTrue(millisSince(t) < 1500, "a token took " + millisSince(t) + " ms");
                t = System.nanoTime();
                HttpResponse<String> registered = TestServer.postJson(server.registrationEndpoint(), "{\"client_name\":\"quick\"}");
                assertEquals(201, registered.statusCode());
                assertTrue(millisSince(t) < 1500, "a registration took " + millisSince(t) + " ms");
            } finally {
                if (trickler != null) trickler.shutdownNow();
                for (Socket s : slow) s.close();
            }
        }
    }

    @Test
    void silentConnectionsDoNotShutOthersOutAndAreClosedSoon() throws Exception {
        try (TestServer server = start()) {
            int port = server.clavis.port();
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) silent.add(RawHttp.connect(port, null));
                long t = System.nanoTime();
                assertEquals(200, TestServer.get(server.url(Paths.HEALTH)).statusCode(), "health with 1000 idle connections open");
                assertTrue(millisSince(t) < 1500, "health took " + millisSince(t) + " ms");

                // Every silent connection is closed by the server once its time to start a request is up (plus a tick).
                long deadline = System.nanoTime() + (REQUEST_SECONDS + 3) * 1_000_000_000L;
                int closed = 0;
                for (Socket s : silent) {
                    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    s.setSoTimeout((int) left);
                    if (endOfStream(s.getInputStream())) closed++;
                }
                assertEquals(1000, closed, "every silent connection was closed within " + (REQUEST_SECONDS + 3) + " s");
                server.assertAlive();
            } finally {
                for (Socket s : silent) s.close();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionsAreBounded() throws Exception {
        try (TestServer server = start()) {
            int port = server.clavis.port();
            List<Socket> kept = new ArrayList<>();
            try {
                for (int i = 0; i < 250; i++) {
                    Socket s = startRequest(port, "GET " + Paths.HEALTH + "/live HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertEquals(200, RawHttp.read(s.getInputStream()).status());
                    kept.add(s);
                }
                // The server closes a connection it will not keep right after the response. It counts its idle
                // connections when a response ends, and one that ended a moment before joins them just after: a few
                // may pass the limit. Look until 50 have been seen closed, with a deadline, and require 45.
                Set<Socket> closed = new HashSet<>();
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (closed.size() < 50 && System.nanoTime() < deadline) {
                    for (Socket s : kept) {
                        if (closed.contains(s)) continue;
                        s.setSoTimeout(1);
                        if (endOfStream(s.getInputStream())) closed.add(s);
                    }
                }
                assertTrue(closed.size() >= 45, "past limits.idle-connections (200), a connection is closed after its response; closed: "
                        + closed.size());
                server.assertAlive();
            } finally {
                for (Socket s : kept) s.close();
            }
        }
    }

    private static boolean endOfStream(InputStream in) {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }
}
