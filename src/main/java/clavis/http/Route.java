package clavis.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One row of the route table: a name (for logs and metrics), a path pattern whose {@code {name}} segments
 * capture a value ({@code {as}} is the authorization server id), a method, the largest body it reads, and its
 * endpoint. A route without {@code {as}} serves the whole process (health, metrics).
 */
public final class Route {
    private final String name;
    private final String method;
    private final int bodyLimit;
    private final Endpoint endpoint;
    /** Whether a request will wait for a database commit, known from the request (null: never). */
    private final Predicate<Request> waitsForCommit;
    private final boolean always;
    /** The pattern split at '/', once: matching runs on every request. */
    private final String[] segments;

    private Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint, Predicate<Request> waitsForCommit, boolean always) {
        this.name = name;
        this.method = method;
        this.bodyLimit = bodyLimit;
        this.endpoint = endpoint;
        this.waitsForCommit = waitsForCommit;
        this.always = always;
        this.segments = pattern.split("/", -1);
    }

    /** A route whose work is done on the CPU: answered on a request worker thread. */
    public Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {
        this(name, pattern, method, bodyLimit, endpoint, null, false);
    }

    /** A route that writes to the database and waits for the commit: answered on a writer thread. */
    public static Route writing(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {
        return new Route(name, pattern, method, bodyLimit, endpoint, r -> true, true);
    }

    /**
     * A route whose requests are CPU work unless {@code waitsForCommit} says otherwise once the body is read: those
     * move to a writer thread.
     */
    public static Route writingWhen(String name, String pattern, String method, int bodyLimit, Endpoint endpoint,
                                    Predicate<Request> waitsForCommit) {
        return new Route(name, pattern, method, bodyLimit, endpoint, waitsForCommit, false);
    }

    /** Whether every request waits for a commit, so it goes to a writer thread before its body is read. */
    public boolean alwaysWaitsForCommit() {
        return always;
    }

    /** Whether this request will wait for a database commit. */
    public boolean waitsForCommit(Request request) {
        return waitsForCommit != null && waitsForCommit.test(request);
    }

    public String name() {
        return name;
    }

    public String method() {
        return method;
    }

    public int bodyLimit() {
        return bodyLimit;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The captured segments when the path's {@code segments} match the pattern, otherwise null. Captures are never empty. */
    Map<String, String> match(String[] path) {
        if (segments.length != path.length) return null;
        Map<String, String> captured = null;
        for (int i = 0; i < segments.length; i++) {
            String want = segments[i];
            if (want.startsWith("{")) {
                if (path[i].isEmpty()) return null;
                if (captured == null) captured = new HashMap<>(4);
                captured.put(want.substring(1, want.length() - 1), path[i]);
            } else if (!want.equals(path[i])) {
                return null;
            }
        }
        return captured == null ? Map.of() : captured;
    }
}
