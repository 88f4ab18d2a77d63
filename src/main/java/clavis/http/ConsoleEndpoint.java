package clavis.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin console: one HTML page, its script and its style under {@link Paths#CONSOLE}, read from the jar once when
 * the server is wired and served from memory. The page calls the admin API, the admin authorization server's token
 * endpoint and {@code /metrics} from the browser, on the same origin. Every asset carries a Content-Security-Policy
 * that allows only these same-origin files (no inline script or style, no eval, no framing), and is never cached.
 */
public final class ConsoleEndpoint {
    /** Only the console's own files and same-origin calls; no inline code, no eval, no frames, no form posts. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final String HTML = "text/html; charset=utf-8";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";
    /** Where the files are in the jar. */
    private static final String RESOURCES = "/console/";

    private final Map<String, Response> assets;

    private ConsoleEndpoint(Map<String, Response> assets) {
        this.assets = assets;
    }

    /**
     * Reads the page, script and style from the jar. The page names, as text in its meta elements, the admin
     * authorization server's token endpoint (a same-origin path) and the scope to ask for.
     *
     * @param adminAs the id of {@code admin.authorization-server}
     * @param adminScope {@code admin.scope}
     */
    public static ConsoleEndpoint load(String adminAs, String adminScope) {
        String page = text("index.html").replace("{{token-endpoint}}", escape(Paths.TOKEN.replace(Paths.AS, adminAs)))
                .replace("{{admin-scope}}", escape(adminScope));
        Map<String, Response> assets = new LinkedHashMap<>();
        assets.put(Paths.CONSOLE, asset(HTML, page));
        assets.put(Paths.CONSOLE + "/console.js", asset(JAVASCRIPT, text("console.js")));
        assets.put(Paths.CONSOLE + "/console.css", asset(CSS, text("console.css")));
        return new ConsoleEndpoint(Map.copyOf(assets));
    }

    /** One GET route per asset; trivial to answer, so none takes a compute slot. */
    public List<Route> routes() {
        return assets.entrySet().stream().map(e -> {
            Response answer = e.getValue();
            return Route.getWaiting("console", e.getKey(), (request, as) -> answer);
        }).toList();
    }

    private static Response asset(String contentType, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", "no-store");
        return new Response(200, Map.copyOf(headers), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String name) {
        try (InputStream in = ConsoleEndpoint.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("the jar lacks " + RESOURCES + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value written into an HTML attribute as text. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
