package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients and keys live in the database: a restart loses neither. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void afterRestartTheSecretStillWorksAndAnEarlierTokenStillVerifies() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            String earlier = (String) server.token(client[0], client[1]).get("access_token");
            Map<String, Object> jwksBefore = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));

            server.restart();

            Map<String, Object> jwksAfter = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));
            assertEquals(jwksBefore, jwksAfter, "the same key is published after a restart");
            JwtVerifier.verify(earlier, jwksAfter);
            String later = (String) server.token(client[0], client[1]).get("access_token");
            JwtVerifier.verify(later, jwksAfter);
        }
    }

    @Test
    void changingTheAlgorithmKeepsTheOldKeyPublishedForTheTokensItSigned() throws Exception {
        String earlier;
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            earlier = (String) server.token(client[0], client[1]).get("access_token");
            server.properties.put("as.myAS.signing-alg", "ES256");
            server.restart();
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));
            assertEquals(2, ((java.util.List<?>) jwks.get("keys")).size());
            JwtVerifier.verify(earlier, jwks);
            String later = (String) server.token(client[0], client[1]).get("access_token");
            assertEquals("ES256", JwtVerifier.verify(later, jwks).header().get("alg"));
        }
    }
}
