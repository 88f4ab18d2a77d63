package clavis.http;

import java.util.HashMap;
import java.util.Map;

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
    private final boolean waitsForCommit;
    /** The pattern split at '/', once: matching runs on every request. */
    private final String[] segments;

    private Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint, boolean waitsForCommit) {
        this.name = name;
        this.method = method;
        this.bodyLimit = bodyLimit;
        this.endpoint = endpoint;
        this.waitsForCommit = waitsForCommit;
        this.segments = pattern.split("/", -1);
    }

    /** A route whose work is done on the CPU: answered on a request worker thread. */
    public Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {
        this(name, pattern, method, bodyLimit, endpoint, false);
    }

    /** A route that writes to the database and waits for the commit: answered on a writer thread. */
    public static Route writing(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {
        return new Route(name, pattern, method, bodyLimit, endpoint, true);
    }

    public boolean waitsForCommit() {
        return waitsForCommit;
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
