package clavis;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import clavis.http.Paths;

/** The admin API as a test calls it: a server with it on, an operator's static client, and JSON calls with a token. */
final class AdminCalls {
    static final String OPERATOR = "ops";
    static final String OPERATOR_SECRET = "operator-secret-of-some-length";

    private AdminCalls() {
    }

    /** The settings that turn the admin API on for myAS, with the static client "ops" holding clavis:admin, plus {@code extra}. */
    static String[] settings(String... extra) {
        List<String> all = new ArrayList<>(List.of("admin.authorization-server", "myAS", "as.myAS.scopes", "client-scope clavis:admin",
                "as.myAS.client." + OPERATOR + ".secret", OPERATOR_SECRET, "as.myAS.client." + OPERATOR + ".scope", "clavis:admin"));
        all.addAll(Arrays.asList(extra));
        return all.toArray(String[]::new);
    }

    /** An access token of the operator's client, with the admin scope. */
    static String operatorToken(TestServer server) {
        return (String) server.token(OPERATOR, OPERATOR_SECRET).get("access_token");
    }

    /** A call to {@code /admin/api/v1} + {@code path} with a Bearer token (none when null) and a JSON body (none when null). */
    static HttpResponse<String> call(TestServer server, String method, String path, String token, String json) {
        return TestServer.withBearer(method, server.url(Paths.ADMIN + path), token, json);
    }

    /** As {@link #call}, asserting {@code status}, and the JSON object answered (empty for 204). */
    static Map<String, Object> ok(int status, TestServer server, String method, String path, String token, String json) {
        HttpResponse<String> r = call(server, method, path, token, json);
        if (r.statusCode() != status) throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? Map.of() : TestServer.json(r);
    }
}
