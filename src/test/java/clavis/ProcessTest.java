package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a process: exit codes, the start-up line, and SIGTERM. */
class ProcessTest {
    @TempDir
    Path dir;

    private static ProcessBuilder clavis(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "clavis.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    @Test
    void aBadConfigurationNamesEveryProblemAndExitsTwoBeforeListening() throws Exception {
        Process p = clavis("--config=/dev/null", "--server.port=eighty", "--as.myAS.signing-alg=HS256", "--server.prot=1").start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("server.port") && output.contains("as.myAS.signing-alg") && output.contains("server.prot")
                && output.contains("as.myAS.scopes: required"), output);
    }

    @Test
    void aPortInUseExitsOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = clavis("--config=/dev/null", "--server.port=" + taken.getLocalPort(), "--as.myAS.scopes=a",
                    "--store.url=" + TestDatabases.sqlite(dir)).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), output);
            assertTrue(output.contains("cannot start"), output);
        }
    }

    @Test
    void aFailedStartAndAnAdminCommandNeverPrintTheStorePassword() throws Exception {
        for (String url : List.of("jdbc:postgresql://127.0.0.1:1/x?user=u&password=s3cret", "jdbc:postgresql://u:s3cret@127.0.0.1:1/x",
                "jdbc:postgresql://127.0.0.1:99999999/x?user=u&password=s3cret")) { // the driver quotes a URL it cannot parse
            for (String command : List.of("serve", "clients")) {
                Process p = clavis(command, command.equals("clients") ? "list" : "--server.port=0", "--config=/dev/null", "--as.myAS.scopes=a",
                        "--store.url=" + url).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(1, p.exitValue(), output);
                assertTrue(output.contains("****") && output.contains("127.0.0.1"), output);
                assertFalse(output.contains("s3cret"), output);
            }
        }
    }

    private static void awaitScrapeSeesInFlight(ChildProcess child, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!TestServer.get(child.url("/metrics")).body().contains("\nclavis_http_requests_in_flight " + n + "\n")) {
            if (System.nanoTime() > deadline) throw new AssertionError("never " + n + " requests in flight");
        }
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenExits() throws Exception {
        Path log = dir.resolve("clavis.log");
        int port = ChildProcess.freePort();
        ChildProcess child = ChildProcess.start(port, log, "--store.url=" + TestDatabases.sqlite(dir), "--as.myAS.scopes=client-scope",
                "--as.myAS.client.svc.secret=service-secret-0123456789");
        assertTrue(Files.readString(log).contains("Clavis serving on port " + port), "one start-up line with the URLs");
        String body = "grant_type=client_credentials";
        String path = URI.create(child.url("/auth-login/rest/oauth2/authorization-servers/myAS/token")).getPath();
        try (Socket socket = RawHttp.connect(port, null)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Authorization: " + TestServer.basic("svc", "service-secret-0123456789") + "\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body.substring(0, 5)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitScrapeSeesInFlight(child, 2); // ours, waiting in its handler for the rest of its body, and the scrape
            child.process.destroy(); // SIGTERM
            OperationsTest.awaitShuttingDown(child.url("/health/live"));
            assertTrue(child.process.isAlive(), "it is draining, and waits for the request in flight");
            out.write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            RawHttp.Answer answer = RawHttp.read(in);
            assertEquals(200, answer.status(), answer.text());
        }
        assertTrue(child.process.waitFor(15, TimeUnit.SECONDS), "and then exits");
    }
}
