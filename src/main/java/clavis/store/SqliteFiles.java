package clavis.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SQLite file holds the private signing keys, so Clavis creates it owner-only ({@code rw-------}) before SQLite
 * opens it; SQLite gives its {@code -wal} and {@code -shm} files the mode of the database file. An existing file
 * that other users may read or write is named in a warning at start. Skipped quietly where the file system has
 * no POSIX permissions.
 */
final class SqliteFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    private static final System.Logger LOG = System.getLogger("clavis.store");

    private SqliteFiles() {
    }

    /** Creates the database file of {@code url} owner-only when it does not exist yet, else warns if it is open to others. */
    static void secure(String url) {
        Path file = file(url);
        if (file == null) return;
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)); // an empty file is an empty database
        } catch (FileAlreadyExistsException e) {
            warnIfOpenToOthers(file);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no such directory (SQLite will say so), or no POSIX permissions here: nothing to do
        }
    }

    private static void warnIfOpenToOthers(Path file) {
        List<String> open = new ArrayList<>();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.isRegularFile(f) && Files.getPosixFilePermissions(f).stream().anyMatch(OTHERS::contains)) open.add(f.toString());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return; // gone meanwhile, or no POSIX permissions here
            }
        }
        if (open.isEmpty()) return;
        LOG.log(System.Logger.Level.WARNING, "the database file " + String.join(", ", open) + " can be read or written by other users,"
                + " and it holds the private signing keys; restrict it to the owner: chmod 600 " + String.join(" ", open));
    }

    /**
     * The file a {@code jdbc:sqlite:} URL names, or null for an in-memory database or a form not understood here
     * (a {@code file:} URI with percent escapes), which is then left to SQLite.
     */
    static Path file(String url) {
        String name = url.substring("jdbc:sqlite:".length());
        int query = name.indexOf('?');
        if (query >= 0) name = name.substring(0, query); // sqlite-jdbc reads pragmas from the query
        if (name.startsWith("file:")) {
            if (name.contains("%")) return null;
            name = name.substring("file:".length());
            if (name.startsWith("//")) {
                name = name.substring(2);
                if (!name.startsWith("/")) return null; // file://host/...
            }
        }
        if (name.isEmpty() || name.startsWith(":memory:") || name.startsWith(":resource:")) return null;
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
