package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;

/** docs/use-in-tests.md, "Discovery": a client that only knows OpenID Connect discovery finds the JWKS. */
class DiscoveryExampleTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.withAuthorizationServer("myAS", "orders.read");

    @Test
    void anOidcMindedClientFindsTheKeysFromTheIssuerAlone(Clavis server) {
        String authority = server.issuer("myAS"); // what .NET's Authority, go-oidc or Authlib are given
        Map<String, Object> metadata = Http.json(Http.get(authority + "/.well-known/openid-configuration"));
        assertEquals(authority, metadata.get("issuer"));
        assertEquals(server.jwksUri("myAS"), metadata.get("jwks_uri"));
        assertEquals(200, Http.get((String) metadata.get("jwks_uri")).statusCode());
    }
}
