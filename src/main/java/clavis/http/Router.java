package clavis.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * The only HttpHandler and the only code that sees an HttpExchange: matches the route, reads the body within
 * the route's cap, calls the endpoint inside the one try/catch, and writes the response with the headers every
 * response carries.
 */
public final class Router implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("clavis.http");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, AuthorizationServer> servers;
    private final List<Route> routes;
    private final AccessLog accessLog;
    /** Requests being answered; close() waits for them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private final Executor writers;

    /**
     * @param writers runs the requests of routes that wait for a database commit, so that they neither hold nor
     *                need the few threads that do the CPU-bound work (a commit's wait is long and a whole batch of
     *                them can share one fsync)
     */
    public Router(Map<String, AuthorizationServer> servers, List<Route> routes, AccessLog accessLog, Executor writers) {
        this.servers = Map.copyOf(servers);
        this.routes = List.copyOf(routes);
        this.accessLog = accessLog;
        this.writers = writers;
    }

    /** A matched route with its captures, or the answer when nothing matched. */
    private record Match(Route route, Map<String, String> captured, Response answer) {
    }

    /** What the access log learns while a request is answered: its route and the client it was for. */
    private static final class Facts {
        String endpoint = "none";
        final AtomicReference<String> clientId = new AtomicReference<>();
    }

    @Override
    public void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        Facts facts = new Facts();
        Match match = draining ? new Match(null, null, ErrorResponses.shuttingDown()) : match(exchange);
        if (match.route() != null && match.route().alwaysWaitsForCommit() && handOff(() -> answer(exchange, match, start, facts, true))) return;
        answer(exchange, match, start, facts, false);
    }

    /** Runs {@code task} on a writer thread; false when the pool is shutting down and the caller must answer itself. */
    private boolean handOff(Runnable task) {
        try {
            writers.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Answers on this thread, or moves to a writer thread once the request shows it will wait for a commit (a
     * token request with a client assertion or a DPoP proof stores their jti).
     */
    private void answer(HttpExchange exchange, Match match, long start, Facts facts, boolean onWriter) {
        if (match.answer() != null) {
            finish(exchange, match.answer(), start, facts);
            return;
        }
        Call call = prepare(exchange, match, facts);
        if (call.answer() == null && !onWriter && match.route().waitsForCommit(call.request())
                && handOff(() -> finish(exchange, call.run(), start, facts))) {
            return;
        }
        finish(exchange, call.answer() != null ? call.answer() : call.run(), start, facts);
    }

    private void finish(HttpExchange exchange, Response response, long start, Facts facts) {
        try {
            write(exchange, response);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.getMessage());
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
            accessLog.record(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), response.status(),
                    System.nanoTime() - start, facts.endpoint, facts.clientId.get());
        }
    }

    /**
     * Stops taking new requests (they get 503 and the connection is closed) and waits up to {@code timeoutMillis}
     * for those in flight to be answered. Returns whether all were.
     */
    public boolean drain(long timeoutMillis) {
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private Match match(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Set<String> allowed = new LinkedHashSet<>();
        Route route = null;
        Map<String, String> captured = null;
        String[] segments = path.split("/", -1);
        for (Route r : routes) {
            Map<String, String> c = r.match(segments);
            if (c == null) continue;
            allowed.add(r.method());
            if (r.method().equals(method)) {
                route = r;
                captured = c;
            }
        }
        if (allowed.isEmpty()) return new Match(null, null, ErrorResponses.notFound("no such endpoint"));
        if (route == null) return new Match(null, null, ErrorResponses.methodNotAllowed(String.join(", ", allowed)));
        return new Match(route, captured, null);
    }

    /** A routed request ready for its endpoint, or the answer already known (unknown server, unreadable body). */
    private record Call(Route route, Request request, AuthorizationServer as, Response answer) {
        /** Calls the endpoint inside the one try/catch: OAuth errors become their answer, anything else a 500. */
        Response run() {
            try {
                return route.endpoint().handle(request, as);
            } catch (OAuthException e) {
                return ErrorResponses.of(e, as == null ? "clavis" : as.id());
            } catch (RuntimeException e) {
                return unexpected(request.method(), request.path(), e);
            }
        }
    }

    /** A 500 whose correlation id is also in the log line with the stack trace; the client sees neither. */
    private static Response unexpected(String method, String path, RuntimeException e) {
        String correlationId = Long.toHexString(RANDOM.nextLong());
        LOG.log(System.Logger.Level.ERROR, "unexpected failure, reference " + correlationId + ", on " + method + " " + path, e);
        return ErrorResponses.serverError(correlationId);
    }

    private Call prepare(HttpExchange exchange, Match match, Facts facts) {
        String path = exchange.getRequestURI().getRawPath();
        Route route = match.route();
        Map<String, String> captured = match.captured();
        facts.endpoint = route.name();
        AuthorizationServer as = null;
        if (captured.containsKey("as")) {
            as = servers.get(captured.get("as"));
            if (as == null) return new Call(route, null, null, ErrorResponses.notFound("no such authorization server"));
        }
        try {
            Request request = new Request(exchange.getRequestMethod(), path, captured, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), readBody(exchange, route.bodyLimit()),
                    exchange.getRemoteAddress().getAddress().getHostAddress(), facts.clientId, clientCertificates(exchange));
            return new Call(route, request, as, null);
        } catch (OAuthException e) {
            return new Call(route, null, as, ErrorResponses.of(e, as == null ? "clavis" : as.id()));
        } catch (RuntimeException e) {
            return new Call(route, null, as, unexpected(exchange.getRequestMethod(), path, e));
        }
    }

    /** The certificate chain the TLS client presented (RFC 8705), or null for plain HTTP or no certificate. */
    private static X509Certificate[] clientCertificates(HttpExchange exchange) {
        if (!(exchange instanceof HttpsExchange https)) return null;
        try {
            Certificate[] chain = https.getSSLSession().getPeerCertificates();
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                if (!(chain[i] instanceof X509Certificate c)) return null;
                x509[i] = c;
            }
            return x509;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** Reads the body, never more than {@code limit} bytes; past that the request is refused with 413. */
    private static byte[] readBody(HttpExchange exchange, int limit) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) throw tooLarge(limit);
            } catch (NumberFormatException e) {
                throw new OAuthException(OAuthError.INVALID_REQUEST, "malformed Content-Length");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) throw tooLarge(limit);
            return body;
        } catch (IOException e) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "the request body could not be read");
        }
    }

    private static OAuthException tooLarge(int limit) {
        return new OAuthException(OAuthError.INVALID_REQUEST, 413, "the request body is larger than " + limit + " bytes");
    }

    private static void write(HttpExchange exchange, Response response) throws IOException {
        Headers h = exchange.getResponseHeaders();
        response.headers().forEach(h::set);
        h.set("X-Content-Type-Options", "nosniff");
        h.putIfAbsent("Cache-Control", List.of("no-store"));
        if (response.status() == 413 || response.status() == 503) h.set("Connection", "close");
        byte[] body = "HEAD".equals(exchange.getRequestMethod()) ? new byte[0] : response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
