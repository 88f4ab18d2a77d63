package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/clavis.jar --server.dev-mode=true} with no configuration file: a token for any client from
 * any authorization server, verified against that server's JWKS. Run by {@code ./build.sh test} (failsafe).
 */
class DevModeJarIT {
    @TempDir
    Path dir;

    @Test
    void theJarInDevModeNeedsNoConfiguration() throws Exception {
        Path jar = Path.of(System.getProperty("clavis.jar", "target/clavis.jar"));
        assertTrue(Files.isRegularFile(jar), "run mvn package first: no " + jar);
        try (ChildProcess clavis = ChildProcess.startJar(jar, ChildProcess.freePort(), dir.resolve("clavis.log"), "--server.dev-mode=true")) {
            String issuer = clavis.url("/auth-login/rest/oauth2/authorization-servers/orders");
            Map<String, Object> metadata = TestServer.json(TestServer.get(issuer + "/.well-known/openid-configuration"));
            assertEquals(true, metadata.get("clavis_dev_mode"));
            HttpResponse<String> token = TestServer.postForm((String) metadata.get("token_endpoint"), TestServer.basic("my-service", "any"),
                    "grant_type=client_credentials&scope=orders:read");
            assertEquals(200, token.statusCode(), token.body());
            Map<String, Object> jwks = TestServer.json(TestServer.get((String) metadata.get("jwks_uri")));
            Map<String, Object> claims = JwtVerifier.verify((String) TestServer.json(token).get("access_token"), jwks).claims();
            assertEquals("my-service", claims.get("client_id"));
            assertEquals(issuer.replace("127.0.0.1", "localhost"), claims.get("iss"));
        }
    }
}
