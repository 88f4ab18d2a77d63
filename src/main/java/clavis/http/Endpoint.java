package clavis.http;

import clavis.oauth.AuthorizationServer;

/** One endpoint: a plain function from a routed request to a response. Throws OAuthException to refuse. */
@FunctionalInterface
public interface Endpoint {
    Response handle(Request request, AuthorizationServer as);
}
