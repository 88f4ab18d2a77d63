package clavis.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import clavis.Clavis;
import clavis.config.Config;

/**
 * In-process start to first token: from before {@code Clavis.start} (in-memory store, port 0) to the first token
 * answered over HTTP, in this fresh JVM. Usage: EmbeddedStart ALG. Prints one EMBEDDED_START line.
 */
public final class EmbeddedStart {
    public static void main(String[] args) throws Exception {
        String alg = args.length > 0 ? args[0] : "RS256";
        long t0 = System.nanoTime();
        Config config = Config.builder().authorizationServer("myAS", "client-scope").set("as.myAS.signing-alg", alg).build();
        try (Clavis clavis = Clavis.start(config)) {
            long started = System.nanoTime();
            Clavis.RegisteredClient client = clavis.registerClient("myAS", null);
            String basic = Base64.getEncoder().encodeToString((client.clientId() + ":" + client.clientSecret()).getBytes());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(clavis.tokenEndpoint("myAS")))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            long done = System.nanoTime();
            if (r.statusCode() != 200) throw new IllegalStateException("token request failed: " + r.statusCode());
            System.out.printf("EMBEDDED_START alg=%s start_ms=%.1f first_token_ms=%.1f%n", alg, (started - t0) / 1e6, (done - t0) / 1e6);
        }
    }
}
