package clavis.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/** A key as made (its public half taken from the generator) and as read back from its stored private JWK. */
class SigningKeyTest {
    @Test
    void aNewKeyPublishesThePublicKeyThatItsStoredFormGivesBack() {
        SecureRandom random = new SecureRandom();
        byte[] input = "header.claims".getBytes(StandardCharsets.US_ASCII);
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            SigningKey made = SigningKey.generate(alg, random);
            SigningKey read = SigningKey.fromPrivateJwk(alg, made.privateJwk(), random);
            assertEquals(read.publicJwk(), made.publicJwk(), alg.name());
            assertEquals(read.kid(), made.kid(), alg.name());
            assertTrue(read.verify(input, made.sign(input)), alg + ": the key read back verifies what the new key signed");
            assertTrue(made.verify(input, read.sign(input)), alg + ": the new key verifies what the key read back signed");
        }
    }
}
