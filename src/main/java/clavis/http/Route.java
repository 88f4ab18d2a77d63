package clavis.http;

/**
 * One row of the route table: a path pattern with {@code {as}}, a method, the largest body it reads, and its
 * endpoint.
 */
public record Route(String pattern, String method, int bodyLimit, Endpoint endpoint) {

    /** The authorization server id when {@code path} matches the pattern, otherwise null. */
    String match(String path) {
        int star = pattern.indexOf(Paths.AS);
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + Paths.AS.length());
        if (path.length() <= prefix.length() + suffix.length() || !path.startsWith(prefix) || !path.endsWith(suffix)) {
            return null;
        }
        String id = path.substring(prefix.length(), path.length() - suffix.length());
        return id.indexOf('/') >= 0 ? null : id;
    }
}
