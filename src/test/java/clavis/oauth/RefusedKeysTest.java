package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import clavis.json.Json;
import clavis.jwt.PublicJwk;

/** A key Clavis refuses (here an RSA key with exponent 3) is refused at registration and skipped elsewhere. */
class RefusedKeysTest {
    private static final String ED25519 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ok\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    private static final String EXPONENT_3 = rsa("e3", 3);

    private static String rsa(String kid, int exponent) {
        BigInteger n = new BigInteger(2048, new Random(1)).setBit(2047).setBit(0);
        return Json.writeString(Map.of("kty", "RSA", "kid", kid, "n", b64(n), "e", b64(BigInteger.valueOf(exponent))));
    }

    private static String b64(BigInteger n) {
        byte[] raw = n.toByteArray();
        int skip = raw[0] == 0 ? 1 : 0;
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(raw, skip, raw.length));
    }

    private static List<String> kids(List<PublicJwk> keys) {
        return keys.stream().map(PublicJwk::kid).toList();
    }

    private static Map<String, Object> object(String json) throws Exception {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void registrationRefusesTheKey() throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("token_endpoint_auth_method", "private_key_jwt");
        request.put("jwks", object("{\"keys\":[" + EXPONENT_3 + "]}"));
        OAuthException e = assertThrows(OAuthException.class, () -> ClientMetadata.parse(request));
        assertEquals(OAuthError.INVALID_CLIENT_METADATA, e.error());
    }

    @Test
    void aStoredClientsRefusedKeyIsSkippedNotThrown() throws Exception {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("token_endpoint_auth_method", "private_key_jwt");
        stored.put("jwks", object("{\"keys\":[" + EXPONENT_3 + "," + ED25519 + "]}"));
        assertEquals(List.of("ok"), kids(ClientMetadata.fromStored(stored).jwks().keys()));
        assertEquals(List.of("ok"), kids(new ClientKeys().keys(ClientMetadata.fromStored(stored))));
    }

    @Test
    void aJwksUriKeyIsSkipped() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            byte[] body = ("{\"keys\":[" + EXPONENT_3 + "," + rsa("e65539", 65539) + "," + ED25519 + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("token_endpoint_auth_method", "private_key_jwt");
            m.put("jwks_uri", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
            clavis.net.AddressPolicy local = clavis.net.AddressPolicy.clientUrls(List.of("127.0.0.1"));
            ClientKeys keys = new ClientKeys(new clavis.net.Fetcher(local), 0, ClientKeys.MAX_WAITING, ClientKeys.MAX_CACHED_BYTES);
            assertEquals(List.of("ok"), kids(keys.keys(ClientMetadata.parse(m, local))));
        } finally {
            server.stop(0);
        }
    }
}
