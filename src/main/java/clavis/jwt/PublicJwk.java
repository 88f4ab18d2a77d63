package clavis.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;

/**
 * A public key that verifies JWS signatures: RSA (2048 to 4096 bits, exponent 65537), EC P-256 or Ed25519, read
 * from a JWK (RFC 7517, RFC 7518 section 6, RFC 8037) or from a certificate's key. Its RFC 7638 thumbprint
 * identifies it: it is the {@code kid} of Clavis's own keys and the {@code jkt} of DPoP-bound tokens. The RSA
 * bounds keep every verification cheap (under a millisecond here): the cost of an RSA check grows with the
 * modulus and the exponent, both chosen by whoever sends the key.
 */
public final class PublicJwk {
    static final ECDomainParameters P256 = p256();
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 4096;
    /** F4, the exponent every current RSA key generator uses (RFC 8017 leaves it open; we do not). */
    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow it. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final AsymmetricKeyParameter key;
    /** The required members in lexicographic order (RFC 7638 section 3.2). */
    private final Map<String, Object> members;
    private final String kid;
    private final String alg;
    private final String thumbprint;

    private PublicJwk(AsymmetricKeyParameter key, String kid, String alg) {
        this.key = key;
        this.members = Collections.unmodifiableMap(members(key));
        this.kid = kid;
        this.alg = alg;
        this.thumbprint = thumbprint(members);
    }

    /** Reads a public JWK; throws IllegalArgumentException naming what is wrong (private members included). */
    public static PublicJwk parse(Map<String, Object> jwk) {
        for (String member : PRIVATE_MEMBERS) {
            if (jwk.containsKey(member)) throw new IllegalArgumentException("a public key must not contain private key material");
        }
        Object kid = jwk.get("kid");
        Object alg = jwk.get("alg");
        if (kid != null && !(kid instanceof String)) throw new IllegalArgumentException("kid must be a string");
        if (alg != null && !(alg instanceof String)) throw new IllegalArgumentException("alg must be a string");
        Object use = jwk.get("use");
        if (use != null && !"sig".equals(use)) throw new IllegalArgumentException("use must be sig");
        AsymmetricKeyParameter key = switch (String.valueOf(jwk.get("kty"))) {
            case "RSA" -> rsaKey(uint(jwk, "n"), uint(jwk, "e"));
            case "EC" -> {
                if (!"P-256".equals(jwk.get("crv"))) throw new IllegalArgumentException("EC keys must be on P-256");
                yield ecKey(fixed(jwk, "x", 32), fixed(jwk, "y", 32));
            }
            case "OKP" -> {
                if (!"Ed25519".equals(jwk.get("crv"))) throw new IllegalArgumentException("OKP keys must be Ed25519");
                yield new Ed25519PublicKeyParameters(fixed(jwk, "x", 32), 0);
            }
            default -> throw new IllegalArgumentException("kty must be RSA, EC or OKP");
        };
        PublicJwk parsed = new PublicJwk(key, (String) kid, (String) alg);
        if (alg != null) {
            SigningAlgorithm a = SigningAlgorithm.of((String) alg);
            if (!parsed.fits(a)) throw new IllegalArgumentException("alg " + alg + " does not fit the key");
        }
        return parsed;
    }

