package clavis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import clavis.config.Config;
import clavis.http.Paths;
import clavis.json.Json;

/**
 * A real Clavis on an ephemeral port with a SQLite file in a temp dir, and a real HTTP client to talk to it.
 */
final class TestServer implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String AS = "myAS";

    final Path dir;
    final Map<String, String> properties;
    final java.time.Clock clock;
    Clavis clavis;

    private TestServer(Path dir, Map<String, String> properties, java.time.Clock clock) {
        this.dir = dir;
        this.properties = properties;
        this.clock = clock;
        this.clavis = Clavis.start(Config.fromProperties(properties).withClock(clock));
    }

    /** The shipped configuration's myAS on port 0 and a database in {@code dir}, plus {@code extra}. */
    static TestServer start(Path dir, String... extra) {
        return start(dir, Config.SYSTEM_CLOCK, extra);
    }

    /** As {@link #start(Path, String...)}, with every time-based rule on {@code clock}. */
    static TestServer start(Path dir, java.time.Clock clock, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("store.url", "jdbc:sqlite:" + dir.resolve("clavis.db"));
        p.put("as.myAS.scopes", "client-scope");
        p.put("as.myAS.default-scopes", "client-scope");
        p.put("as.myAS.token-lifetime", "18000");
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return new TestServer(dir, p, clock);
    }

    /** Stops and starts again on the same database and port. */
    void restart() {
        int port = clavis.port();
        clavis.close();
        properties.put("server.port", Integer.toString(port));
        clavis = Clavis.start(Config.fromProperties(properties).withClock(clock));
    }

    String url(String path) {
        return "http://localhost:" + clavis.port() + path;
    }

    /** The local URL of an endpoint path (the advertised ones may use another base URL). */
    String url(String pathPattern, String asId) {
        return url(pathPattern.replace("{as}", asId));
    }

    String registrationEndpoint() {
        return url(Paths.REGISTRATION, AS);
    }

    String tokenEndpoint() {
        return url(Paths.TOKEN, AS);
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    static HttpResponse<String> postJson(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> postForm(String url, String basic, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basic != null) b.header("Authorization", basic);
        return send(b.build());
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return Json.parseObject(response.body().getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("not a JSON object: " + response.body(), e);
        }
    }

    /** Registers a client with {@code json} and returns the registration response. */
    Map<String, Object> register(String json) {
        HttpResponse<String> r = postJson(registrationEndpoint(), json);
        if (r.statusCode() != 201) throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
        return json(r);
    }

    /** A client_secret_basic client with the default scope: {client_id, client_secret}. */
    String[] registerClient() {
        Map<String, Object> reg = register("{\"client_name\":\"test\"}");
        return new String[] {(String) reg.get("client_id"), (String) reg.get("client_secret")};
    }

    /** A token for a Basic-authenticated client, asserting success. */
    Map<String, Object> token(String id, String secret) {
        HttpResponse<String> r = postForm(tokenEndpoint(), basic(id, secret), "grant_type=client_credentials");
        if (r.statusCode() != 200) throw new AssertionError("token failed: " + r.statusCode() + " " + r.body());
        return json(r);
    }

    String introspectionEndpoint() {
        return url(Paths.INTROSPECTION, AS);
    }

    String revocationEndpoint() {
        return url(Paths.REVOCATION, AS);
    }

    /** Introspects {@code token} as client {@code caller} ({id, secret}), asserting a 200. */
    Map<String, Object> introspect(String[] caller, String token) {
        HttpResponse<String> r = postForm(introspectionEndpoint(), basic(caller[0], caller[1]),
                "token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) throw new AssertionError("introspection failed: " + r.statusCode() + " " + r.body());
        return json(r);
    }

    HttpResponse<String> revoke(String[] caller, String token) {
        return postForm(revocationEndpoint(), basic(caller[0], caller[1]), "token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** A request with a Bearer token. */
    static HttpResponse<String> withBearer(String method, String url, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (json != null) b.header("Content-Type", "application/json");
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** How many client authentications failed for {@code reason} so far, from /metrics. */
    long authenticationFailures(String reason) {
        String series = "clavis_client_authentication_failures_total{as=\"" + AS + "\",reason=\"" + reason + "\"}";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series) + " (\\S+)$")
                .matcher(get(url(Paths.METRICS)).body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** The server still answers a good request: metadata comes back. */
    void assertAlive() {
        HttpResponse<String> r = get(url(Paths.METADATA_UNDER_ISSUER, AS));
        if (r.statusCode() != 200) throw new AssertionError("server no longer answers: " + r.statusCode());
    }

    @Override
    public void close() {
        clavis.close();
    }
}
