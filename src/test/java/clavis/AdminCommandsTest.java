package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands, run on the database of a running server, with their output and exit codes. */
class AdminCommandsTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Result admin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store.url=jdbc:sqlite:" + dir.resolve("clavis.db"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int tokenStatus(TestServer server, String id, String secret) {
        return TestServer.postForm(server.tokenEndpoint(), TestServer.basic(id, secret), "grant_type=client_credentials").statusCode();
    }

    @Test
    void listShowRotateAndDeleteAgainstARunningServer() throws Exception {
        // store.cache-seconds=0: the running server reads the client at every request, so the command's change is seen at once
        try (TestServer server = TestServer.start(dir, "store.cache-seconds", "0")) {
            Map<String, Object> reg = server.register("{\"client_name\":\"listed\"}");
            String id = (String) reg.get("client_id");
            String secret = (String) reg.get("client_secret");

            Result list = admin("clients", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains(id) && list.out().contains("listed") && list.out().contains("myAS"), list.out());

            Result show = admin("clients", "show", id);
            assertEquals(0, show.code(), show.err());
            assertTrue(show.out().contains("\"client_id\":\"" + id + "\"") && show.out().contains("\"client_name\":\"listed\""), show.out());
            assertFalse(show.out().contains(secret), "show never prints the secret");
            assertFalse(show.out().contains("sha256:"), "nor its hash");

            Result rotate = admin("clients", "rotate-secret", id);
            assertEquals(0, rotate.code(), rotate.err());
            String newSecret = rotate.out().trim();
            assertTrue(newSecret.length() >= 43);
            assertEquals(401, tokenStatus(server, id, secret), "the old secret stops working");
            assertEquals(200, tokenStatus(server, id, newSecret));

            Result delete = admin("clients", "delete", id);
            assertEquals(0, delete.code(), delete.err());
            assertEquals(401, tokenStatus(server, id, newSecret), "a deleted client is gone for the running server");
            assertEquals(1, admin("clients", "delete", id).code());
            assertEquals(1, admin("clients", "show", id).code());
            assertEquals(1, admin("clients", "rotate-secret", id).code());
            server.assertAlive();
        }
    }

    @Test
    void aStoreInMemoryHasNothingToAdministerAndSaysSo() {
        for (String store : List.of("--store.url=memory:", "--store.url=jdbc:sqlite::memory:", "--server.dev-mode=true")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"clients", "list", store},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Main.EXIT_USAGE, code, store);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in memory: it lives only inside a running server"), err.toString(StandardCharsets.UTF_8));
            assertEquals("", out.toString(StandardCharsets.UTF_8), "no empty list that looks like an answer");
        }
    }

    @Test
    void initialAccessTokenCreateForAServerThatRequiresThem() {
        try (TestServer server = TestServer.start(dir, "as.myAS.registration", "initial-access-token")) {
            Result created = admin("initial-access-token", "create", "--as", "myAS", "--uses", "1",
                    "--as.myAS.registration=initial-access-token");
            assertEquals(0, created.code(), created.err());
            String token = created.out().trim();
            HttpResponse<String> r = TestServer.withBearer("POST", server.registrationEndpoint(), token, "{}");
            assertEquals(201, r.statusCode(), r.body());
        }
    }

    @Test
    void keysListAndRotateAgainstARunningServer() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String[] client = server.registerClient();
            String before = (String) server.token(client[0], client[1]).get("access_token");
            String oldKid = (String) JwtVerifier.decodePart(before.split("\\.")[0]).get("kid");

            Result list = admin("keys", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains(oldKid) && list.out().contains("active"), list.out());

            Result rotate = admin("keys", "rotate", "--as", "myAS");
            assertEquals(0, rotate.code(), rotate.err());
            String newKid = rotate.out().trim();
            assertFalse(newKid.equals(oldKid));
            server.clavis.refreshKeys(); // what the server's refresh does every store.cache-seconds, now rather than waiting for it
            String kid = (String) JwtVerifier.decodePart(((String) server.token(client[0], client[1]).get("access_token")).split("\\.")[0]).get("kid");
            assertEquals(newKid, kid, "the running server signs with the new key");
            Map<String, Object> jwks = TestServer.json(TestServer.get(server.url(clavis.http.Paths.JWKS, "myAS")));
            JwtVerifier.verify(before, jwks); // a token from before the rotation still verifies
            Result after = admin("keys", "list");
            assertTrue(after.out().contains(oldKid + " ") && after.out().contains("retired"), after.out());
            assertEquals(2, admin("keys", "rotate").code());
            assertEquals(1, admin("keys", "rotate", "--as", "nope").code());
        }
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhy() {
        Result noAs = admin("initial-access-token", "create");
        assertEquals(2, noAs.code());
        assertTrue(noAs.err().contains("--as"), noAs.err());
        assertTrue(noAs.err().contains("usage:"));
        assertEquals(2, admin("clients").code());
        assertEquals(2, admin("clients", "show").code());
        assertEquals(2, admin("clients", "list", "extra").code());
        assertEquals(2, admin("frobnicate").code());
        assertEquals(2, admin("initial-access-token", "create", "--as", "myAS", "--uses", "0").code());
        assertEquals(2, admin("initial-access-token", "create", "--as", "myAS", "--uses", "many").code());
        assertEquals(2, admin("clients", "list", "--server.port=x").code(), "a configuration problem is a usage error");
        Result unknownAs = admin("initial-access-token", "create", "--as=nope");
        assertEquals(1, unknownAs.code());
        assertTrue(unknownAs.err().contains("nope"));
    }
}