    /** The key of a certificate, as a JWK would hold it; throws IllegalArgumentException for other key types. */
    public static PublicJwk of(PublicKey publicKey) {
        if (publicKey instanceof RSAPublicKey rsa) {
            return new PublicJwk(rsaKey(rsa.getModulus(), rsa.getPublicExponent()), null, null);
        }
        if (publicKey instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) throw new IllegalArgumentException("EC keys must be on P-256");
            return new PublicJwk(ecKey(Base64Url.fixedLength(ec.getW().getAffineX(), 32), Base64Url.fixedLength(ec.getW().getAffineY(), 32)), null, null);
        }
        byte[] spki = publicKey.getEncoded();
        if (spki != null && spki.length == 44 && Arrays.equals(Arrays.copyOf(spki, 12), ED25519_SPKI_PREFIX)) {
            return new PublicJwk(new Ed25519PublicKeyParameters(spki, 12), null, null);
        }
        throw new IllegalArgumentException("only RSA, EC P-256 and Ed25519 keys are supported");
    }

    /** One of Clavis's own keys (package-private: {@link SigningKey} builds its JWK with it). */
    static PublicJwk of(AsymmetricKeyParameter key) {
        return new PublicJwk(key, null, null);
    }

    /**
     * An RSA public key within our bounds, checked before any arithmetic on it. Bouncy Castle's own check of a new
     * modulus (a Miller-Rabin round, some 5 ms at 2048 bits and 40 ms at 4096) is skipped: it guards key
     * generation, and a verifier gains nothing from it, since only the key's owner can abuse a bad modulus.
     */
    private static RSAKeyParameters rsaKey(BigInteger n, BigInteger e) {
        if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits");
        }
        if (!n.testBit(0)) throw new IllegalArgumentException("the RSA modulus must be odd");
        if (!RSA_EXPONENT.equals(e)) throw new IllegalArgumentException("the RSA exponent must be 65537");
        return new RSAKeyParameters(false, n, e, true);
    }

    private static ECPublicKeyParameters ecKey(byte[] x, byte[] y) {
        try {
            // validatePoint refuses a point that is not on the curve (an invalid-curve attack).
            return new ECPublicKeyParameters(P256.getCurve().validatePoint(new BigInteger(1, x), new BigInteger(1, y)), P256);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the EC point is not on P-256");
        }
    }

    /** A JWK member holding an unsigned big-endian integer (RFC 7518 section 2, Base64urlUInt). */
    static BigInteger uint(Map<String, Object> jwk, String member) {
        if (!(jwk.get(member) instanceof String s) || s.isEmpty()) throw new IllegalArgumentException(member + " is missing");
        return new BigInteger(1, Base64Url.decode(s));
    }

    private static byte[] fixed(Map<String, Object> jwk, String member, int length) {
        if (!(jwk.get(member) instanceof String s)) throw new IllegalArgumentException(member + " is missing");
        byte[] bytes = Base64Url.decode(s);
        if (bytes.length != length) throw new IllegalArgumentException(member + " must be " + length + " bytes");
        return bytes;
    }

    /** The key's {@code kid} member, or null. */
    public String kid() {
        return kid;
    }

    /** The RFC 7638 SHA-256 thumbprint, base64url. */
    public String thumbprint() {
        return thumbprint;
    }

    /** The required public members (kty and the key), in RFC 7638 order. */
    public Map<String, Object> members() {
        return members;
    }

    /**
     * Whether this key may verify {@code algorithm}: the key type fits, and so does the JWK's own alg if it has one
     * (EdDSA and Ed25519 name the same thing for an Ed25519 key, RFC 9864).
     */
    public boolean fits(SigningAlgorithm algorithm) {
        if (alg != null && !alg.equals(algorithm.name()) && !(algorithm.ed25519() && (alg.equals("EdDSA") || alg.equals("Ed25519")))) {
            return false;
        }
        return switch (algorithm) {
            case RS256, PS256 -> key instanceof RSAKeyParameters;
            case ES256 -> key instanceof ECPublicKeyParameters;
            case EdDSA, Ed25519 -> key instanceof Ed25519PublicKeyParameters;
        };
    }

    /** Whether {@code signature} is a valid JWS signature (RFC 7518 section 3) by this key over {@code input}. */
    public boolean verify(SigningAlgorithm algorithm, byte[] input, byte[] signature) {
        if (!fits(algorithm)) return false;
        // RFC 8017 sections 8.1.2 and 8.2.2, step 1: an RSA signature is exactly as long as the modulus.
        if (key instanceof RSAKeyParameters rsa && signature.length != (rsa.getModulus().bitLength() + 7) / 8) return false;
        try {
            switch (algorithm) {
                case RS256 -> {
                    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
                    s.init(false, key);
                    s.update(input, 0, input.length);
                    return s.verifySignature(signature);
                }
                case PS256 -> {
                    PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), 32);
                    s.init(false, key);
                    s.update(input, 0, input.length);
                    return s.verifySignature(signature);
                }
                case ES256 -> {
                    if (signature.length != 64) return false;
                    ECDSASigner s = new ECDSASigner();
                    s.init(false, key);
                    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
                    BigInteger sv = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
                    return s.verifySignature(Sha256.of(input), r, sv);
                }
                case EdDSA, Ed25519 -> {
                    Ed25519Signer s = new Ed25519Signer();
                    s.init(false, key);
                    s.update(input, 0, input.length);
                    return s.verifySignature(signature);
                }
                default -> {
                    return false;
                }
            }
        } catch (RuntimeException e) {
            return false; // a malformed signature (wrong length, out of range) is a bad signature
        }
    }

    private static Map<String, Object> members(AsymmetricKeyParameter key) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (key instanceof RSAKeyParameters rsa) {
            m.put("e", Base64Url.encode(Base64Url.unsigned(rsa.getExponent())));
            m.put("kty", "RSA");
            m.put("n", Base64Url.encode(Base64Url.unsigned(rsa.getModulus())));
        } else if (key instanceof ECPublicKeyParameters ec) {
            m.put("crv", "P-256");
            m.put("kty", "EC");
            m.put("x", Base64Url.encode(Base64Url.fixedLength(ec.getQ().getAffineXCoord().toBigInteger(), 32)));
            m.put("y", Base64Url.encode(Base64Url.fixedLength(ec.getQ().getAffineYCoord().toBigInteger(), 32)));
        } else {
            m.put("crv", "Ed25519");
            m.put("kty", "OKP");
            m.put("x", Base64Url.encode(((Ed25519PublicKeyParameters) key).getEncoded()));
        }
        return m;
    }

    /** RFC 7638: SHA-256 over the required members, in order, without white space. Values are base64url or names. */
    private static String thumbprint(Map<String, Object> members) {
        StringBuilder json = new StringBuilder("{");
        members.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        json.append('}');
        return Base64Url.encode(Sha256.of(json.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * P-256 (SEC 2 section 2.4.2) on Bouncy Castle's custom curve, the fast one, with its base point set up for
     * fixed-point multiplication as CustomNamedCurves does, but without loading its thirty other curves at start.
     */
    private static ECDomainParameters p256() {
        ECCurve curve = new SecP256R1Curve();
        ECPoint g = curve.createPoint(
                new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16),
                new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16));
        WNafUtil.configureBasepoint(g);
        return new ECDomainParameters(curve, g, curve.getOrder(), curve.getCofactor());
    }
}
