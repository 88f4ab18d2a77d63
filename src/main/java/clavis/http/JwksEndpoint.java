package clavis.http;

import clavis.oauth.AuthorizationServer;

/** {@code GET {issuer}/jwks}: the public keys resource servers verify tokens with (RFC 7517 section 5). */
public final class JwksEndpoint implements Endpoint {
    @Override
    public Response handle(Request request, AuthorizationServer as) {
        return Response.json(200, as.keys().jwks()).with("Cache-Control", "public, max-age=60");
    }
}
