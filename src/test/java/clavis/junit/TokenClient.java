package clavis.junit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind of code the examples test: a client-credentials client that caches its token until shortly before it
 * expires and retries a 5xx answer, with a time limit per request. Stands for the user's own code in
 * docs/use-in-tests.md.
 */
final class TokenClient {
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\":(\\d+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String tokenEndpoint;
    private final String basic;
    private final Clock clock;
    private final int attempts;
    private final Duration timeout;
    private String token;
    private Instant renewAt = Instant.MIN;

    TokenClient(String tokenEndpoint, String clientId, String clientSecret, Clock clock, int attempts, Duration timeout) {
        this.tokenEndpoint = tokenEndpoint;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.attempts = attempts;
        this.timeout = timeout;
    }

    /** The cached token, or a new one when it is due for renewal (30 s before it expires). */
    String token() throws IOException, InterruptedException {
        if (token != null && clock.instant().isBefore(renewAt)) return token;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(timeout)
                    .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500 && attempt < attempts) continue;
            if (r.statusCode() != 200) throw new IOException("token endpoint answered " + r.statusCode() + ": " + r.body());
            Matcher t = TOKEN.matcher(r.body());
            Matcher e = EXPIRES_IN.matcher(r.body());
            if (!t.find() || !e.find()) throw new IOException("not a token response: " + r.body());
            token = t.group(1);
            renewAt = clock.instant().plusSeconds(Long.parseLong(e.group(1)) - 30);
            return token;
        }
    }
}
