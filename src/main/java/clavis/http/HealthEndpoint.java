package clavis.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import clavis.oauth.AuthorizationServer;

/**
 * {@code GET /health} and {@code /health/ready}: readiness, with a database ping (503 when it fails);
 * {@code GET /health/live}: liveness, the process answers.
 */
public final class HealthEndpoint implements Endpoint {
    private final BooleanSupplier database;
    private final boolean checkDatabase;

    private HealthEndpoint(BooleanSupplier database, boolean checkDatabase) {
        this.database = database;
        this.checkDatabase = checkDatabase;
    }

    public static HealthEndpoint readiness(BooleanSupplier databaseUp) {
        return new HealthEndpoint(databaseUp, true);
    }

    public static HealthEndpoint liveness() {
        return new HealthEndpoint(() -> true, false);
    }

    @Override
    public Response handle(Request request, AuthorizationServer ignored) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = !checkDatabase || database.getAsBoolean();
        body.put("status", up ? "UP" : "DOWN");
        if (checkDatabase) body.put("database", up ? "UP" : "DOWN");
        return Response.jsonNoStore(up ? 200 : 503, body);
    }
}
