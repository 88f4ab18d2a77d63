package clavis.bench;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import clavis.Clavis;
import clavis.config.Config;

/**
 * In-process start to first token: from just before {@code Clavis.start} (in-memory store, port 0) to the first
 * token answered over HTTP, first in this fresh JVM ("cold": every class still to load), then again in the same
 * JVM ("warm": what each further test class of a suite pays). Usage: EmbeddedStart [ALG]; without ALG,
 * {@code Config.builder()}'s defaults (server=clavis-defaults), the figure compared with mock-oauth2-server
 * (bench/embedded/MockOAuth2Start.java, measured the same way). Prints EMBEDDED_START lines.
 */
public final class EmbeddedStart {
    public static void main(String[] args) throws Exception {
        String alg = args.length > 0 ? args[0] : null;
        String server = alg == null ? "clavis-defaults" : "clavis";
        for (String kind : new String[] {"cold", "warm", "warm"}) {
            long t0 = System.nanoTime();
            var builder = Config.builder().authorizationServer("myAS", "client-scope");
            if (alg != null) builder.set("as.myAS.signing-alg", alg);
            Config config = builder.build();
            try (Clavis clavis = Clavis.start(config)) {
                long started = System.nanoTime();
                Clavis.RegisteredClient client = clavis.registerClient("myAS", null);
                token(clavis.tokenEndpoint("myAS"), client);
                long done = System.nanoTime();
                System.out.printf("EMBEDDED_START server=%s alg=%s kind=%s start_ms=%.1f first_token_ms=%.1f%n", server,
                        config.authorizationServers().get("myAS").signingAlgorithm(), kind, (started - t0) / 1e6, (done - t0) / 1e6);
            }
        }
    }

    /** The lightest client the JDK has, so that the figure is Clavis's and not the HTTP client's class loading. */
    private static void token(String endpoint, Clavis.RegisteredClient client) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(endpoint).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (client.clientId() + ":" + client.clientSecret()).getBytes(StandardCharsets.UTF_8)));
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = c.getOutputStream()) {
            out.write("grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII));
        }
        if (c.getResponseCode() != 200) throw new IllegalStateException("token request failed: " + c.getResponseCode());
        c.getInputStream().readAllBytes();
        c.disconnect();
    }
}
