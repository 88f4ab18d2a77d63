package clavis.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import clavis.json.Json;
import clavis.oauth.Actor;
import clavis.oauth.AdminAccess;
import clavis.oauth.AdminService;
import clavis.oauth.AdminViews;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientChange;
import clavis.oauth.InitialAccessToken;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * The admin API under {@code /admin/api/v1}: JSON in and out, every call authorized by {@link AdminAccess} before
 * anything else, the work done by {@link AdminService} (which the admin commands use too). Reads run on the
 * request's thread (they wait on the database), writes wait for their commit and their audit line. Answers are never
 * cached; errors are {@code {"error", "error_description"}} ({@code not_found} for an unknown id).
 */
public final class AdminEndpoint {
    /** The most a body of a call without client metadata may be. */
    static final int SMALL_BODY_BYTES = 1024;

    private final AdminService admin;
    private final AdminAccess access;
    private final String baseUrl;
    private final Clock clock;

    /** One admin call, once authorized: the request, the server its path names (or null), and who calls. */
    @FunctionalInterface
    private interface Call {
        Response handle(Request request, AuthorizationServer as, Actor actor);
    }

    /** @param baseUrl the public base URL, which a DPoP proof's {@code htu} names */
    public AdminEndpoint(AdminService admin, AdminAccess access, String baseUrl, Clock clock) {
        this.admin = admin;
        this.access = access;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /** The routes of the admin API; {@code metadataBodyBytes} bounds a body that carries client metadata or claims. */
    public List<Route> routes(int metadataBodyBytes) {
        String clients = Paths.ADMIN + "/clients";
        String client = clients + "/{as}/{client_id}";
        String tokens = Paths.ADMIN + "/initial-access-tokens/{as}";
        return List.of(
                Route.getWaiting("admin", clients, authorized(this::listClients)),
                Route.writing("admin", clients + "/{as}", "POST", Route.Body.JSON, metadataBodyBytes, authorized(this::createClient)),
                Route.getWaiting("admin", client, authorized(this::showClient)),
                Route.writing("admin", client, "PATCH", Route.Body.JSON, metadataBodyBytes, authorized(this::updateClient)),
                Route.writing("admin", client, "DELETE", Route.Body.NONE, 0, authorized(this::deleteClient)),
                Route.writing("admin", client + "/secret", "POST", Route.Body.JSON, SMALL_BODY_BYTES, authorized(this::rotateSecret)),
                Route.getWaiting("admin", Paths.ADMIN + "/keys", authorized(this::keys)),
                Route.writing("admin", Paths.ADMIN + "/keys/{as}/rotate", "POST", Route.Body.JSON, SMALL_BODY_BYTES, authorized(this::rotateKey)),
                Route.writing("admin", tokens, "POST", Route.Body.JSON, SMALL_BODY_BYTES, authorized(this::createInitialAccessToken)),
                Route.getWaiting("admin", tokens, authorized(this::listInitialAccessTokens)),
                Route.writing("admin", tokens + "/{id}", "DELETE", Route.Body.NONE, 0, authorized(this::deleteInitialAccessToken)));
    }

    /** {@code call} behind the admin check; the access log names the admin's client_id. */
    private Endpoint authorized(Call call) {
        return (request, as) -> {
            String adminId = access.authorize(new AdminAccess.Call(request.header("authorization"), request.headers("dpop"), request.method(),
                    baseUrl + request.path(), request.path(), request.clientCertificates(), request.remoteAddress()));
            try {
                return call.handle(request, as, Actor.admin(adminId, request.remoteAddress())).forClient(adminId);
            } catch (OAuthException e) {
                throw e.about(adminId);
            }
        };
    }

    // GET /clients?as=ID&limit=N&after=CURSOR&q=TEXT
    private Response listClients(Request request, AuthorizationServer ignored, Actor actor) {
        Map<String, String> query = query(request, Set.of("as", "limit", "after", "q"));
        AdminService.Page<Client> page = admin.clients(query.get("as"), limit(query), query.get("after"), query.get("q"));
        return Response.jsonNoStore(200, page(page, "clients", c -> AdminViews.summary(c, admin.tokenLifetime(c))));
    }

    // POST /clients/{as}
    private Response createClient(Request request, AuthorizationServer as, Actor actor) {
        AdminService.WithSecret created = admin.createClient(actor, as.id(), body(request, true));
        Map<String, Object> json = admin.view(created.client());
        if (created.secret() != null) json.put("client_secret", created.secret());
        return Response.jsonNoStore(201, json).with("Location", Paths.ADMIN + "/clients/" + as.id() + "/" + created.client().clientId());
    }

    // GET /clients/{as}/{client_id}
    private Response showClient(Request request, AuthorizationServer as, Actor actor) {
        Client client = found(admin.client(as.id(), param(request, "client_id")), "client");
        return Response.jsonNoStore(200, admin.view(client));
    }

    // PATCH /clients/{as}/{client_id}
    private Response updateClient(Request request, AuthorizationServer as, Actor actor) {
        ClientChange change = ClientChange.parse(body(request, true));
        return Response.jsonNoStore(200, admin.view(found(admin.updateClient(actor, as.id(), param(request, "client_id"), change), "client")));
    }

    // DELETE /clients/{as}/{client_id}
    private Response deleteClient(Request request, AuthorizationServer as, Actor actor) {
        if (!admin.deleteClient(actor, as.id(), param(request, "client_id"))) throw notFound("client");
        return Response.empty(204);
    }

    // POST /clients/{as}/{client_id}/secret  {"grace_seconds": N}
    private Response rotateSecret(Request request, AuthorizationServer as, Actor actor) {
        Map<String, Object> body = only(body(request, false), Set.of("grace_seconds"));
        AdminService.WithSecret rotated = found(admin.rotateSecret(actor, as.id(), param(request, "client_id"),
                number(body, "grace_seconds", 0)), "client");
        Client c = rotated.client();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", c.clientId());
        json.put("client_secret", rotated.secret());
        json.put("client_secret_expires_at", c.secretExpiresAt());
        if (c.previousSecretValidAt(clock.instant().getEpochSecond())) json.put("previous_client_secret_expires_at", c.previousSecretExpiresAt());
        return Response.jsonNoStore(200, json);
    }

    // GET /keys
    private Response keys(Request request, AuthorizationServer ignored, Actor actor) {
        query(request, Set.of());
        return Response.jsonNoStore(200, Map.of("keys", admin.keys().stream().map(AdminViews::key).toList()));
    }

    // POST /keys/{as}/rotate
    private Response rotateKey(Request request, AuthorizationServer as, Actor actor) {
        only(body(request, false), Set.of());
        String kid = admin.rotateKey(actor, as.id());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("authorization_server", as.id());
        json.put("kid", kid);
        return Response.jsonNoStore(200, json);
    }

    // POST /initial-access-tokens/{as}  {"expires_in": SECONDS, "uses": N}
    private Response createInitialAccessToken(Request request, AuthorizationServer as, Actor actor) {
        Map<String, Object> body = only(body(request, false), Set.of("expires_in", "uses"));
        AdminService.NewInitialAccessToken created = admin.createInitialAccessToken(actor, as.id(), number(body, "expires_in", 0),
                number(body, "uses", -1));
        Map<String, Object> json = AdminViews.initialAccessToken(created.token());
        json.put("initial_access_token", created.value());
        return Response.jsonNoStore(201, json);
    }

    // GET /initial-access-tokens/{as}?limit=N&after=CURSOR
    private Response listInitialAccessTokens(Request request, AuthorizationServer as, Actor actor) {
        Map<String, String> query = query(request, Set.of("limit", "after"));
        AdminService.Page<InitialAccessToken> page = admin.initialAccessTokens(as.id(), limit(query), query.get("after"));
        return Response.jsonNoStore(200, page(page, "initial_access_tokens", AdminViews::initialAccessToken));
    }

    // DELETE /initial-access-tokens/{as}/{id}
    private Response deleteInitialAccessToken(Request request, AuthorizationServer as, Actor actor) {
        if (!admin.deleteInitialAccessToken(actor, as.id(), param(request, "id"))) throw notFound("initial access token");
        return Response.empty(204);
    }

    private static <T> Map<String, Object> page(AdminService.Page<T> page, String name, java.util.function.Function<T, Map<String, Object>> view) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(name, page.items().stream().map(view).toList());
        if (page.next() != null) json.put("next", page.next());
        return json;
    }

