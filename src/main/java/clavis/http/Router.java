package clavis.http;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.AuthorizationServers;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * The only HttpHandler and the only code that sees an HttpExchange. Every request goes through four steps inside
 * one try/catch: match the route; read it into a {@link Request} (body within the route's cap, a form parsed);
 * run its endpoint in its lane; write the response with the headers every response carries, and log it.
 *
 * <p>Threads: a request is read on the connection thread the HTTP server gives it (many, cheap: a slow sender
 * holds only its own). Its endpoint runs in its {@link Route.Lane}: work that waits (for a commit, a key fetch) or is
 * trivial runs right there; CPU-bound work goes through {@link ComputeSlots}, a few at once and in order, so the
 * cores are never oversubscribed and a request that waits never keeps the CPU-bound ones from running.
 *
 * <p>For tests of an embedded server, the Router also records what it answered ({@link RecordedRequests}) and
 * applies the faults a test injected ({@link Faults}) once the request is read: an answer in place of the
 * endpoint's, the endpoint's answer written later from a scheduler thread (no thread waits meanwhile), or the
 * connection closed without one.
 */
public final class Router implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("clavis.http");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthorizationServers servers;
    private final List<Route> routes;
    private final AccessLog accessLog;
    private final TrustedProxies proxies;
    /** Where CPU-bound endpoints run: a few at once, in order. */
    private final ComputeSlots computeSlots;
    /** Requests being answered; drain() waits for them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final RecordedRequests recorded;
    private final Faults faults;
    /** Writes delayed answers when they are due; made when the first one is. */
    private ScheduledExecutorService delayedAnswers;

    /**
     * @param servers finds the authorization server a path names
     * @param computeSlots how many requests compute at once
     * @param trustedProxies the peers whose forwarding headers are believed ({@code server.trusted-proxies})
     * @param recorded where answered requests are recorded for tests
     * @param faults the faults tests injected
     */
    public Router(AuthorizationServers servers, List<Route> routes, AccessLog accessLog, int computeSlots,
                  List<clavis.net.AddressRange> trustedProxies, RecordedRequests recorded, Faults faults) {
        this.proxies = new TrustedProxies(trustedProxies);
        this.servers = servers;
        this.routes = List.copyOf(routes);
        this.accessLog = accessLog;
        this.computeSlots = new ComputeSlots(computeSlots);
        this.recorded = recorded;
        this.faults = faults;
    }

    /** A matched route with its captures. */
    private record Match(Route route, Map<String, String> captured) {
    }

    @Override
    public void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        Call call = new Call(exchange, System.nanoTime());
        Response refused = call.guarded(call::prepare);
        if (refused != null) {
            call.finish(refused);
            return;
        }
        call.fault = faults.none() ? null : faults.take(call.route.name(), RecordedRequests.claimedClientId(call.request));
        if (call.fault != null && call.fault.kind() == Faults.Kind.RESPOND) {
            call.finish(ErrorResponses.injected(call.fault.status(), call.fault.error()));
        } else if (call.fault != null && call.fault.kind() == Faults.Kind.CLOSE) {
            call.drop();
        } else if (call.route.lane(call.request) == Route.Lane.WAIT) {
            call.answer();
        } else {
            computeSlots.submit(call::answer);
        }
    }

    /** One request on its way through the steps; its last two may run on another thread (a compute slot's). */
    private final class Call {
        final HttpExchange exchange;
        final long start;
        String endpoint = "none";
        /** The client's address: the peer's, or from a trusted proxy's headers. */
        String address;
        /** Whether the peer is a trusted proxy, whose headers say who the client is. */
        boolean viaProxy;
        Route route;
        AuthorizationServer as;
        Request request;
        /** The fault a test injected for this request, or null. */
        Faults.Fault fault;

        Call(HttpExchange exchange, long start) {
            this.exchange = exchange;
            this.start = start;
        }

        /** Steps 1 and 2; null, or the answer already known (no route, unknown server, unreadable body). */
        Response prepare() {
            java.net.InetAddress peer = exchange.getRemoteAddress().getAddress();
            viaProxy = proxies.trusts(peer);
            Headers headers = exchange.getRequestHeaders();
            address = viaProxy ? proxies.clientAddress(peer, headers.get("Forwarded"), headers.get("X-Forwarded-For")) : peer.getHostAddress();
            if (draining) throw new Answer(ErrorResponses.shuttingDown());
            Match match = match(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            route = match.route();
            endpoint = route.name();
            as = authorizationServer(match);
            request = read(exchange, match, address, viaProxy);
            return null;
        }

        /** Steps 3 and 4: the endpoint's answer, then writing it. */
        void answer() {
            finish(guarded(() -> route.endpoint().handle(request, as)));
        }

        /** The one try/catch: an OAuth error becomes its answer, anything else a 500 with a reference. */
        Response guarded(java.util.function.Supplier<Response> work) {
            try {
                return work.get();
            } catch (Answer a) {
                return a.response;
            } catch (OAuthException e) {
                return ErrorResponses.of(e, as == null ? "clavis" : as.id());
            } catch (RuntimeException e) {
                return unexpected(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            }
        }

        /** Step 4, now or, for a delayed fault, from the scheduler when the delay is over. */
        void finish(Response response) {
            if (fault != null && fault.kind() == Faults.Kind.DELAY) {
                try {
                    delayed().schedule(() -> write(response), fault.delay().toNanos(), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    write(response); // stopping: answer now
                }
            } else {
                write(response);
            }
        }

        private void write(Response response) {
            String clientId = response.clientId() != null ? response.clientId() : request == null ? null : request.pathParams().get("client_id");
            recorded.record(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), endpoint, as == null ? null : as.id(),
                    request, response, fault != null);
            Router.this.write(exchange, response, start, endpoint, clientId, address);
        }

        /** A fault's closed connection: no answer at all (the JDK server closes a connection whose exchange ends unanswered). */
        void drop() {
            recorded.record(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), endpoint, as == null ? null : as.id(),
                    request, null, true);
            accessLog.record(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), 0, System.nanoTime() - start, endpoint, null,
                    address);
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    /** Step 1: the route for this method and path, or the answer (404, 405). */
    private Match match(String method, String path) {
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
        if (allowed.isEmpty()) throw new Answer(ErrorResponses.notFound("no such endpoint"));
        if (route == null) throw new Answer(ErrorResponses.methodNotAllowed(String.join(", ", allowed)));
        return new Match(route, captured);
    }

    /** The authorization server the path names, null for process-wide routes; 404 for an unknown one. */
    private AuthorizationServer authorizationServer(Match match) {
        String id = match.captured().get("as");
        if (id == null) return null;
        AuthorizationServer as = servers.find(id);
        if (as == null) throw new Answer(ErrorResponses.notFound("no such authorization server"));
        return as;
    }

    /**
     * Step 2: the exchange as a {@link Request}, its body read within the cap and a form parsed. Behind a trusted
     * proxy, the client certificate is the one it forwarded (RFC 9440), never the connection's own.
     */
    private Request read(HttpExchange exchange, Match match, String address, boolean viaProxy) {
        Route route = match.route();
        Headers headers = exchange.getRequestHeaders();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        byte[] body = ExchangeInput.body(exchange, headers, route.bodyLimit());
        X509Certificate[] chain = viaProxy ? proxies.forwardedCertificates(headers.get("Client-Cert"), headers.get("Client-Cert-Chain"))
                : ExchangeInput.clientCertificates(exchange);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), match.captured(), rawQuery,
                Collections.unmodifiableMap(headers), body, Map.of(), Map.of(), address, chain);
        if (route.body() != Route.Body.FORM) return request;
        // RFC 6749 section 2.3.1 and appendix B: parameters in an application/x-www-form-urlencoded body, never the URL.
        if (rawQuery != null) throw new OAuthException(OAuthError.INVALID_REQUEST, "parameters must be sent in the request body, not the URL");
        if (!request.hasContentType("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "Content-Type must be application/x-www-form-urlencoded");
        }
        Form.Parsed form = Form.parse(body);
        return new Request(request.method(), request.path(), request.pathParams(), rawQuery, request.headers(), body, form.values(),
                form.repeated(), request.remoteAddress(), request.clientCertificates());
    }

    /**
     * Step 4: the access log line and the latency (up to the answer being ready, so that whoever reads the metrics
     * after the answer sees it counted), then the response with the headers every response carries.
     */
    private void write(HttpExchange exchange, Response response, long start, String endpoint, String clientId, String address) {
        accessLog.record(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), response.status(),
                System.nanoTime() - start, endpoint, clientId, address);
        try {
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
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.getMessage());
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private synchronized ScheduledExecutorService delayed() {
        if (delayedAnswers == null) {
            delayedAnswers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "clavis-delayed-answers");
                t.setDaemon(true);
                return t;
            });
        }
        return delayedAnswers;
    }

    /** Stops the scheduler of delayed answers; call after {@link #drain}. */
    public synchronized void close() {
        if (delayedAnswers != null) delayedAnswers.shutdownNow();
    }

    /** Requests being answered now. */
    public int inFlight() {
        return inFlight.get();
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

    /** A 500 whose correlation id is also in the log line with the stack trace; the client sees neither. */
    private static Response unexpected(String method, String path, RuntimeException e) {
        String correlationId = Long.toHexString(RANDOM.nextLong());
        LOG.log(System.Logger.Level.ERROR, "unexpected failure, reference " + correlationId + ", on " + method + " " + path, e);
        return ErrorResponses.serverError(correlationId);
    }

    /** A request answered before it reaches an endpoint (no route, unknown server, shutting down). */
    private static final class Answer extends RuntimeException {
        final transient Response response;

        Answer(Response response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}
