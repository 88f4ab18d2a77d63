package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The token endpoint's answers to good and bad requests, each followed by a good one. */
class TokenEndpointTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String id;
    static String secret;
    static String postId;
    static String postSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "as.myAS.scopes", "client-scope other-scope");
        String[] client = server.registerClient();
        id = client[0];
        secret = client[1];
        Map<String, Object> post = server.register("{\"token_endpoint_auth_method\":\"client_secret_post\",\"scope\":\"client-scope other-scope\"}");
        postId = (String) post.get("client_id");
        postSecret = (String) post.get("client_secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A bad request: what it sends and what it must get. Placeholders {id}, {secret}, {pid}, {psecret} are the test clients'. */
    record Case(String name, String contentType, String authorization, String query, String body, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String FORM = "application/x-www-form-urlencoded";

    static Stream<Case> badRequests() {
        return Stream.of(
                new Case("wrong secret", FORM, "basic:{id}:wrong", null, "grant_type=client_credentials", 401, "invalid_client"),
                new Case("unknown client", FORM, "basic:nobody:{secret}", null, "grant_type=client_credentials", 401, "invalid_client"),
                new Case("no client authentication", FORM, null, null, "grant_type=client_credentials", 401, "invalid_client"),
                new Case("client_id without secret", FORM, null, null, "grant_type=client_credentials&client_id={id}", 401, "invalid_client"),
                new Case("unsupported grant type", FORM, "basic:{id}:{secret}", null, "grant_type=password&username=a&password=b", 400, "unsupported_grant_type"),
                new Case("unknown grant type", FORM, "basic:{id}:{secret}", null, "grant_type=urn:example:nope", 400, "unsupported_grant_type"),
                new Case("missing grant_type", FORM, "basic:{id}:{secret}", null, "scope=client-scope", 400, "invalid_request"),
                new Case("repeated grant_type", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&grant_type=client_credentials", 400, "invalid_request"),
                new Case("repeated scope", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=a&scope=b", 400, "invalid_request"),
                new Case("scope not registered for the client", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=other-scope", 400, "invalid_scope"),
                new Case("scope unknown to the server", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=admin", 400, "invalid_scope"),
                new Case("scope with a forbidden character", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=%22quoted%22", 400, "invalid_scope"),
                new Case("two authentication methods", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&client_id={id}&client_secret={secret}", 400, "invalid_request"),
                new Case("basic client using post", FORM, null, null, "grant_type=client_credentials&client_id={id}&client_secret={secret}", 401, "invalid_client"),
                new Case("post client using basic", FORM, "basic:{pid}:{psecret}", null, "grant_type=client_credentials", 401, "invalid_client"),
                new Case("client_id differs from the Basic one", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&client_id={pid}", 400, "invalid_request"),
                new Case("Basic header not base64", FORM, "Basic !!!", null, "grant_type=client_credentials", 400, "invalid_request"),
                new Case("Basic header without colon", FORM, "Basic Zm9v", null, "grant_type=client_credentials", 400, "invalid_request"),
                new Case("Bearer instead of Basic", FORM, "Bearer abc", null, "grant_type=client_credentials", 401, "invalid_client"),
                new Case("JSON body", "application/json", "basic:{id}:{secret}", null, "{\"grant_type\":\"client_credentials\"}", 400, "invalid_request"),
                new Case("no content type", null, "basic:{id}:{secret}", null, "grant_type=client_credentials", 400, "invalid_request"),
                new Case("parameters in the query string", FORM, "basic:{id}:{secret}", "grant_type=client_credentials", "", 400, "invalid_request"),
                new Case("malformed percent escape", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=%zz", 400, "invalid_request"),
                new Case("invalid UTF-8", FORM, "basic:{id}:{secret}", null, "grant_type=client_credentials&scope=%C3%28", 400, "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestGetsItsErrorAndTheServerGoesOn(Case c) {
        HttpResponse<String> r = send(c);
        assertEquals(c.status(), r.statusCode(), r.body());
        Map<String, Object> body = TestServer.json(r);
        assertEquals(c.error(), body.get("error"));
        assertTrue(body.get("error_description") instanceof String);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        if (c.status() == 401) {
            assertEquals("Basic realm=\"myAS\", charset=\"UTF-8\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
        assertFalse(r.body().contains("Exception") || r.body().contains("clavis."), "no internals leak");
        server.token(id, secret);
    }

    @Test
    void unknownClientAndWrongSecretLookTheSame() {
        HttpResponse<String> unknown = send(new Case("", FORM, "basic:nobody:{secret}", null, "grant_type=client_credentials", 0, ""));
        HttpResponse<String> wrong = send(new Case("", FORM, "basic:{id}:wrong", null, "grant_type=client_credentials", 0, ""));
        assertEquals(unknown.statusCode(), wrong.statusCode());
        assertEquals(unknown.body(), wrong.body());
        assertEquals(unknown.headers().firstValue("WWW-Authenticate"), wrong.headers().firstValue("WWW-Authenticate"));
    }

    @Test
    void clientSecretPostWorksForAPostClient() {
        HttpResponse<String> r = send(new Case("", FORM, null, null,
                "grant_type=client_credentials&client_id={pid}&client_secret={psecret}&scope=other-scope", 0, ""));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("other-scope", TestServer.json(r).get("scope"));
    }

    @Test
    void noScopeRequestedGivesAllOfTheClientsScopes() {
        HttpResponse<String> r = send(new Case("", FORM, null, null, "grant_type=client_credentials&client_id={pid}&client_secret={psecret}", 0, ""));
        assertEquals("client-scope other-scope", TestServer.json(r).get("scope"));
    }

    @Test
    void basicCredentialsAreFormUrlDecoded() {
        // RFC 6749 section 2.3.1: the id and secret are form-url-encoded before Basic encoding.
        String encodedSecret = String.format("%%%02X", (int) secret.charAt(0)) + secret.substring(1);
        HttpResponse<String> r = send(new Case("", FORM, "basic:{id}:" + encodedSecret, null, "grant_type=client_credentials", 0, ""));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void unpaddedBasicAsOnTheSeedPageIsAccepted() {
        String b64 = java.util.Base64.getEncoder().withoutPadding().encodeToString((id + ":" + secret).getBytes());
        HttpResponse<String> r = TestServer.postForm(server.tokenEndpoint(), "Basic " + b64, "grant_type=client_credentials");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static HttpResponse<String> send(Case c) {
        String url = server.tokenEndpoint() + (c.query() == null ? "" : "?" + c.query());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(fill(c.body())));
        if (c.contentType() != null) b.header("Content-Type", c.contentType());
        if (c.authorization() != null) {
            if (c.authorization().startsWith("basic:")) {
                String[] parts = fill(c.authorization()).split(":", 3);
                b.header("Authorization", TestServer.basic(parts[1], parts[2]));
            } else {
                b.header("Authorization", c.authorization());
            }
        }
        return TestServer.send(b.build());
    }

    private static String fill(String s) {
        return s.replace("{psecret}", postSecret).replace("{pid}", postId).replace("{secret}", secret).replace("{id}", id);
    }
}
