package clavis.bench;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * navikt's mock-oauth2-server measured exactly as {@code EmbeddedStart} measures Clavis: from just before the server
 * is made to the first token answered over HTTP (client credentials, Basic, any client), first in this fresh JVM
 * ("cold"), then again in the same JVM ("warm"). Its defaults: RS256, a key made at start. Prints EMBEDDED_START lines.
 */
public final class MockOAuth2Start {
    public static void main(String[] args) throws Exception {
        for (String kind : new String[] {"cold", "warm", "warm"}) {
            long t0 = System.nanoTime();
            MockOAuth2Server server = new MockOAuth2Server();
            server.start();
            try {
                long started = System.nanoTime();
                token(server.tokenEndpointUrl("default").toString());
                long done = System.nanoTime();
                System.out.printf("EMBEDDED_START server=mock-oauth2 alg=RS256 kind=%s start_ms=%.1f first_token_ms=%.1f%n", kind,
                        (started - t0) / 1e6, (done - t0) / 1e6);
            } finally {
                server.shutdown();
            }
        }
    }

    /** The same request as EmbeddedStart's, with the same client. */
    private static void token(String endpoint) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(endpoint).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                "bench-client:bench-secret".getBytes(StandardCharsets.UTF_8)));
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = c.getOutputStream()) {
            out.write("grant_type=client_credentials&scope=client-scope".getBytes(StandardCharsets.US_ASCII));
        }
        if (c.getResponseCode() != 200) throw new IllegalStateException("token request failed: " + c.getResponseCode());
        c.getInputStream().readAllBytes();
        c.disconnect();
    }
}