    /** The query's parameters, each once and each one of {@code allowed}, else {@code invalid_request}. */
    private static Map<String, String> query(Request request, Set<String> allowed) {
        if (request.rawQuery() == null) return Map.of();
        Map<String, String> values = Form.parse(request.rawQuery().getBytes(StandardCharsets.US_ASCII)).values();
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) throw invalid("unknown query parameter" + (name.matches("[a-z_]{1,20}") ? " " + name : ""));
        }
        return values;
    }

    private static int limit(Map<String, String> query) {
        String limit = query.get("limit");
        if (limit == null) return AdminService.DEFAULT_PAGE;
        if (!limit.matches("[0-9]{1,4}")) throw invalid("limit must be 1 to " + AdminService.MAX_PAGE);
        return Integer.parseInt(limit);
    }

    /** A path segment, percent-decoded (RFC 3986 section 2.1); a malformed one is {@code invalid_request}. */
    private static String param(Request request, String name) {
        try {
            return URLDecoder.decode(request.pathParams().get(name).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("the path's " + name + " is not well percent-encoded");
        }
    }

    /**
     * The JSON object a body holds; an empty body is {@code {}} unless {@code required}. Content-Type must be
     * {@code application/json} (or {@code application/merge-patch+json}).
     */
    private static Map<String, Object> body(Request request, boolean required) {
        if (request.body().length == 0 && !required) return Map.of();
        if (!request.hasContentType("application/json") && !request.hasContentType("application/merge-patch+json")) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, 415, "Content-Type must be application/json");
        }
        try {
            return Json.parseObject(request.body());
        } catch (Json.MalformedJsonException e) {
            throw invalid(e.getMessage());
        }
    }

    private static Map<String, Object> only(Map<String, Object> body, Set<String> allowed) {
        for (String name : body.keySet()) {
            if (!allowed.contains(name)) throw invalid("unknown member" + (name.matches("[a-z_]{1,40}") ? " " + name : "") + "; allowed: " + allowed);
        }
        return body;
    }

    private static long number(Map<String, Object> body, String name, long fallback) {
        Object value = body.get(name);
        if (value == null) return fallback;
        if (value instanceof Integer || value instanceof Long) return ((Number) value).longValue();
        throw invalid(name + " must be a whole number");
    }

    private static <T> T found(Optional<T> value, String what) {
        return value.orElseThrow(() -> notFound(what));
    }

    private static OAuthException notFound(String what) {
        return new OAuthException(OAuthError.NOT_FOUND, "no such " + what);
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
