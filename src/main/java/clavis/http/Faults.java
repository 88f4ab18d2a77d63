package clavis.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Faults a test injects into an embedded server ({@code Clavis.faults()}), for its client's retry and timeout logic:
 * for the next N requests to an endpoint, or from a client, answer a given status and OAuth error, delay the answer,
 * or close the connection without one; then back to normal. Rules apply in the order given, each to its next N
 * matching requests. A delayed answer holds no thread while it waits: the Router answers it later from a scheduler.
 *
 * <pre>{@code
 * server.faults().on("token").times(2).respond(503, "temporarily_unavailable");
 * server.faults().on("token").forClient(id).delay(Duration.ofSeconds(2));
 * server.faults().on("jwks").closeConnection();
 * }</pre>
 */
public final class Faults {
    /** What a fault does instead of (or to) the normal answer. */
    public enum Kind { RESPOND, DELAY, CLOSE }

    /** One rule with its remaining count. {@code endpoint} and {@code clientId} are null for "any". */
    record Fault(String endpoint, String clientId, int remaining, Kind kind, int status, String error, Duration delay) {
        boolean matches(String routeName, String claimedClientId) {
            return (endpoint == null || endpoint.equals(routeName)) && (clientId == null || clientId.equals(claimedClientId));
        }
    }

    private final Set<String> endpoints;
    private final int requestSeconds;
    private final List<Fault> rules = new ArrayList<>();
    /** Whether any rule is left: read without the lock on every request, so that no fault costs nothing. */
    private volatile boolean any;

    /**
     * @param endpoints the route names a rule may name
     * @param requestSeconds the JDK server's response time limit: a delay of that or more is refused, since the
     *                       server would close the connection first
     */
    public Faults(Set<String> endpoints, int requestSeconds) {
        this.endpoints = Set.copyOf(endpoints);
        this.requestSeconds = requestSeconds;
    }

    /**
     * A rule for requests to {@code endpoint}: a route name, such as {@code token}, {@code introspect},
     * {@code revoke}, {@code register}, {@code client_configuration}, {@code jwks} or {@code metadata}.
     */
    public Rule on(String endpoint) {
        if (!endpoints.contains(endpoint)) throw new IllegalArgumentException("no endpoint '" + endpoint + "'; there are " + endpoints);
        return new Rule(endpoint, null, 1);
    }

    /** A rule for requests from {@code clientId} (the one claimed, before authentication), to any endpoint. */
    public Rule forClient(String clientId) {
        return new Rule(null, java.util.Objects.requireNonNull(clientId), 1);
    }

    /** Removes every rule: requests are answered normally again. */
    public synchronized void clear() {
        rules.clear();
        any = false;
    }

    /** How many faults the rules still hold (the sum of their remaining counts). */
    public synchronized int pending() {
        int n = 0;
        for (Fault f : rules) n += f.remaining();
        return n;
    }

    /** Whether no rule is left (then {@link #take} would give null). */
    boolean none() {
        return !any;
    }

    /** The fault for this request, used up, or null: the first rule that matches. */
    synchronized Fault take(String routeName, String claimedClientId) {
        for (int i = 0; i < rules.size(); i++) {
            Fault f = rules.get(i);
            if (!f.matches(routeName, claimedClientId)) continue;
            if (f.remaining() == 1) rules.remove(i);
            else rules.set(i, new Fault(f.endpoint(), f.clientId(), f.remaining() - 1, f.kind(), f.status(), f.error(), f.delay()));
            any = !rules.isEmpty();
            return f;
        }
        return null;
    }

    private synchronized void add(Fault fault) {
        rules.add(fault);
        any = true;
    }

    /** A rule being written: what it matches and how often, then what it does (which adds it). */
    public final class Rule {
        private final String endpoint;
        private final String clientId;
        private final int times;

        private Rule(String endpoint, String clientId, int times) {
            this.endpoint = endpoint;
            this.clientId = clientId;
            this.times = times;
        }

        /** Only requests from {@code id} (the client_id claimed: HTTP Basic, the form, or the path). */
        public Rule forClient(String id) {
            return new Rule(endpoint, java.util.Objects.requireNonNull(id), times);
        }

        /** For the next {@code n} matching requests (default 1). */
        public Rule times(int n) {
            if (n < 1) throw new IllegalArgumentException("times must be at least 1");
            return new Rule(endpoint, clientId, n);
        }

        /** Answer {@code status} with {@code {"error": error}} instead of running the endpoint. */
        public void respond(int status, String error) {
            if (status < 400 || status > 599) throw new IllegalArgumentException("a fault answers an error status (400-599), not " + status);
            if (error == null || error.isBlank()) throw new IllegalArgumentException("name the OAuth error, e.g. temporarily_unavailable");
            add(new Fault(endpoint, clientId, times, Kind.RESPOND, status, error, null));
        }

        /**
         * Answer normally, but {@code delay} later. Refused at or beyond {@code limits.request-seconds}: the JDK server
         * would close the connection first (use {@link #closeConnection()} for that).
         */
        public void delay(Duration delay) {
            if (delay.isNegative() || delay.isZero()) throw new IllegalArgumentException("a delay must be positive");
            if (delay.compareTo(Duration.ofSeconds(requestSeconds)) >= 0) {
                throw new IllegalArgumentException("a delay of " + delay.toMillis() + " ms is not below limits.request-seconds ("
                        + requestSeconds + " s): the server would close the connection first");
            }
            add(new Fault(endpoint, clientId, times, Kind.DELAY, 0, null, delay));
        }

        /** Close the connection without an answer (after reading the request). */
        public void closeConnection() {
            add(new Fault(endpoint, clientId, times, Kind.CLOSE, 0, null, null));
        }
    }
}
