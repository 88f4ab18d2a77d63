package clavis.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import clavis.json.Json;
import clavis.jwt.PublicJwk;
import clavis.log.LogText;

/**
 * A client's public keys: its registered {@code jwks}, or the JWK Set at its {@code jwks_uri} (RFC 7591 section 2).
 * A {@code jwks_uri} is fetched without redirects, within a short timeout and a size cap, and cached for a few
 * minutes; a key the cached set does not know triggers one refetch, at most every {@link #REFETCH_SECONDS} seconds.
 */
public final class ClientKeys {
    static final int MAX_JWKS_BYTES = 64 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final long CACHE_SECONDS = 300;
    static final long REFETCH_SECONDS = 10;
    private static final int MAX_CACHED = 10_000;

    private final ConcurrentHashMap<String, Fetched> fetched = new ConcurrentHashMap<>();
    private final long refetchSeconds;
    private volatile HttpClient http; // made on first use: most servers never fetch a jwks_uri

    /** A fetched key set, or why it could not be had; both are cached, so a dead jwks_uri is not hammered. */
    private record Fetched(List<PublicJwk> keys, long atNanos) {
        boolean olderThan(long seconds) {
            return System.nanoTime() - atNanos > seconds * 1_000_000_000L;
        }
    }

    public ClientKeys() {
        this(REFETCH_SECONDS);
    }

    /** @param refetchSeconds how soon an unknown key may trigger another fetch of the same jwks_uri */
    ClientKeys(long refetchSeconds) {
        this.refetchSeconds = refetchSeconds;
    }

    /** The client's keys (empty when it has none or its jwks_uri cannot be read). */
    public List<PublicJwk> keys(ClientMetadata metadata) {
        if (metadata.jwks() != null) return metadata.publicKeys();
        String uri = metadata.jwksUri();
        if (uri == null) return List.of();
        Fetched f = fetched.get(uri);
        if (f == null || f.olderThan(CACHE_SECONDS)) f = fetch(uri);
        return f.keys();
    }

    /**
     * The keys again after a signature found no key: refetched from the {@code jwks_uri} (the client may have rotated)
     * unless that was done very recently; null when nothing new can be had.
     */
    public List<PublicJwk> refreshed(ClientMetadata metadata) {
        String uri = metadata.jwksUri();
        if (uri == null) return null;
        Fetched f = fetched.get(uri);
        if (f != null && !f.olderThan(refetchSeconds)) return null;
        return fetch(uri).keys();
    }

    private Fetched fetch(String uri) {
        List<PublicJwk> keys;
        try {
            keys = parse(download(uri));
        } catch (IOException | IllegalArgumentException | Json.MalformedJsonException e) {
            System.getLogger("clavis.oauth").log(System.Logger.Level.WARNING,
                    "cannot read the jwks_uri " + LogText.escape(uri) + ": " + LogText.escape(e.getMessage()));
            keys = List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys = List.of();
        }
        Fetched f = new Fetched(keys, System.nanoTime());
        if (fetched.size() >= MAX_CACHED) fetched.clear();
        fetched.put(uri, f);
        return f;
    }

    private Map<String, Object> download(String uri) throws IOException, InterruptedException, Json.MalformedJsonException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) throw new IOException("status " + response.statusCode());
            byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
            if (bytes.length > MAX_JWKS_BYTES) throw new IOException("larger than " + MAX_JWKS_BYTES + " bytes");
            return Json.parseObject(bytes);
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
                }
                c = http;
            }
        }
        return c;
    }

    /** The keys of a JWK Set Clavis can verify with; others (encryption keys, other curves) are skipped. */
    private static List<PublicJwk> parse(Map<String, Object> set) {
        if (!(set.get("keys") instanceof List<?> list)) throw new IllegalArgumentException("not a JWK Set");
        List<PublicJwk> keys = new ArrayList<>();
        for (Object item : list) {
            if (keys.size() == ClientMetadata.MAX_JWKS_KEYS) break;
            if (!(item instanceof Map<?, ?> jwk)) continue;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) jwk;
                keys.add(PublicJwk.parse(typed));
            } catch (IllegalArgumentException e) {
                // not a signature key Clavis supports
            }
        }
        return List.copyOf(keys);
    }
}
