package clavis.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import clavis.oauth.Events;

/**
 * Counters and per-endpoint latency histograms, exposed in the Prometheus text format (version 0.0.4). Small on
 * purpose: lock-free adders on the hot path, all formatting at scrape time.
 */
public final class Metrics implements Events {
    /** Histogram bucket upper bounds in seconds. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final ConcurrentHashMap<String, LongAdder> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> registrations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> authFailures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> throttled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();
    private volatile IntSupplier inFlight = () -> 0;

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    @Override
    public void tokenIssued(String asId) {
        inc(tokens, label("as", asId));
    }

    @Override
    public void clientRegistered(String asId) {
        inc(registrations, label("as", asId));
    }

    @Override
    public void authenticationFailed(String asId, String reason) {
        inc(authFailures, label("as", asId) + "," + label("reason", reason));
    }

    @Override
    public void throttled(String asId) {
        inc(throttled, label("as", asId));
    }

    /** Records one answered request of {@code endpoint} (a route name, or "none" for unrouted requests). */
    public void observe(String endpoint, double seconds) {
        latency.computeIfAbsent(endpoint, e -> new Histogram()).observe(seconds);
    }

    /** Where the gauge of requests being answered reads from (the Router, made after this). */
    public void countInFlight(IntSupplier requestsInFlight) {
        this.inFlight = requestsInFlight;
    }

    /** The exposition, metrics and series in a stable order. */
    public String exposition() {
        StringBuilder out = new StringBuilder(4096);
        counter(out, "clavis_tokens_issued_total", "Access tokens issued.", tokens);
        counter(out, "clavis_registrations_total", "Clients registered.", registrations);
        counter(out, "clavis_client_authentication_failures_total", "Failed client authentications, by reason.", authFailures);
        counter(out, "clavis_throttled_requests_total", "Requests refused with 429: repeated authentication failures, or registrations beyond an address's rate.", throttled);
        out.append("# HELP clavis_http_requests_in_flight Requests being answered, this one included.\n");
        out.append("# TYPE clavis_http_requests_in_flight gauge\n");
        out.append("clavis_http_requests_in_flight ").append(inFlight.getAsInt()).append('\n');
        out.append("# HELP clavis_http_request_duration_seconds Time to answer a request, by endpoint.\n");
        out.append("# TYPE clavis_http_request_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            String endpoint = label("endpoint", e.getKey());
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += h.buckets[i].sum();
                out.append("clavis_http_request_duration_seconds_bucket{").append(endpoint).append(",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long count = h.count.sum();
            out.append("clavis_http_request_duration_seconds_bucket{").append(endpoint).append(",le=\"+Inf\"} ").append(count).append('\n');
            out.append("clavis_http_request_duration_seconds_sum{").append(endpoint).append("} ").append(h.sum.sum()).append('\n');
            out.append("clavis_http_request_duration_seconds_count{").append(endpoint).append("} ").append(count).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, LongAdder> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(series).entrySet()) {
            out.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
        }
    }

    private static void inc(ConcurrentHashMap<String, LongAdder> series, String labels) {
        series.computeIfAbsent(labels, l -> new LongAdder()).increment();
    }

    /** A label pair with the value escaped as the text format requires. */
    static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
