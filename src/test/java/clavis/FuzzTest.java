package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated requests (a fixed seed, so a failure reproduces) against every endpoint: no 5xx, no
 * hang, and a JSON error body on every 4xx.
 */
class FuzzTest {
    static final long SEED = 20261125L;
    static final int REQUESTS = 4000;

    @TempDir
    static Path dir;
    static TestServer server;
    static String id;
    static String secret;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "throttle.client-failures", "1000000", "throttle.address-failures", "1000000");
        String[] client = server.registerClient();
        id = client[0];
        secret = client[1];
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final List<String> PATHS = List.of(
            "/auth-login/rest/oauth2/authorization-servers/myAS/token",
            "/auth-login/rest/public/tech-client-registration/oauth2/myAS/register",
            "/auth-login/rest/oauth2/authorization-servers/myAS/jwks",
            "/auth-login/rest/oauth2/authorization-servers/myAS/.well-known/oauth-authorization-server",
            "/.well-known/oauth-authorization-server/auth-login/rest/oauth2/authorization-servers/myAS",
            "/auth-login/rest/oauth2/authorization-servers/nope/token",
            "/auth-login/rest/oauth2/authorization-servers/%2e%2e/token",
            "/auth-login/rest/oauth2/authorization-servers/my%41S/token",
            "/x");
    static final List<String> METHODS = List.of("POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded", "application/json",
            "application/json; charset=utf-8", "APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8", "text/plain",
            "multipart/form-data; boundary=x", ";;;", "application/jsonx");
    static final List<String> PARAMS = List.of("grant_type", "scope", "client_id", "client_secret", "client_assertion",
            "client_assertion_type", "username", "", "=", "%", "grant_type%00", "scope[]");
    static final List<String> VALUES = List.of("client_credentials", "client-scope", "", "%", "%zz", "%C3%28", "+",
            "%00", "a%20b", "password", "\u00e9", "client-scope client-scope", "\"", "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "eyJhbGciOiJub25lIn0.e30.", "e30.e30.e30", "a.b.c.d", "..");
    /** DPoP header values: not JWTs, unsigned, wrong types, a jwk that is not a key. */
    static final List<String> PROOFS = List.of("", "x", "..", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.",
            "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIn19.e30.AAAA",
            "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVkRFNBIiwiandrIjoiYSJ9.e30.AA");
    static final List<String> FIELDS = List.of("client_name", "scope", "redirect_uris", "grant_types", "response_types",
            "token_endpoint_auth_method", "contacts", "client_uri", "logo_uri", "jwks", "jwks_uri", "software_statement",
            "client_name#en", "client_id", "x");

    @Test
    void generatedRequestsNeverBreakTheServer() {
        Random random = new Random(SEED);
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest request = generate(random);
            HttpResponse<String> r;
            try {
                r = TestServer.HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                fail("request " + i + " (" + request.method() + " " + request.uri() + ") got no answer: " + e);
                return;
            }
            int status = r.statusCode();
            assertTrue(status < 500, "request " + i + " " + request.method() + " " + request.uri() + ": " + status + " " + r.body());
            if (status >= 400) {
                Map<String, Object> body = TestServer.json(r);
                assertTrue(body.get("error") instanceof String, "request " + i + ": " + r.body());
            }
        }
        server.assertAlive();
        assertEquals(200, TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode());
    }

    private static HttpRequest generate(Random random) {
        String path = pick(random, PATHS);
        String query = random.nextInt(8) == 0 ? "?" + form(random).replaceAll("%(?![0-9A-Fa-f]{2})", "%25").replace("\"", "%22")
                .replace("\u00e9", "%C3%A9").replace(" ", "+").replace("[", "%5B").replace("]", "%5D") : "";
        String method = pick(random, METHODS);
        String body = switch (random.nextInt(4)) {
            case 0 -> form(random);
            case 1 -> json(random, 0);
            case 2 -> randomText(random, random.nextInt(300));
            default -> "";
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path) + query)).timeout(Duration.ofSeconds(10));
        if (random.nextInt(5) > 0) b.header("Content-Type", pick(random, CONTENT_TYPES));
        switch (random.nextInt(6)) {
            case 0 -> b.header("Authorization", TestServer.basic(id, secret));
            case 1 -> b.header("Authorization", TestServer.basic(randomText(random, 10), randomText(random, 10)));
            case 2 -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(randomBytes(random, random.nextInt(40))));
            case 3 -> b.header("Authorization", pick(random, List.of("Bearer x", "Basic", "Basic ====", "Digest a=b", "basic Og==")));
            default -> { }
        }
        if (random.nextInt(4) == 0) b.header("DPoP", pick(random, PROOFS));
        if (method.equals("GET") || method.equals("DELETE") || method.equals("OPTIONS")) {
            return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return b.method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String form(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) s.append(random.nextInt(10) == 0 ? "&&" : "&");
            s.append(pick(random, PARAMS));
            if (random.nextInt(6) > 0) s.append('=').append(pick(random, VALUES).replace("client_credentials",
                    random.nextBoolean() ? "client_credentials" : "client_credentialz"));
        }
        return s.toString();
    }

    private static String json(Random random, int depth) {
        if (depth > 20) return "1";
        int kind = random.nextInt(depth == 0 ? 3 : 8);
        switch (kind) {
            case 0, 1, 2 -> {
                StringBuilder s = new StringBuilder("{");
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    if (i > 0) s.append(',');
                    s.append('"').append(pick(random, FIELDS)).append("\":").append(json(random, depth + 1));
                }
                return s.append(random.nextInt(30) == 0 ? "" : "}").toString();
            }
            case 3 -> {
                StringBuilder s = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) s.append(i > 0 ? "," : "").append(json(random, depth + 1));
                return s.append(']').toString();
            }
            case 4 -> {
                return pick(random, List.of("\"https://a.example/cb\"", "\"client-scope strong\"", "\"client_secret_post\"",
                        "\"http://x\"", "\"a#b\"", "\"\\u0000\"", "\"\\ud800\""));
            }
            case 5 -> {
                return pick(random, List.of("1", "-1.5e308", "1e999999", "true", "null", "123456789012345678901234567890"));
            }
            default -> {
                return '"' + randomText(random, random.nextInt(20)).replace("\\", "").replace("\"", "") + '"';
            }
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) s.append((char) (random.nextInt(3) == 0 ? random.nextInt(0x3000) + 1 : random.nextInt(0x5f) + 0x20));
        return s.toString();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
