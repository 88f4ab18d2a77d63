package clavis.http;

import clavis.log.LogText;
import clavis.ops.Metrics;

/**
 * One line per request (method, path, status, duration, the client's address, client_id) and the latency histogram.
 * The address is the client's, also behind a trusted proxy ({@link TrustedProxies}). Never logs a
 * query string, header or body, so no secret, token or Authorization value can reach the log. Every field is
 * escaped ({@link LogText}), so a client cannot break the line or forge another one.
 *
 * <p>Not an HttpServer {@code Filter}: JDK 17 keeps exchange attributes per context, shared by all concurrent
 * exchanges, so a filter cannot learn per-request facts (the route, the client) safely. The Router calls this.
 */
public final class AccessLog {
    private static final System.Logger LOG = System.getLogger("clavis.access");

    private final Metrics metrics;
    private final boolean log;

    public AccessLog(Metrics metrics, boolean log) {
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * @param status 0 when no response could be written
     * @param address the client's address, or null when not known
     */
    void record(String method, String path, int status, long nanos, String endpoint, String clientId, String address) {
        metrics.observe(endpoint, nanos / 1e9);
        if (log && LOG.isLoggable(System.Logger.Level.INFO)) {
            // Concatenation, not String.format: this runs on every request.
            long tenths = nanos / 100_000;
            LOG.log(System.Logger.Level.INFO, LogText.escape(method) + " " + LogText.escape(path) + " " + status + " " + tenths / 10
                    + "." + tenths % 10 + "ms from=" + (address == null ? "-" : address) + " client_id=" + (clientId == null ? "-" : LogText.escape(clientId)));
        }
    }
}
