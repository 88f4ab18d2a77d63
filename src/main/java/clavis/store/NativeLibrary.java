package clavis.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Keeps sqlite-jdbc's native library in a per-user cache ({@code ~/.cache/clavis}, mode 700) instead of letting
 * the driver find, read and extract it on every start, which took about 150 ms of each start here. The cache
 * entry is named after the jar it came from (path, size, modification time) and the platform, so a new jar gets
 * a new entry. Anything unexpected leaves the driver to its own way.
 */
final class NativeLibrary {
    private static boolean prepared;

    private NativeLibrary() {
    }

    static synchronized void prepare() {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) return;
        prepared = true;
        try {
            Path jar = Path.of(SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) return;
            String name = System.mapLibraryName("sqlitejdbc");
            if (name.endsWith(".jnilib")) name = "libsqlitejdbc.dylib";
            String identity = jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis()
                    + "|" + System.getProperty("os.name") + "|" + System.getProperty("os.arch");
            Path root = cacheHome().resolve("clavis");
            java.util.zip.CRC32 crc = new java.util.zip.CRC32(); // a name, not a check: the directory is the user's own
            crc.update(identity.getBytes(StandardCharsets.UTF_8));
            Path dir = root.resolve("sqlite-native").resolve(Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(identity.hashCode()));
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                byte[] library;
                String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
                    if (in == null) return;
                    library = in.readAllBytes();
                }
                Files.createDirectories(dir);
                restrict(root);
                Path temp = Files.createTempFile(dir, name, ".tmp");
                Files.write(temp, library);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | URISyntaxException | RuntimeException | LinkageError e) {
            // the driver extracts the library itself, as it always does
        }
    }


    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    }

    private static void restrict(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }
}
