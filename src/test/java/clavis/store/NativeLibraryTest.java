package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library in the cache is loaded only when nobody but this user can have put it there. */
class NativeLibraryTest {
    private static final byte[] LIBRARY = "not really a library".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final Logger clavis = Logger.getLogger("clavis"); // held: JUL keeps loggers weakly
    private final List<String> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private String libPath;
    private String libName;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        libPath = System.getProperty("org.sqlite.lib.path");
        libName = System.getProperty("org.sqlite.lib.name");
        clavis.addHandler(capture);
    }

    @AfterEach
    void restore() {
        clavis.removeHandler(capture);
        restore("org.sqlite.lib.path", libPath);
        restore("org.sqlite.lib.name", libName);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private Path cachedLibrary(Path root, Path entry) throws Exception {
        return NativeLibrary.cachedLibrary(root, entry, "libsqlitejdbc.so", () -> new ByteArrayInputStream(LIBRARY));
    }

    @Test
    void aNewCacheIsOwnerOnlyAndItsLibraryIsUsed() throws Exception {
        Path root = dir.resolve("home/.cache/clavis/sqlite-native");
        Path entry = root.resolve("entry");
        Path library = cachedLibrary(root, entry);
        assertEquals(entry.resolve("libsqlitejdbc.so"), library);
        for (Path created : List.of(dir.resolve("home"), dir.resolve("home/.cache"), dir.resolve("home/.cache/clavis"), root, entry)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)), created.toString());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(library)));
        assertEquals(List.of(), warnings);
        assertEquals(library, cachedLibrary(root, entry), "and used again on the next start");
    }

    @Test
    void aPlantedLibraryOthersCanWriteIsNotUsed() throws Exception {
        Path root = dir.resolve("cache");
        Path entry = NativeLibrary.entry(root);
        assertNotNull(entry, "the driver comes from its jar");
        Files.createDirectories(entry);
        Path planted = Files.write(entry.resolve(NativeLibrary.libraryName()), LIBRARY);
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        NativeLibrary.prepare(root);
        assertNotEquals(entry.toString(), System.getProperty("org.sqlite.lib.path"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(planted.toString()) && warnings.get(0).contains("written by others"), warnings.get(0));
    }

    @Test
    void aLibraryInADirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path root = dir.resolve("cache");
        Path entry = NativeLibrary.entry(root);
        Files.createDirectories(entry);
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(Files.write(entry.resolve(NativeLibrary.libraryName()), LIBRARY), PosixFilePermissions.fromString("rw-------"));
        NativeLibrary.prepare(root);
        assertNotEquals(entry.toString(), System.getProperty("org.sqlite.lib.path"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(entry.toString()), warnings.get(0));

        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(cachedLibrary(root, entry), "nor under a cache directory others can write");
    }

    @Test
    void aLinkInPlaceOfTheLibraryIsNotUsed() throws Exception {
        Path root = dir.resolve("cache");
        Path entry = root.resolve("entry");
        Files.createDirectories(entry);
        Path elsewhere = Files.write(dir.resolve("elsewhere.so"), LIBRARY);
        Files.createSymbolicLink(entry.resolve("libsqlitejdbc.so"), elsewhere);
        assertNull(cachedLibrary(root, entry));
        assertTrue(warnings.get(0).contains("symbolic link"), warnings.toString());
    }
}
