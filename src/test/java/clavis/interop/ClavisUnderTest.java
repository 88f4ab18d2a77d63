package clavis.interop;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import clavis.Clavis;
import clavis.config.Config;
import clavis.json.Json;

/** A real Clavis for the interoperability checks, started through the embedding API as a user would. */
final class ClavisUnderTest implements AutoCloseable {
    static final String AS = "myAS";
    static final String AUDIENCE = "https://api.example.test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Clavis clavis;

    /** One authorization server with scopes api.read and api.write on port 0, its database in {@code dir}, plus {@code extra}. */
    ClavisUnderTest(Path dir, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("server.access-log", "false");
        p.put("store.url", "jdbc:sqlite:" + dir.resolve("clavis.db"));
        p.put("as." + AS + ".scopes", "api.read api.write");
        p.put("as." + AS + ".default-scopes", "api.read");
        p.put("as." + AS + ".audience", AUDIENCE);
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        clavis = Clavis.start(Config.fromProperties(p));
    }

    String issuer() {
        return clavis.issuer(AS);
    }

    /** Registers a client (RFC 7591) with {@code json}: its client_id and client_secret. */
    String[] register(String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(clavis.registrationEndpoint(AS)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
        Map<String, Object> body = Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
        return new String[] {(String) body.get("client_id"), (String) body.get("client_secret")};
    }

    /** Introspects {@code token} (RFC 7662) as {@code caller}, a client_secret_basic client. */
    Map<String, Object> introspect(String[] caller, String token) throws Exception {
        String basic = Base64.getEncoder().encodeToString((caller[0] + ":" + caller[1]).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer() + "/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("introspection failed: " + r.statusCode() + " " + r.body());
        return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        clavis.close();
    }
}
