package clavis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Clavis as a separate process, from the test class path or the built jar, for what only a process can show (SIGKILL, the jar). */
final class ChildProcess implements AutoCloseable {
    final int port;
    final Process process;

    private ChildProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code clavis.Main} with the given --key=value arguments and waits until it answers. */
    static ChildProcess start(int port, Path log, String... args) throws Exception {
        return start(List.of("-cp", System.getProperty("java.class.path"), "clavis.Main"), port, log, args);
    }

    /** As {@link #start(int, Path, String...)}, with JVM options such as {@code -Xmx64m}. */
    static ChildProcess startWithJvmOptions(List<String> jvmOptions, int port, Path log, String... args) throws Exception {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), "clavis.Main"));
        return start(launch, port, log, args);
    }

    /** As {@link #start(int, Path, String...)}, from a built jar: {@code java -jar jar}. */
    static ChildProcess startJar(Path jar, int port, Path log, String... args) throws Exception {
        return start(List.of("-jar", jar.toString()), port, log, args);
    }

    private static ChildProcess start(List<String> launch, int port, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of("--config=/dev/null", "--server.port=" + port, "--server.access-log=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("Clavis exited with " + p.exitValue() + "; see " + log);
            try {
                HttpResponse<String> r = TestServer.get("http://127.0.0.1:" + port + "/health");
                if (r.statusCode() == 200) return new ChildProcess(port, p);
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("Clavis did not answer within 30 s; see " + log);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
