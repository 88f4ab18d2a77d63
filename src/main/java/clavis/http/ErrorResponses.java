package clavis.http;

import java.util.LinkedHashMap;
import java.util.Map;

import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** The one place that turns errors into HTTP: {@code {"error", "error_description"}} (RFC 6749 section 5.2). */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** An OAuth error; {@code invalid_client} is 401 with a Basic challenge for {@code realm} (section 5.2). */
    static Response of(OAuthException e, String realm) {
        Response r = Response.jsonNoStore(e.status(), body(e.error().code(), e.description()));
        if (e.error() == OAuthError.INVALID_CLIENT) {
            r = r.with("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        }
        if (e.error() == OAuthError.INVALID_TOKEN) {
            r = r.with("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        // RFC 6750 section 3.1 and RFC 9449 section 7.1: what a protected resource (the admin API) answers.
        if (e.error() == OAuthError.INSUFFICIENT_SCOPE) {
            r = r.with("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        }
        if (e.error() == OAuthError.INVALID_DPOP_PROOF && e.status() == 401) {
            r = r.with("WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\"");
        }
        if (e.retryAfterSeconds() > 0) r = r.with("Retry-After", Integer.toString(e.retryAfterSeconds()));
        return r.forClient(e.clientId());
    }

    static Response notFound(String description) {
        return Response.jsonNoStore(404, body("not_found", description));
    }

    static Response methodNotAllowed(String allow) {
        return Response.jsonNoStore(405, body("method_not_allowed", "use " + allow)).with("Allow", allow);
    }

    static Response shuttingDown() {
        return Response.jsonNoStore(503, body("temporarily_unavailable", "the server is shutting down")).with("Retry-After", "1");
    }

    /** The answer of an injected fault ({@link Faults}): the status and error a test asked for. */
    static Response injected(int status, String error) {
        return Response.jsonNoStore(status, body(error, "a fault injected by a test"));
    }

    /** An unexpected failure: nothing of it is shown but a reference that the log also has. */
    static Response serverError(String correlationId) {
        return Response.jsonNoStore(500, body(OAuthError.SERVER_ERROR.code(), "unexpected error; reference " + correlationId))
                .with("X-Correlation-Id", correlationId);
    }

    private static Map<String, Object> body(String error, String description) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", error);
        json.put("error_description", description);
        return json;
    }
}
