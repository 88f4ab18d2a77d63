package clavis.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import clavis.config.Config;

/**
 * The HTTP front: the JDK HttpServer (HTTPS when a keystore is configured) with its settings, bound before the
 * rest starts, and its connection threads. Serves a {@link Router} once {@link #serve} is called.
 *
 * <p>What the JDK server does with its settings (read once per JVM, so the first Clavis of a JVM sets them): a new
 * connection must start its request within the smaller of {@code limits.request-seconds} and
 * {@code limits.idle-seconds}, and the whole request must arrive within {@code limits.request-seconds}; idle
 * keep-alive connections are closed after {@code limits.idle-seconds} and kept at most {@code limits.idle-connections};
 * past {@code limits.max-connections} a new connection is closed at once. Its timers tick every second.
 */
public final class HttpFront {
    private static final int BACKLOG = 1024;
    private static final String TIMER_TICK_MILLIS = "1000";

    private final HttpServer server;
    private final ConnectionThreads threads;

    private HttpFront(HttpServer server, ConnectionThreads threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Sets the JDK server's limits and binds the port; nothing is served until {@link #serve}. */
    public static HttpFront bind(Config config) {
        configureJdkServer(config.limits());
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        try {
            HttpServer server = config.tls() == null ? HttpServer.create(address, BACKLOG) : https(address, config.tls());
            return new HttpFront(server, new ConnectionThreads(config.connectionThreads()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void serve(Router router) {
        server.setExecutor(threads);
        server.createContext("/", router);
        server.start();
    }

    /** Closes the port and every connection at once; requests in flight should have been drained before. */
    public void stop() {
        server.stop(0);
        threads.shutdown();
        try {
            threads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpsServer https(InetSocketAddress address, Config.Tls tls) throws IOException {
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        SSLContext context = Tls.context(tls);
        boolean wantCertificates = tls.requestClientCertificates();
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                // RFC 8705: ask for a certificate but do not require one; what it proves is checked per client.
                p.setWantClientAuth(wantCertificates);
                params.setSSLParameters(p);
            }
        });
        return https;
    }

    /**
     * The JDK HttpServer's own settings. It reads them once, when its configuration class loads, so they must be
     * set before the first server in this JVM exists, Clavis's or any other; a value already set (by -D, or an
     * earlier start) stays. A JVM that makes other HttpServers before Clavis calls this first.
     */
    public static void configureJdkServer(Config.Limits limits) {
        // JDK 17's HttpServer otherwise stalls ~40 ms per keep-alive response (Nagle meets delayed ACK).
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(limits.headerBytes()));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(limits.requestSeconds()));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(limits.requestSeconds()));
        setIfAbsent("sun.net.httpserver.idleInterval", Integer.toString(limits.idleSeconds()));
        setIfAbsent("sun.net.httpserver.maxIdleConnections", Integer.toString(limits.idleConnections()));
        setIfAbsent("sun.net.httpserver.clockTick", TIMER_TICK_MILLIS);
        setIfAbsent("sun.net.httpserver.timerMillis", TIMER_TICK_MILLIS);
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) System.setProperty(property, value);
    }
}
