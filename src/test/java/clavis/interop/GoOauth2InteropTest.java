package clavis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's stock golang.org/x/oauth2/clientcredentials against a real Clavis, as Debian packages it (GOPATH mode over
 * /usr/share/gocode, offline). Its default sends the secret by HTTP Basic first and then in the body, once per
 * process: a client_secret_post client costs one refused attempt at every start, which must not add up to a
 * throttled client. The client is src/test/go/clientcredentials.go.
 */
class GoOauth2InteropTest {
    private static final String SOURCE = "src/test/go/clientcredentials.go";
    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final String PACKAGES = "apt-get install golang-go golang-golang-x-oauth2-dev";
    private static final int CLIENT_FAILURES = 3;

    @TempDir
    Path dir;

    /** The client, built offline against Debian's golang.org/x/oauth2. */
    private Path client() {
        if (!Files.isDirectory(GOPATH.resolve("src/golang.org/x/oauth2/clientcredentials"))
                || !ExternalClient.works(List.of("go", "version"), dir)) {
            ExternalClient.missing("Go with golang.org/x/oauth2", PACKAGES);
        }
        Path binary = dir.resolve("clientcredentials");
        ExternalClient.run(List.of("go", "build", "-o", binary.toString(), Path.of(SOURCE).toAbsolutePath().toString()), dir,
                Map.of("GO111MODULE", "off", "GOPATH", GOPATH.toString(), "GOCACHE", dir.resolve("go-cache").toString(),
                        "GOPROXY", "off", "GOFLAGS", "", "CGO_ENABLED", "0")).assertSucceeded("building " + SOURCE);
        return binary;
    }

    private static ExternalClient.Run token(Path client, ClavisUnderTest server, String[] credentials, Path dir) {
        return ExternalClient.run(List.of(client.toString(), server.clavis.tokenEndpoint(ClavisUnderTest.AS), credentials[0], credentials[1],
                "api.read"), dir, Map.of());
    }

    @Test
    void theStockClientGetsATokenForBasicAndPostClientsEveryTimeItStarts() throws Exception {
        Path client = client();
        try (ClavisUnderTest server = new ClavisUnderTest(dir, "throttle.client-failures", Integer.toString(CLIENT_FAILURES))) {
            String[] basic = server.register("{\"client_name\":\"go basic\"}");
            ExternalClient.Run run = token(client, server, basic, dir).assertSucceeded("a token for a client_secret_basic client");
            run.assertPrinted("ok token_type=Bearer expires_in=3600 client_id=" + basic[0] + " scope=api.read");
            String accessToken = run.output().lines().filter(l -> l.startsWith("access_token=")).findFirst().orElseThrow().substring(13);
            Map<String, Object> introspected = server.introspect(basic, accessToken);
            assertEquals(true, introspected.get("active"));
            assertEquals(basic[0], introspected.get("client_id"));

            String[] post = server.register("{\"client_name\":\"go post\",\"token_endpoint_auth_method\":\"client_secret_post\"}");
            for (int start = 1; start <= CLIENT_FAILURES + 2; start++) {
                ExternalClient.Run again = token(client, server, post, dir).assertSucceeded("start " + start + " of a client_secret_post client");
                again.assertPrinted("ok token_type=Bearer expires_in=3600 client_id=" + post[0]);
            }
            assertTrue(server.clavis.metrics().contains("reason=\"wrong_method\"} " + (CLIENT_FAILURES + 2)),
                    "each start tried Basic first, refused, and then sent its secret in the body");
        }
    }
}
