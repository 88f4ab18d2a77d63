package clavis.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import clavis.TestClock;
import clavis.json.Json;
import clavis.oauth.Actor;
import clavis.oauth.Audit;

/** The audit file: owner-only, appended to by every writer, one JSON line per event, values bounded. */
class AuditLogTest {
    @TempDir
    Path dir;

    private static Map<String, Object> parse(String line) throws Exception {
        return Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFileIsCreatedOwnerOnlyAndEachEventIsOneJsonLine() throws Exception {
        Path file = dir.resolve("audit.log");
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (AuditLog audit = AuditLog.open(file, clock)) {
            audit.record(Audit.Event.CLIENT_DELETED, "myAS", Actor.admin("ops", "192.0.2.7"), "client_id", "c-1");
            audit.record(Audit.Event.THROTTLING_STARTED, "myAS", Actor.unauthenticated("192.0.2.8"), "client_id", "x\ny".repeat(200),
                    "reason", null);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), "a value with a line break stays on its line: " + lines);
        assertEquals("{\"time\":\"2026-03-01T10:00:00Z\",\"event\":\"client_deleted\",\"as\":\"myAS\",\"client_id\":\"c-1\","
                + "\"actor\":\"admin:ops\",\"address\":\"192.0.2.7\"}", lines.get(0));
        Map<String, Object> second = parse(lines.get(1));
        assertEquals(AuditLog.MAX_VALUE_CHARS + 3, ((String) second.get("client_id")).length(), "a long value is cut");
        assertTrue(!second.containsKey("reason"), "a null detail is left out");
    }

    @Test
    void aSecondWriterAppendsAndAnExistingFileKeepsItsLines() throws Exception {
        Path file = dir.resolve("audit.log");
        TestClock clock = new TestClock();
        try (AuditLog server = AuditLog.open(file, clock); AuditLog command = AuditLog.open(file, clock)) {
            server.record(Audit.Event.KEY_ROTATED, "myAS", Actor.SERVER, "kid", "k1");
            command.record(Audit.Event.KEY_ROTATED, "myAS", Actor.commandLine(), "kid", "k2");
            server.record(Audit.Event.KEY_ROTATED, "myAS", Actor.SERVER, "kid", "k3");
        }
        try (AuditLog again = AuditLog.open(file, clock)) {
            again.record(Audit.Event.KEY_ROTATED, "myAS", Actor.SERVER, "kid", "k4");
        }
        List<String> kids = Files.readAllLines(file).stream().map(l -> {
            try {
                return (String) parse(l).get("kid");
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(List.of("k1", "k2", "k3", "k4"), kids);
    }

    @Test
    void aFileThatCannotBeOpenedIsAnErrorNamingIt() {
        Path missingDir = dir.resolve("no/such/dir/audit.log");
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> AuditLog.open(missingDir, new TestClock()));
        assertTrue(e.getMessage().contains(missingDir.toString()), e.getMessage());
    }
}
