package clavis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import clavis.json.Json;

/**
 * A client's side of JOSE, written with plain {@code java.security} and independent of Clavis's code: key pairs,
 * their public JWKs, and signed compact JWTs (client assertions, DPoP proofs, software statements).
 */
final class Jose {
    private Jose() {
    }

    /** A key pair for one JWS algorithm, with its public JWK (kid included). */
    record Key(String alg, KeyPair pair, Map<String, Object> jwk) {
        /** The JWK Set holding only this key, as JSON. */
        String jwks() {
            return Json.writeString(Map.of("keys", List.of(jwk)));
        }
    }

    static Key generate(String alg) {
        try {
            KeyPair pair = switch (alg) {
                case "RS256", "PS256" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    yield g.generateKeyPair();
                }
                case "ES256" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    yield g.generateKeyPair();
                }
                case "EdDSA", "Ed25519" -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                default -> throw new IllegalArgumentException(alg);
            };
            Map<String, Object> jwk = jwk(pair.getPublic());
            jwk.put("kid", UUID.randomUUID().toString());
            jwk.put("alg", alg);
            return new Key(alg, pair, jwk);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key pair of {@code bits} with public exponent {@code exponent} (65537 is the usual one). */
    static Key generateRsa(int bits, BigInteger exponent) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, exponent));
            KeyPair pair = g.generateKeyPair();
            Map<String, Object> jwk = jwk(pair.getPublic());
            jwk.put("kid", UUID.randomUUID().toString());
            jwk.put("alg", "RS256");
            return new Key("RS256", pair, jwk);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A public RSA JWK with the modulus and exponent given: no private key exists for it, and none is needed. */
    static Map<String, Object> rsaJwk(BigInteger n, BigInteger e) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("n", b64(unsigned(n)));
        jwk.put("e", b64(unsigned(e)));
        return jwk;
    }

    /**
     * An odd number of exactly {@code bits} bits without a prime factor below 1000, fixed by {@code seed}: what a
     * modulus must look like to get past cheap checks to the costly ones (a Miller-Rabin round, the RSA operation).
     */
    static BigInteger modulusLike(int bits, long seed) {
        BigInteger smallPrimes = BigInteger.ONE;
        for (int p = 3; p < 1000; p += 2) {
            if (BigInteger.valueOf(p).isProbablePrime(20)) smallPrimes = smallPrimes.multiply(BigInteger.valueOf(p));
        }
        BigInteger n = new BigInteger(bits, new java.util.Random(seed)).setBit(bits - 1).setBit(0);
        while (!n.gcd(smallPrimes).equals(BigInteger.ONE)) n = n.add(BigInteger.TWO);
        return n;
    }

    /** An odd exponent of exactly {@code bits} bits, fixed by {@code seed}. */
    static BigInteger exponentLike(int bits, long seed) {
        return new BigInteger(bits, new java.util.Random(seed)).setBit(bits - 1).setBit(0);
    }

    /** A compact JWS with this header and these claims and an arbitrary signature: for inputs refused before any check. */
    static String withSignature(Map<String, Object> header, Map<String, Object> claims, byte[] signature) {
        return b64(Json.write(header)) + "." + b64(Json.write(claims)) + "." + b64(signature);
    }

    /** The public JWK (RFC 7517) of an RSA, P-256 or Ed25519 key, without kid or alg. */
    static Map<String, Object> jwk(PublicKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        if (key instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("n", b64(unsigned(rsa.getModulus())));
            jwk.put("e", b64(unsigned(rsa.getPublicExponent())));
        } else if (key instanceof ECPublicKey ec) {
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", b64(fixed(ec.getW().getAffineX())));
            jwk.put("y", b64(fixed(ec.getW().getAffineY())));
        } else {
            byte[] spki = key.getEncoded();
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("x", b64(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
        }
        return jwk;
    }

    /** A compact JWS of {@code claims} with {@code header} (alg is set from the key), signed by {@code key}. */
    static String sign(Key key, Map<String, Object> header, Map<String, Object> claims) {
        Map<String, Object> h = new LinkedHashMap<>(header);
        h.putIfAbsent("alg", key.alg());
        String input = b64(Json.write(h)) + "." + b64(Json.write(claims));
        try {
            Signature s = signature(key.alg());
            s.initSign(key.pair().getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client assertion (RFC 7523 section 3) for {@code clientId}, valid for a minute, with a fresh jti. */
    static Map<String, Object> assertionClaims(String clientId, String audience) {
        return assertionClaims(clientId, audience, System.currentTimeMillis() / 1000);
    }

    /** The same, issued at {@code now} (epoch seconds: a test clock's). */
    static Map<String, Object> assertionClaims(String clientId, String audience, long now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("aud", audience);
        claims.put("iat", now);
        claims.put("exp", now + 60);
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** A DPoP proof (RFC 9449 section 4.2) for {@code method} and {@code url} signed by {@code key}, with a fresh jti. */
    static String dpopProof(Key key, String method, String url) {
        return dpopProof(key, method, url, System.currentTimeMillis() / 1000);
    }

    /** A DPoP proof issued at {@code iat} (seconds), for a server on a clock of the test's. */
    static String dpopProof(Key key, String method, String url, long iat) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("jwk", jwk(key.pair().getPublic()));
        Map<String, Object> claims = dpopClaims(method, url);
        claims.put("iat", iat);
        return sign(key, header, claims);
    }

    static Map<String, Object> dpopClaims(String method, String url) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", method);
        claims.put("htu", url);
        claims.put("iat", System.currentTimeMillis() / 1000);
        return claims;
    }

    private static Signature signature(String alg) throws java.security.GeneralSecurityException {
        return switch (alg) {
            case "RS256" -> Signature.getInstance("SHA256withRSA");
            case "PS256" -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case "EdDSA", "Ed25519" -> Signature.getInstance("Ed25519");
            default -> throw new IllegalArgumentException(alg);
        };
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] raw = n.toByteArray();
        return raw[0] == 0 && raw.length > 1 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
    }

    private static byte[] fixed(BigInteger n) {
        byte[] raw = unsigned(n);
        byte[] out = new byte[32];
        System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        return out;
    }
}
