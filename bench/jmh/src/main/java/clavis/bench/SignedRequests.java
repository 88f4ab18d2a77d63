package clavis.bench;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Writes the signed material a key-based load run sends, one request's worth per line, each usable once (every
 * line has its own jti): client assertions (RFC 7523) for a private_key_jwt client it registers, or DPoP proofs
 * (RFC 9449). Ed25519 signs them, so making 100,000 takes seconds. Assertions live an hour (exp = iat + 3600).
 *
 * <pre>
 * SignedRequests assertions REGISTRATION_URL TOKEN_URL COUNT FILE   one form body per line; prints CLIENT_ID=...
 * SignedRequests dpop TOKEN_URL COUNT FILE                         one DPoP header value per line
 * </pre>
 */
public final class SignedRequests {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /**
     * One hour, as Authlib's PrivateKeyJWT and Google's libraries make them (and the most FAPI 2.0 allows): each jti
     * is then kept an hour, so the run measures a used-jti table at its full one-hour size.
     */
    static final long ASSERTION_LIFETIME_SECONDS = 3600;

    public static void main(String[] args) throws Exception {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        String jwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + B64.encodeToString(key.generatePublicKey().getEncoded()) + "\"}";
        long now = System.currentTimeMillis() / 1000;
        if (args[0].equals("assertions")) {
            String tokenUrl = args[2];
            String clientId = register(args[1], "{\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + jwk + "]}}");
            String type = URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8);
            write(Path.of(args[4]), Integer.parseInt(args[3]), () -> "grant_type=client_credentials&client_assertion_type=" + type
                    + "&client_assertion=" + sign(key, "{\"alg\":\"EdDSA\"}", "{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId
                    + "\",\"aud\":\"" + tokenUrl + "\",\"iat\":" + now + ",\"exp\":" + (now + ASSERTION_LIFETIME_SECONDS) + ",\"jti\":\"" + UUID.randomUUID() + "\"}"));
            System.out.println("CLIENT_ID=" + clientId);
        } else {
            String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":" + jwk + "}";
            write(Path.of(args[3]), Integer.parseInt(args[2]), () -> sign(key, header,
                    "{\"htm\":\"POST\",\"htu\":\"" + args[1] + "\",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\"}"));
        }
    }

    private static void write(Path file, int count, java.util.function.Supplier<String> line) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                out.write(line.get());
                out.write('\n');
            }
        }
    }

    private static String sign(Ed25519PrivateKeyParameters key, String header, String claims) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        signer.update(bytes, 0, bytes.length);
        return input + "." + B64.encodeToString(signer.generateSignature());
    }

    private static String register(String url, String json) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (c.getResponseCode() != 201) throw new IllegalStateException("registration failed: " + body);
        int at = body.indexOf("\"client_id\":\"") + 13;
        return body.substring(at, body.indexOf('"', at));
    }
}
