package clavis.oauth;

/** Finds an authorization server by the id a request's path names. */
@FunctionalInterface
public interface AuthorizationServers {
    /** The authorization server {@code id}, or null when there is none. */
    AuthorizationServer find(String id);
}
