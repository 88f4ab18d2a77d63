package clavis.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import clavis.oauth.AuthorizationServer;
import clavis.ops.Metrics;

/** {@code GET /metrics}: the Prometheus text exposition format, version 0.0.4. */
public final class MetricsEndpoint implements Endpoint {
    private final Metrics metrics;

    public MetricsEndpoint(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Response handle(Request request, AuthorizationServer ignored) {
        return new Response(200, Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                metrics.exposition().getBytes(StandardCharsets.UTF_8));
    }
}
