package clavis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import clavis.json.Json;

/**
 * Verifies JWTs against a JWKS with plain {@code java.security}, independently of Clavis's own signer: the
 * check a resource server makes.
 */
final class JwtVerifier {
    private JwtVerifier() {
    }

    record Verified(Map<String, Object> header, Map<String, Object> claims) {
    }

    static Map<String, Object> decodePart(String part) {
        try {
            return Json.parseObject(Base64.getUrlDecoder().decode(part));
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }

    /** Verifies the signature with the JWKS key named by the header's kid; throws AssertionError if it fails. */
    @SuppressWarnings("unchecked")
    static Verified verify(String jwt, Map<String, Object> jwks) throws Exception {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new AssertionError("not a compact JWS");
        Map<String, Object> header = decodePart(parts[0]);
        Map<String, Object> jwk = null;
        for (Object k : (List<Object>) jwks.get("keys")) {
            Map<String, Object> key = (Map<String, Object>) k;
            if (key.get("kid").equals(header.get("kid"))) jwk = key;
        }
        if (jwk == null) throw new AssertionError("no key " + header.get("kid") + " in the JWKS");
        if (!jwk.get("alg").equals(header.get("alg"))) throw new AssertionError("alg differs from the JWK's");
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        Signature verifier = signature((String) header.get("alg"));
        verifier.initVerify(publicKey(jwk));
        verifier.update(input);
        if (!verifier.verify(sig)) throw new AssertionError("bad signature");
        return new Verified(header, decodePart(parts[1]));
    }

    private static Signature signature(String alg) throws Exception {
        switch (alg) {
            case "RS256":
                return Signature.getInstance("SHA256withRSA");
            case "PS256": {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return s;
            }
            case "ES256":
                return Signature.getInstance("SHA256withECDSAinP1363Format");
            case "EdDSA":
            case "Ed25519":
                return Signature.getInstance("Ed25519");
            default:
                throw new AssertionError("unexpected alg " + alg);
        }
    }

    static PublicKey publicKey(Map<String, Object> jwk) throws Exception {
        switch ((String) jwk.get("kty")) {
            case "RSA":
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        uint((String) jwk.get("n")), uint((String) jwk.get("e"))));
            case "EC": {
                if (!"P-256".equals(jwk.get("crv"))) throw new AssertionError("crv");
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
                ECPoint point = new ECPoint(uint((String) jwk.get("x")), uint((String) jwk.get("y")));
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
            }
            case "OKP": {
                if (!"Ed25519".equals(jwk.get("crv"))) throw new AssertionError("crv");
                byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
                byte[] x = Base64.getUrlDecoder().decode((String) jwk.get("x"));
                byte[] der = new byte[prefix.length + x.length];
                System.arraycopy(prefix, 0, der, 0, prefix.length);
                System.arraycopy(x, 0, der, prefix.length, x.length);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            }
            default:
                throw new AssertionError("unexpected kty");
        }
    }

    /** The RFC 7638 thumbprint computed here from the JWK, to compare with the kid. */
    static String thumbprint(Map<String, Object> jwk) throws Exception {
        String json = switch ((String) jwk.get("kty")) {
            case "RSA" -> "{\"e\":\"" + jwk.get("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.get("n") + "\"}";
            case "EC" -> "{\"crv\":\"" + jwk.get("crv") + "\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
            default -> "{\"crv\":\"" + jwk.get("crv") + "\",\"kty\":\"OKP\",\"x\":\"" + jwk.get("x") + "\"}";
        };
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static BigInteger uint(String b64) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(b64));
    }
}
