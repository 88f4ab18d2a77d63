package clavis.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import clavis.json.Json;
import clavis.oauth.Actor;
import clavis.oauth.Audit;

/**
 * The audit trail: one JSON line per event on the logger {@code clavis.audit}, and, with {@code server.audit-log},
 * appended to that file, which Clavis creates owner-only ({@code rw-------}). A change's line is fsync'd before
 * {@link #record} returns; lines written meanwhile by other threads share that fsync (as the database's group commit
 * shares its own), so a burst of changes costs a few fsyncs, not one each. Several processes (the server, admin
 * commands) may append to one file: each line is one write to a file opened for appending.
 */
public final class AuditLog implements Audit, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("clavis.audit");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Longer values (a client_id a client claimed, say) are cut: a line stays small whatever was sent. */
    static final int MAX_VALUE_CHARS = 256;

    private final Clock clock;
    private final Path path;
    private final FileChannel file;
    /** Bytes this process has appended, and how many of them are known to be on disk. Guarded by {@code file}, {@code syncLock}. */
    private long written;
    private long synced;
    private final Object syncLock = new Object();

    private AuditLog(Clock clock, Path path, FileChannel file) {
        this.clock = clock;
        this.path = path;
        this.file = file;
    }

    /** A trail on the logger alone. */
    public static AuditLog loggerOnly(Clock clock) {
        return new AuditLog(clock, null, null);
    }

    /** A trail on the logger and appended to {@code path}, created owner-only when it does not exist; throws when it cannot be opened. */
    public static AuditLog open(Path path, Clock clock) {
        try {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                warnIfOpenToOthers(path);
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions here: created below with the default mode
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new AuditLog(clock, path, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void record(Event event, String asId, Actor actor, Object... details) {
        String line = line(event, asId, actor, details);
        LOG.log(System.Logger.Level.INFO, line);
        if (file == null) return;
        try {
            append((line + "\n").getBytes(StandardCharsets.UTF_8), event.change());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + path + ": " + e.getMessage(), e);
        }
    }

    /** The event as one line of JSON: time, event, as, the details, actor, address. */
    String line(Event event, String asId, Actor actor, Object... details) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", Instant.ofEpochMilli(clock.millis()).toString());
        json.put("event", event.wireName());
        if (asId != null) json.put("as", bounded(asId));
        Audit.pairs(details).forEach((name, value) -> json.put(name, value instanceof String s ? bounded(s) : value));
        json.put("actor", bounded(actor.name()));
        if (actor.address() != null) json.put("address", actor.address());
        return Json.writeString(json);
    }

    private static String bounded(String value) {
        return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "...";
    }

    /** Appends one line in one write; when {@code durable}, returns once it (and what was appended before it) is on disk. */
    private void append(byte[] line, boolean durable) throws IOException {
        long end;
        synchronized (file) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) file.write(buffer);
            end = written += line.length;
        }
        if (!durable) return;
        synchronized (syncLock) {
            if (synced >= end) return; // another thread's fsync already covered this line
            long upTo;
            synchronized (file) {
                upTo = written;
            }
            file.force(false);
            synced = upTo;
        }
    }

    private static void warnIfOpenToOthers(Path path) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.log(System.Logger.Level.WARNING, "the audit log " + path + " can be read or written by other users; restrict it: chmod 600 " + path);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions here
        }
    }

    @Override
    public void close() {
        if (file == null) return;
        try {
            synchronized (syncLock) {
                file.force(false);
            }
            file.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the audit log " + path + ": " + e.getMessage());
        }
    }
}
