package clavis.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import clavis.json.Json;

/**
 * The last requests an embedded server answered, for tests ({@code Clavis.requests()}): at most {@code capacity}
 * (the oldest go first), each bounded in size and without a secret in clear ({@link RecordedRequest}). A test counts
 * them (did my client cache its token?), takes the next one with a timeout, or clears them. Thread-safe; recording
 * never waits for a reader. With a capacity of 0 nothing is kept.
 */
public final class RecordedRequests {
    static final String MASK = "****";
    private static final int MAX_PARAMETERS = 32;
    private static final int MAX_NAME_LENGTH = 64;
    private static final int MAX_VALUE_LENGTH = 256;
    /** Parameters that carry a credential, wherever they appear (RFC 6749, 7521, 7591, 7592, 7662, 7009, 8693). */
    private static final Set<String> SECRET_NAMES = Set.of("client_secret", "client_assertion", "assertion", "token", "password",
            "code", "code_verifier", "software_statement", "initial_access_token");
    /** A compact JWS or JWE: masked whatever its parameter's name. */
    private static final Pattern JOSE = Pattern.compile("[A-Za-z0-9_-]{8,}(\\.[A-Za-z0-9_-]*){2,4}");

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<RecordedRequest> kept = new ArrayDeque<>();
    private long recorded;
    /** The sequence of the last request {@link #next} returned (or that {@link #clear} passed). */
    private long taken;

    public RecordedRequests(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Whether requests are recorded at all ({@code server.record-requests} above 0). */
    public boolean enabled() {
        return capacity > 0;
    }

    /** Every request kept, oldest first. */
    public synchronized List<RecordedRequest> all() {
        return List.copyOf(kept);
    }

    /** How many kept requests match {@code filter}. */
    public synchronized int count(Predicate<RecordedRequest> filter) {
        int n = 0;
        for (RecordedRequest r : kept) if (filter.test(r)) n++;
        return n;
    }

    /** How many token requests {@code clientId} made (answered or not) among those kept. */
    public int tokenRequests(String clientId) {
        return count(r -> r.isTokenRequest() && clientId.equals(r.clientId()));
    }

    /**
     * The request after the last one this returned (or after the last {@link #clear}), waiting up to {@code timeout}
     * for it to be answered; empty when none came (or the thread was interrupted). If more arrived than are kept,
     * the oldest kept one.
     */
    public synchronized Optional<RecordedRequest> next(Duration timeout) {
        if (!enabled()) throw new IllegalStateException("requests are not recorded: set server.record-requests above 0");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RecordedRequest r : kept) {
                if (r.sequence() > taken) {
                    taken = r.sequence();
                    return Optional.of(r);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return Optional.empty();
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Forgets every request kept; {@link #next} then waits for a new one. */
    public synchronized void clear() {
        kept.clear();
        taken = recorded;
    }

    /**
     * Keeps one answered request.
     *
     * @param response the answer, or null when the connection was closed without one
     */
    void record(String method, String path, String endpoint, String asId, Request request, Response response, boolean faulted) {
        if (!enabled()) return;
        int status = response == null ? 0 : response.status();
        String error = status >= 400 ? error(response.body()) : null;
        String claimed = request == null ? null : claimedClientId(request);
        // A refusal is noted as being for the client it claimed; anything else the endpoint answered, for the authenticated one.
        boolean authenticated = response != null && response.clientId() != null && !faulted && status != 401 && status != 429;
        String clientId = response != null && response.clientId() != null ? response.clientId() : claimed;
        Map<String, String> parameters = request == null ? Map.of() : parameters(request);
        synchronized (this) {
            RecordedRequest r = new RecordedRequest(++recorded, clock.instant(), method, cut(path), endpoint, asId, parameters,
                    clientId == null ? null : cut(clientId), authenticated, status, error, faulted);
            if (kept.size() == capacity) kept.removeFirst();
            kept.addLast(r);
            notifyAll();
        }
    }

    /** The client_id a request claims: the Basic user, else the form's or the path's client_id; null when none or malformed. */
    static String claimedClientId(Request request) {
        String authorization;
        try {
            authorization = request.header("authorization");
        } catch (RuntimeException e) {
            authorization = null;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(Base64.getDecoder().decode(authorization.substring(6).trim()))).toString();
                int colon = decoded.indexOf(':');
                String id = colon < 0 ? null : Form.decodeComponent(decoded.substring(0, colon));
                if (id != null && !id.isEmpty()) return id;
            } catch (IllegalArgumentException | CharacterCodingException e) {
                // malformed: the endpoint refuses it; nothing is claimed
            }
        }
        String id = request.form().get("client_id");
        return id != null ? id : request.pathParams().get("client_id");
    }

    /** The form's parameters, or the JSON body's top-level members; secret ones masked, all bounded. */
    private static Map<String, String> parameters(Request request) {
        Map<String, ?> source = request.form();
        if (source.isEmpty() && request.body().length > 0 && isJson(request)) {
            try {
                source = Json.parseObject(request.body());
            } catch (Json.MalformedJsonException e) {
                source = Map.of();
            }
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, ?> e : source.entrySet()) {
            if (out.size() == MAX_PARAMETERS) break;
            String name = e.getKey().length() > MAX_NAME_LENGTH ? e.getKey().substring(0, MAX_NAME_LENGTH) : e.getKey();
            Object value = e.getValue();
            String text = value == null ? "null" : value instanceof String s ? s : Json.writeString(value);
            out.put(name, secret(name, text) ? MASK : cut(text));
        }
        return out;
    }

    private static boolean isJson(Request request) {
        try {
            return request.hasContentType("application/json");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether a parameter carries a credential: by its name, or because its value is a JWT. */
    static boolean secret(String name, String value) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return SECRET_NAMES.contains(n) || n.endsWith("_secret") || n.endsWith("_token") || n.endsWith("_assertion")
                || n.contains("password") || JOSE.matcher(value).matches();
    }

    private static String cut(String text) {
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH) + "...";
    }

    /** The {@code error} member of an error answer's JSON body, or null. */
    private static String error(byte[] body) {
        if (body.length == 0 || body.length > 64 * 1024) return null;
        try {
            Object error = Json.parseObject(body).get("error");
            return error instanceof String s ? cut(s) : null;
        } catch (Json.MalformedJsonException e) {
            return null;
        }
    }

    /** For {@code toString}: what a failing test prints. */
    @Override
    public synchronized String toString() {
        List<String> lines = new ArrayList<>();
        for (RecordedRequest r : kept) lines.add(r.toString());
        return String.join("\n", lines);
    }
}
