package clavis.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** RSA keys are 2048 to 4096 bits with exponent 65537, from a JWK or a certificate, and signatures as long as the modulus. */
class PublicJwkTest {
    private static final BigInteger F4 = BigInteger.valueOf(65537);

    /** An odd number of exactly {@code bits} bits: the bounds are checked before any arithmetic, so it need not be a real modulus. */
    private static BigInteger odd(int bits) {
        return new BigInteger(bits, new Random(bits)).setBit(bits - 1).setBit(0);
    }

    private static Map<String, Object> jwk(BigInteger n, BigInteger e) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("n", Base64Url.encode(Base64Url.unsigned(n)));
        jwk.put("e", Base64Url.encode(Base64Url.unsigned(e)));
        return jwk;
    }

    private static PublicKey rsaPublicKey(BigInteger n, BigInteger e) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    @Test
    void rsaModuliOf2048To4096BitsWithExponent65537AreAccepted() {
        for (int bits : new int[] {2048, 3072, 4096}) {
            PublicJwk key = PublicJwk.parse(jwk(odd(bits), F4));
            assertTrue(key.fits(SigningAlgorithm.RS256), bits + " bits");
        }
    }

    @Test
    void rsaModuliOutsideTheBoundsAreRefused() {
        for (int bits : new int[] {1024, 2047, 4097, 8192, 16384}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublicJwk.parse(jwk(odd(bits), F4)), bits + " bits");
            assertTrue(e.getMessage().contains("2048 to 4096 bits"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PublicJwk.parse(jwk(odd(2048).clearBit(0), F4)), "an even modulus");
    }

    @Test
    void rsaExponentsOtherThan65537AreRefused() {
        BigInteger[] exponents = {BigInteger.ONE, BigInteger.valueOf(3), BigInteger.valueOf(17), BigInteger.valueOf(65536),
                BigInteger.valueOf(65539), BigInteger.ONE.shiftLeft(32).add(BigInteger.ONE), odd(19_600)};
        for (BigInteger e : exponents) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> PublicJwk.parse(jwk(odd(2048), e)), "e = " + e.bitLength() + " bits");
            assertTrue(refused.getMessage().contains("65537"), refused.getMessage());
        }
    }

    @Test
    void theSameBoundsHoldForACertificatesKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, F4));
        RSAPublicKey generated = (RSAPublicKey) g.generateKeyPair().getPublic();
        PublicJwk accepted = PublicJwk.of(generated);
        assertEquals(PublicJwk.parse(jwk(generated.getModulus(), F4)).thumbprint(), accepted.thumbprint());

        assertThrows(IllegalArgumentException.class, () -> PublicJwk.of(rsaPublicKey(odd(2048), BigInteger.valueOf(3))), "exponent 3");
        assertThrows(IllegalArgumentException.class, () -> PublicJwk.of(rsaPublicKey(odd(2048), odd(2000))), "a huge exponent");
        assertThrows(IllegalArgumentException.class, () -> PublicJwk.of(rsaPublicKey(odd(1024), F4)), "1024 bits");
        assertThrows(IllegalArgumentException.class, () -> PublicJwk.of(rsaPublicKey(odd(4097), F4)), "4097 bits");
    }

    @Test
    void anRsaSignatureIsRefusedUnlessExactlyAsLongAsTheModulus() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair(); // 2048 bits, 65537
        PublicJwk key = PublicJwk.of(pair.getPublic());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        // About one signature in 256 starts with a zero byte; without it the same number is one byte short.
        for (int i = 0; ; i++) {
            byte[] input = ("input " + i).getBytes(StandardCharsets.US_ASCII);
            signer.update(input);
            byte[] signature = signer.sign();
            assertTrue(key.verify(SigningAlgorithm.RS256, input, signature));
            if (signature[0] != 0) continue;
            assertFalse(key.verify(SigningAlgorithm.RS256, input, Arrays.copyOfRange(signature, 1, signature.length)), "one byte short");
            byte[] longer = new byte[signature.length + 1];
            System.arraycopy(signature, 0, longer, 1, signature.length);
            assertFalse(key.verify(SigningAlgorithm.RS256, input, longer), "one byte long");
            assertFalse(key.verify(SigningAlgorithm.PS256, input, new byte[] {1}), "a 1-byte signature");
            return;
        }
    }
}
