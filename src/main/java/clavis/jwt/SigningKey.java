package clavis.jwt;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * One asymmetric signing key with its public JWK (RFC 7517) and its {@code kid}, the RFC 7638 thumbprint.
 * Signs ES256 and EdDSA with Bouncy Castle's lightweight signers, several times faster than the JDK's, and RSA
 * with the JDK's, which is as fast as Bouncy Castle's and blinds more cheaply; keys are stored as private JWKs, which any JOSE library reads.
 */
public final class SigningKey {
    private static final int RSA_BITS = 2048;
    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);
    /** P-256 on Bouncy Castle's custom curve implementation, the fast one. */
    private static final ECDomainParameters P256 = PublicJwk.P256;

    private final SigningAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final PublicJwk publicKey;
    private final Map<String, Object> publicJwk;
    private final String kid;
    private final SecureRandom random;
    /** For RSA the JDK's signer: as fast as Bouncy Castle's, and its blinding is cheaper under concurrency. */
    private final java.security.PrivateKey jdkRsaKey;

    /** @param publicHalf the public key of {@code privateKey} */
    private SigningKey(SigningAlgorithm algorithm, AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicHalf, SecureRandom random) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.random = random;
        this.publicKey = PublicJwk.of(publicHalf);
        this.jdkRsaKey = privateKey instanceof RSAPrivateCrtKeyParameters rsa ? jdkRsaKey(rsa) : null;
        this.kid = publicKey.thumbprint();
        Map<String, Object> jwk = new LinkedHashMap<>(publicKey.members());
        jwk.put("use", "sig");
        jwk.put("alg", algorithm.name());
        jwk.put("kid", kid);
        this.publicJwk = Collections.unmodifiableMap(jwk);
    }

    /**
     * Signs a fixed input (not a token) once and drops the signature, so that the signer's classes and tables are
     * loaded, and its code has run, before the first token request: a warm-up, while the server starts.
     */
    public void rehearse() {
        sign("clavis: the signer warms up".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A fresh key for {@code algorithm}: RSA 2048, P-256 or Ed25519. */
    public static SigningKey generate(SigningAlgorithm algorithm, SecureRandom random) {
        AsymmetricCipherKeyPair pair = switch (algorithm) {
            case RS256, PS256 -> {
                RSAKeyPairGenerator g = new RSAKeyPairGenerator();
                g.init(new RSAKeyGenerationParameters(RSA_EXPONENT, random, RSA_BITS, 112));
                yield g.generateKeyPair();
            }
            case ES256 -> {
                ECKeyPairGenerator g = new ECKeyPairGenerator();
                g.init(new ECKeyGenerationParameters(P256, random));
                yield g.generateKeyPair();
            }
            case EdDSA, Ed25519 -> {
                Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
                g.init(new Ed25519KeyGenerationParameters(random));
                yield g.generateKeyPair();
            }
        };
        // The generator's public key: computing it again from the private one is another point multiplication for EC.
        return new SigningKey(algorithm, pair.getPrivate(), pair.getPublic(), random);
    }

    /** Reads a key written by {@link #privateJwk()}; throws IllegalArgumentException when it does not fit {@code algorithm}. */
    public static SigningKey fromPrivateJwk(SigningAlgorithm algorithm, Map<String, Object> jwk, SecureRandom random) {
        try {
            AsymmetricKeyParameter key = switch (algorithm) {
                case RS256, PS256 -> {
                    require(jwk, "RSA", null);
                    // Our own key, made by generate() and read back from our own store: Bouncy Castle's checks of a
                    // modulus from outside (a Miller-Rabin round, about 40 ms of a cold start) are skipped.
                    yield new RSAPrivateCrtKeyParameters(PublicJwk.uint(jwk, "n"), PublicJwk.uint(jwk, "e"), PublicJwk.uint(jwk, "d"), PublicJwk.uint(jwk, "p"),
                            PublicJwk.uint(jwk, "q"), PublicJwk.uint(jwk, "dp"), PublicJwk.uint(jwk, "dq"), PublicJwk.uint(jwk, "qi"), true);
                }
                case ES256 -> {
                    require(jwk, "EC", "P-256");
                    yield new ECPrivateKeyParameters(PublicJwk.uint(jwk, "d"), P256);
                }
                case EdDSA, Ed25519 -> {
                    require(jwk, "OKP", "Ed25519");
                    yield new Ed25519PrivateKeyParameters(Base64Url.decode((String) jwk.get("d")), 0);
                }
            };
            return new SigningKey(algorithm, key, publicKey(key), random);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("stored key does not fit " + algorithm, e);
        }
    }

    /**
     * The private key as a JWK (RFC 7517, RFC 7518 section 6, RFC 8037): the stored form. A plain JSON format
     * every JOSE library reads, and no ASN.1 to parse at start.
     */
    public Map<String, Object> privateJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>(publicKey.members());
        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
            jwk.put("d", b64(rsa.getExponent()));
            jwk.put("p", b64(rsa.getP()));
            jwk.put("q", b64(rsa.getQ()));
            jwk.put("dp", b64(rsa.getDP()));
            jwk.put("dq", b64(rsa.getDQ()));
            jwk.put("qi", b64(rsa.getQInv()));
        } else if (privateKey instanceof ECPrivateKeyParameters ec) {
            jwk.put("d", Base64Url.encode(Base64Url.fixedLength(ec.getD(), 32)));
        } else {
            jwk.put("d", Base64Url.encode(((Ed25519PrivateKeyParameters) privateKey).getEncoded()));
        }
        return jwk;
    }

    private static void require(Map<String, Object> jwk, String kty, String crv) {
        if (!kty.equals(jwk.get("kty")) || (crv != null && !crv.equals(jwk.get("crv")))) {
            throw new IllegalArgumentException("stored key is not " + kty + (crv == null ? "" : " " + crv));
        }
    }

    private static String b64(BigInteger n) {
        return Base64Url.encode(Base64Url.unsigned(n));
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    public String kid() {
        return kid;
    }

    /** The public JWK: kty, key members, use, alg and kid; never a private member. */
    public Map<String, Object> publicJwk() {
        return publicJwk;
    }

    /** The JWS signature over {@code input} (RFC 7518 section 3). Thread-safe: each call has its own signer. */
    public byte[] sign(byte[] input) {
        try {
            switch (algorithm) {
                case RS256, PS256 -> {
                    java.security.Signature s = jdkRsaSignature(algorithm);
                    s.initSign(jdkRsaKey, random);
                    s.update(input);
                    return s.sign();
                }
                case ES256 -> {
                    // Deterministic nonces (RFC 6979): no random source on the hot path, no nonce reuse.
                    ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                    s.init(true, privateKey);
                    BigInteger[] rs = s.generateSignature(Sha256.of(input));
                    byte[] out = new byte[64];
                    System.arraycopy(Base64Url.fixedLength(rs[0], 32), 0, out, 0, 32);
                    System.arraycopy(Base64Url.fixedLength(rs[1], 32), 0, out, 32, 32);
                    return out;
                }
                case EdDSA, Ed25519 -> {
                    Ed25519Signer s = new Ed25519Signer();
                    s.init(true, privateKey);
                    s.update(input, 0, input.length);
                    return s.generateSignature();
                }
                default -> throw new IllegalStateException();
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    private static java.security.Signature jdkRsaSignature(SigningAlgorithm algorithm) throws java.security.GeneralSecurityException {
        if (algorithm == SigningAlgorithm.RS256) return java.security.Signature.getInstance("SHA256withRSA");
        java.security.Signature s = java.security.Signature.getInstance("RSASSA-PSS");
        // RFC 7518 section 3.5: SHA-256, MGF1 with SHA-256, a salt as long as the hash.
        s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        return s;
    }

    private static java.security.PrivateKey jdkRsaKey(RSAPrivateCrtKeyParameters k) {
        try {
            return java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.RSAPrivateCrtKeySpec(
                    k.getModulus(), k.getPublicExponent(), k.getExponent(), k.getP(), k.getQ(), k.getDP(), k.getDQ(), k.getQInv()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot take this RSA key", e);
        }
    }

    /** Whether {@code signature} is this key's JWS signature over {@code input}. */
    public boolean verify(byte[] input, byte[] signature) {
        return publicKey.verify(algorithm, input, signature);
    }

    private static AsymmetricKeyParameter publicKey(AsymmetricKeyParameter key) {
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent(), true);
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            return new ECPublicKeyParameters(new FixedPointCombMultiplier().multiply(P256.getG(), ec.getD()).normalize(), P256);
        }
        return ((Ed25519PrivateKeyParameters) key).generatePublicKey();
    }

}
