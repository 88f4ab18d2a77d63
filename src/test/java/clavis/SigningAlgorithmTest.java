package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported algorithm signs tokens that plain java.security verifies against the JWKS. */
class SigningAlgorithmTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    @SuppressWarnings("unchecked")
    void tokenVerifiesAgainstTheJwks(String alg) throws Exception {
        try (TestServer server = TestServer.start(dir, "as.myAS.signing-alg", alg)) {
            String[] client = server.registerClient();
            String token = (String) server.token(client[0], client[1]).get("access_token");
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.clavis.jwksUri("myAS")));
            JwtVerifier.Verified jwt = JwtVerifier.verify(token, jwks);
            assertEquals(alg, jwt.header().get("alg"));
            assertEquals(client[0], jwt.claims().get("sub"));
            Map<String, Object> jwk = (Map<String, Object>) ((List<Object>) jwks.get("keys")).get(0);
            assertEquals(JwtVerifier.thumbprint(jwk), jwk.get("kid"));
            assertEquals(jwk.get("kid"), jwt.header().get("kid"));

            // A flipped byte in the payload must fail verification: the check above is real.
            String[] parts = token.split("\\.");
            char[] payload = parts[1].toCharArray();
            payload[5] = payload[5] == 'A' ? 'B' : 'A';
            String tampered = parts[0] + "." + new String(payload) + "." + parts[2];
            assertThrows(AssertionError.class, () -> JwtVerifier.verify(tampered, jwks));
        }
    }
}
