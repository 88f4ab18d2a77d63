package clavis.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A stock client of another ecosystem, run as its own process against a real Clavis. What it needs comes from
 * Debian packages; when they are missing the test is skipped with the command that installs them, or fails where
 * CLAVIS_REQUIRE_INTEROP=1 (CI, which installs them: .ci/run).
 */
final class ExternalClient {
    static final String REQUIRE = "CLAVIS_REQUIRE_INTEROP";
    private static final long TIMEOUT_SECONDS = 120;

    private ExternalClient() {
    }

    /** What a run printed (stdout and stderr together) and how it ended. */
    record Run(int exitCode, String output) {
        /** Fails with the whole output unless the run ended with status 0. */
        Run assertSucceeded(String what) {
            Assertions.assertEquals(0, exitCode, what + " failed:\n" + output);
            return this;
        }

        /** Fails with the whole output unless a line starts with {@code prefix}. */
        void assertPrinted(String prefix) {
            Assertions.assertTrue(output.lines().anyMatch(l -> l.startsWith(prefix)), "no line starting with '" + prefix + "' in:\n" + output);
        }
    }

    /** Skips the test (fails it when CLAVIS_REQUIRE_INTEROP=1) because {@code what} is missing. */
    static void missing(String what, String install) {
        String message = what + " is missing: " + install;
        if ("1".equals(System.getenv(REQUIRE))) Assertions.fail(message + " (" + REQUIRE + "=1 requires the interoperability checks)");
        Assumptions.abort(message);
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, and waits for it. Proxy settings are dropped, so
     * that requests to the loopback server are never sent to a proxy.
     */
    static Run run(List<String> command, Path dir, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        for (String proxy : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")) {
            builder.environment().remove(proxy);
        }
        builder.environment().put("NO_PROXY", "localhost,127.0.0.1");
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes(); // until it exits and closes its output
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Run(-1, "cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /** Whether {@code command} runs and exits with status 0 (for probing what is installed). */
    static boolean works(List<String> command, Path dir) {
        return run(command, dir, Map.of()).exitCode() == 0;
    }
}
