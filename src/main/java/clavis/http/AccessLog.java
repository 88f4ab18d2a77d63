package clavis.http;

import java.io.IOException;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import clavis.ops.Metrics;

/**
 * One line per request (method, path, status, duration, client_id) and the latency histogram. Never logs a
 * query string, header or body, so no secret, token or Authorization value can reach the log.
 */
public final class AccessLog extends Filter {
    private static final System.Logger LOG = System.getLogger("clavis.access");

    private final Metrics metrics;
    private final boolean log;

    public AccessLog(Metrics metrics, boolean log) {
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(exchange);
        } finally {
            long nanos = System.nanoTime() - start;
            Object endpoint = exchange.getAttribute(Router.ENDPOINT_ATTRIBUTE);
            metrics.observe(endpoint == null ? "none" : endpoint.toString(), nanos / 1e9);
            if (log && LOG.isLoggable(System.Logger.Level.INFO)) {
                Object clientId = exchange.getAttribute(Router.CLIENT_ID_ATTRIBUTE);
                LOG.log(System.Logger.Level.INFO, String.format("%s %s %d %.1fms client_id=%s", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), exchange.getResponseCode(), nanos / 1e6, clientId == null ? "-" : clientId));
            }
        }
    }

    @Override
    public String description() {
        return "Clavis access log and latency metrics";
    }
}
