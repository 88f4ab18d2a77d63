package clavis.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One row of the route table: a name (for logs and metrics), a path pattern whose {@code {name}} segments capture a
 * value ({@code {as}} is the authorization server id), a method, what its body is and the most of it that is read,
 * its endpoint, and its lane. A route without {@code {as}} serves the whole process (health, metrics).
 */
public final class Route {
    /** What a request's body is: the Router reads it within the cap, and parses a form. */
    public enum Body { NONE, FORM, JSON }

    /**
     * Where the endpoint runs. Both run on the request's connection thread; {@code CPU} also holds one of the few
     * compute slots while it runs, {@code WAIT} holds none, because its time goes to waiting (for a database commit,
     * a key fetch) or is trivial: a request that waits never keeps the CPU-bound ones from running.
     */
    public enum Lane { CPU, WAIT }

    private final String name;
    private final String method;
    private final Body body;
    private final int bodyLimit;
    private final Endpoint endpoint;
    /** Which requests wait rather than compute; decided from the parsed request. */
    private final Predicate<Request> waits;
    /** The pattern split at '/', once: matching runs on every request. */
    private final String[] segments;

    private Route(String name, String pattern, String method, Body body, int bodyLimit, Endpoint endpoint, Predicate<Request> waits) {
        this.name = name;
        this.method = method;
        this.body = body;
        this.bodyLimit = bodyLimit;
        this.endpoint = endpoint;
        this.waits = waits;
        this.segments = pattern.split("/", -1);
    }

    /** A GET (no body) that computes, such as the JWKS or the metadata. */
    public static Route get(String name, String pattern, Endpoint endpoint) {
        return new Route(name, pattern, "GET", Body.NONE, 0, endpoint, r -> false);
    }

    /** A GET that waits or is trivial (health, metrics): it takes no compute slot, so it answers under load. */
    public static Route getWaiting(String name, String pattern, Endpoint endpoint) {
        return new Route(name, pattern, "GET", Body.NONE, 0, endpoint, r -> true);
    }

    /**
     * A POST with a form body (RFC 6749 appendix B): the token, introspection and revocation endpoints.
     *
     * @param waits the requests that wait (for the commit of a jti, say) rather than compute
     */
    public static Route form(String name, String pattern, int bodyLimit, Endpoint endpoint, Predicate<Request> waits) {
        return new Route(name, pattern, "POST", Body.FORM, bodyLimit, endpoint, waits);
    }

    /** A POST with a JSON body that computes (dev mode's token endpoint signs). */
    public static Route json(String name, String pattern, int bodyLimit, Endpoint endpoint) {
        return new Route(name, pattern, "POST", Body.JSON, bodyLimit, endpoint, r -> false);
    }

    /** A request with a JSON body, or none, that writes to the database and waits for the commit. */
    public static Route writing(String name, String pattern, String method, Body body, int bodyLimit, Endpoint endpoint) {
        return new Route(name, pattern, method, body, bodyLimit, endpoint, r -> true);
    }

    /** The lane this request runs in. */
    public Lane lane(Request request) {
        return waits.test(request) ? Lane.WAIT : Lane.CPU;
    }

    public String name() {
        return name;
    }

    public String method() {
        return method;
    }

    public Body body() {
        return body;
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
