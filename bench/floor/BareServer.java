import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * The floor for Clavis's start figure: the JDK's HTTP server, as Clavis sets it up, answering every request with
 * a constant token-shaped body. No database, no keys, no JSON, no signature. Started by the benchmark the way
 * Clavis is (java -jar, then curl until an access_token comes), so the two figures compare.
 * usage: java -jar bare-server.jar PORT
 */
public final class BareServer {
    public static void main(String[] args) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        byte[] body = "{\"access_token\":\"not-a-token\",\"token_type\":\"Bearer\",\"expires_in\":300}".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }
}
