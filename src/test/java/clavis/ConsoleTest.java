package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.http.Paths;

/** The admin console's files as HTTP serves them, without a browser: where, with which headers, and what they hold. */
class ConsoleTest {
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(Paths.CONSOLE, "text/html; charset=utf-8",
            Paths.CONSOLE + "/console.js", "text/javascript; charset=utf-8", Paths.CONSOLE + "/console.css", "text/css; charset=utf-8");

    @TempDir
    Path dir;
    @TempDir
    static Path sharedDir;
    /** A server with the admin API on, for the tests that only read the console's files. */
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(sharedDir, AdminCalls.settings());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void consoleFilesAreServedWithTheirTypeAndSecurityHeaders() {
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            HttpResponse<String> r = TestServer.get(server.url(file.getKey()));
            assertEquals(200, r.statusCode(), file.getKey());
            assertEquals(file.getValue(), header(r, "Content-Type"), file.getKey());
            assertEquals(CSP, header(r, "Content-Security-Policy"), file.getKey());
            assertEquals("nosniff", header(r, "X-Content-Type-Options"), file.getKey());
            assertEquals("no-referrer", header(r, "Referrer-Policy"), file.getKey());
            assertEquals("DENY", header(r, "X-Frame-Options"), file.getKey());
            assertEquals("no-store", header(r, "Cache-Control"), file.getKey());
            assertFalse(r.body().isBlank(), file.getKey());
        }
        assertEquals(405, TestServer.postJson(server.url(Paths.CONSOLE), "{}").statusCode());
        assertEquals(404, TestServer.get(server.url(Paths.CONSOLE + "/other.js")).statusCode());
        server.assertAlive();
    }

    @Test
    void consoleIsNotFoundWhenTheAdminApiIsOff() {
        try (TestServer off = TestServer.start(dir)) {
            for (String path : FILES.keySet()) {
                HttpResponse<String> r = TestServer.get(off.url(path));
                assertEquals(404, r.statusCode(), path);
                assertEquals("not_found", TestServer.json(r).get("error"));
            }
            off.assertAlive();
        }
    }

    @Test
    void pageHasNoInlineScriptOrStyleAndNamesTheAdminTokenEndpoint() {
        String page = TestServer.get(server.url(Paths.CONSOLE)).body();
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/admin/console.js\""), scripts.group());
            assertEquals("", scripts.group(2).trim(), "no inline script");
        }
        assertEquals(1, count, "one script, the console's own");
        assertFalse(Pattern.compile("(?i)\\son[a-z]+\\s*=").matcher(page).find(), "no inline event handler");
        assertFalse(Pattern.compile("(?i)<style|\\sstyle\\s*=").matcher(page).find(), "no inline style");
        assertFalse(Pattern.compile("(?i)(src|href)=\"(https?:)?//").matcher(page).find(), "nothing from elsewhere");
        assertTrue(page.contains("content=\"" + Paths.TOKEN.replace("{as}", "myAS") + "\""), "the admin server's token endpoint, same origin");
        assertTrue(page.contains("content=\"clavis:admin\""), "the admin scope");
    }

    @Test
    void scriptWritesServerValuesAsTextOnlyAndKeepsTheTokenOutOfStorage() {
        HttpResponse<String> served = TestServer.get(server.url(Paths.CONSOLE + "/console.js"));
        assertEquals(200, served.statusCode());
        String script = served.body();
        assertTrue(script.contains("textContent") && script.contains("createElement"), "builds the page node by node");
        for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                "localStorage", "sessionStorage", "document.cookie", "history.pushState", "location.hash")) {
            assertFalse(script.contains(banned), "the script uses " + banned);
        }
        assertTrue(script.length() < 40_000, "small enough to read: " + script.length() + " characters");
    }

    @Test
    void adminScopeIsWrittenIntoThePageAsText() {
        try (TestServer custom = TestServer.start(dir, AdminCalls.settings("admin.scope", "ops<admin>&'",
                "as.myAS.scopes", "client-scope ops<admin>&'", "as.myAS.client." + AdminCalls.OPERATOR + ".scope", "ops<admin>&'"))) {
            String page = TestServer.get(custom.url(Paths.CONSOLE)).body();
            assertTrue(page.contains("content=\"ops&lt;admin&gt;&amp;&#39;\""), page);
        }
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }
}
