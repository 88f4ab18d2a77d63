package clavis.http;

import java.util.HashMap;
import java.util.Map;

/**
 * One row of the route table: a name (for logs and metrics), a path pattern whose {@code {name}} segments
 * capture a value ({@code {as}} is the authorization server id), a method, the largest body it reads, and its
 * endpoint. A route without {@code {as}} serves the whole process (health, metrics).
 */
public record Route(String name, String pattern, String method, int bodyLimit, Endpoint endpoint) {

    /** The captured segments when {@code path} matches the pattern, otherwise null. Captures are never empty. */
    Map<String, String> match(String path) {
        String[] want = pattern.split("/", -1);
        String[] have = path.split("/", -1);
        if (want.length != have.length) return null;
        Map<String, String> captured = null;
        for (int i = 0; i < want.length; i++) {
            String w = want[i];
            if (w.startsWith("{") && w.endsWith("}")) {
                if (have[i].isEmpty()) return null;
                if (captured == null) captured = new HashMap<>(4);
                captured.put(w.substring(1, w.length() - 1), have[i]);
            } else if (!w.equals(have[i])) {
                return null;
            }
        }
        return captured == null ? Map.of() : captured;
    }
}
