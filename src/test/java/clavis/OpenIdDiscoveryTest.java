package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/**
 * The metadata at OpenID Connect Discovery's places too (item 5 of the test-double issue): after the issuer and
 * inserted before the issuer's path, the same document as RFC 8414's, so clients that only know OIDC discovery work.
 */
class OpenIdDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void openIdConfigurationAfterTheIssuerAndBeforeItsPathIsTheSameMetadata() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> rfc8414 = TestServer.get(server.url(Paths.METADATA_UNDER_ISSUER, "myAS"));
            assertEquals(200, rfc8414.statusCode());
            String issuer = server.clavis.issuer("myAS");
            HttpResponse<String> afterIssuer = TestServer.get(issuer + "/.well-known/openid-configuration");
            HttpResponse<String> beforePath = TestServer.get(server.url("/.well-known/openid-configuration/auth-login/rest/oauth2/authorization-servers/myAS"));
            for (HttpResponse<String> r : new HttpResponse[] {afterIssuer, beforePath}) {
                assertEquals(200, r.statusCode(), r.uri().toString());
                assertEquals(rfc8414.body(), r.body(), r.uri().toString());
                assertEquals(issuer, TestServer.json(r).get("issuer"), "the issuer a discovering client checks");
                assertEquals("public, max-age=60", r.headers().firstValue("Cache-Control").orElse(null));
            }
        }
    }

    @Test
    void anUnknownServersOpenIdConfigurationIs404AndTheServerStillAnswers() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> r = TestServer.get(server.url("/.well-known/openid-configuration/auth-login/rest/oauth2/authorization-servers/nope"));
            assertEquals(404, r.statusCode());
            assertEquals(405, TestServer.postForm(server.url(Paths.OPENID_UNDER_ISSUER, "myAS"), null, "a=b").statusCode());
            server.assertAlive();
        }
    }
}
