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
    /** The pattern split at '/', once: matching runs on every request. */
    private final String[] segments;

    public Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {
        this.name = name;
        this.method = method;
        this.bodyLimit = bodyLimit;
        this.endpoint = endpoint;
        this.segments = pattern.split("/", -1);
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
