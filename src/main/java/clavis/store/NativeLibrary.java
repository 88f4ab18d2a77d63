package clavis.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Keeps sqlite-jdbc's native library in a per-user cache instead of letting the driver read it from the jar and
 * extract it on every start: measured here (JDK 17, 2 cores), loading the driver takes about 45 ms instead of 150,
 * and {@code java -jar} to the first token 50 to 75 ms less of about 0.7 s (medians of four runs of 9 to 11
 * alternating starts each). The cache is
 * {@value #PROPERTY} (system property), else {@value #ENVIRONMENT} (environment variable), else
 * {@code $XDG_CACHE_HOME/clavis/sqlite-native} or {@code ~/.cache/clavis/sqlite-native}; {@code none} turns it off.
 * An entry is named after the jar it came from (path, size, modification time) and the platform.
 *
 * <p>A library is code this process runs, so the cache is used only when nobody else can have put it there: every
 * directory Clavis creates is {@code rwx------}, and before loading, the cache directory, the entry's directory and
 * the library file must all belong to this user and be writable by nobody else, and the library must be a regular
 * file, not a link. Otherwise, or on anything unexpected, the driver extracts its library as it always does, and a
 * warning says why (once).
 */
final class NativeLibrary {
    static final String PROPERTY = "clavis.native-cache";
    static final String ENVIRONMENT = "CLAVIS_NATIVE_CACHE";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final System.Logger LOG = System.getLogger("clavis.store");
    private static boolean prepared;

    private NativeLibrary() {
    }

    /** Points the driver at the cached library, once per JVM, unless someone else already chose one. */
    static synchronized void prepare() {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) return;
        prepared = true;
        Path root = cacheDirectory();
        if (root != null) prepare(root);
    }

    /** As {@link #prepare()}, with the cache in {@code root}; sets the driver's properties only to a safe library. */
    static void prepare(Path root) {
        try {
            Path entry = entry(root);
            if (entry == null) return;
            String name = libraryName();
            // The platform's folder only when the library must be written: finding it runs `uname -o` in a new
            // process (sqlite-jdbc's Android check), which a start with the library already cached need not pay.
            Path library = cachedLibrary(root, entry, name, () -> SQLiteJDBCLoader.class.getResourceAsStream(
                    "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name));
            if (library == null) return;
            System.setProperty("org.sqlite.lib.path", library.getParent().toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | URISyntaxException | RuntimeException | LinkageError e) {
            // the driver extracts the library itself, as it always does
        }
    }

    /**
     * The cache entry for the driver's jar under {@code root}, named after the jar (path, size, modification time) and
     * the platform; null when the driver does not come from a jar (tests, an IDE), where it finds its own way.
     */
    static Path entry(Path root) throws IOException, URISyntaxException {
        Path jar = Path.of(SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) return null;
        String identity = jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis()
                + "|" + System.getProperty("os.name") + "|" + System.getProperty("os.arch");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32(); // a name, not a check: the checks are in cachedLibrary
        crc.update(identity.getBytes(StandardCharsets.UTF_8));
        return root.resolve(Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(identity.hashCode()));
    }

    /** The file name the driver looks for. */
    static String libraryName() {
        String name = System.mapLibraryName("sqlitejdbc");
        return name.endsWith(".jnilib") ? "libsqlitejdbc.dylib" : name;
    }

    /** Where the library comes from when it must be written into the cache. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /**
     * The library {@code name} in directory {@code entry} under {@code root}, written from {@code source} if missing,
     * once it has passed the checks; null (and a warning) when it does not, or when there is nothing to write.
     */
    static Path cachedLibrary(Path root, Path entry, String name, Source source) throws IOException {
        UserPrincipal me;
        try {
            me = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null; // no POSIX users here: no cache
        }
        createOwnerOnly(entry);
        Path file = entry.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes;
            try (InputStream in = source.open()) {
                if (in == null) return null;
                bytes = in.readAllBytes();
            }
            Path temp = Files.createTempFile(entry, name, ".tmp"); // rw------- on POSIX
            try {
                Files.write(temp, bytes);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // another process wrote it first: it is checked like any other
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        for (Path p : new Path[] {root, entry, file}) {
            String problem = problem(p, me, p != file);
            if (problem != null) {
                LOG.log(System.Logger.Level.WARNING, "not using the SQLite library cache: " + p + " " + problem
                        + "; the driver extracts its library itself (set " + PROPERTY + " or " + ENVIRONMENT + " elsewhere, or to none)");
                return null;
            }
        }
        return file;
    }

    /** Why {@code p} must not be trusted, or null: a link, another owner, writable by others, not the expected kind. */
    private static String problem(Path p, UserPrincipal me, boolean directory) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return "has no POSIX permissions";
        }
        if (a.isSymbolicLink()) return "is a symbolic link";
        if (directory ? !a.isDirectory() : !a.isRegularFile()) return directory ? "is not a directory" : "is not a regular file";
        if (!a.owner().equals(me)) return "belongs to " + a.owner().getName() + ", not to " + me.getName();
        if (a.permissions().stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
            return "can be written by others (" + PosixFilePermissions.toString(a.permissions()) + ")";
        }
        return null;
    }

    /** Creates {@code dir} and its missing parents, each {@code rwx------}; leaves existing ones as they are. */
    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) createOwnerOnly(parent);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile by another process: checked before use like any other
        }
    }

    /** The configured cache directory, or null when it is turned off. */
    private static Path cacheDirectory() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(ENVIRONMENT);
        if (configured != null && !configured.isBlank()) return configured.trim().equals("none") ? null : Path.of(configured.trim());
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return home.resolve("clavis").resolve("sqlite-native");
    }
}
