package clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for the mutual TLS tests, made with the JDK's keytool in a folder: one PKCS12 store per name
 * ({@code name}.p12, alias {@code name}), EC P-256 keys valid two days, a test CA whose certificate is {@code ca.pem}.
 */
final class TestCertificates {
    static final String PASSWORD = "test-keystore-password";

    private final Path dir;

    TestCertificates(Path dir) {
        this.dir = dir;
    }

    Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    /** The test CA's certificate, PEM; made by {@link #ca()}. */
    Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The test CA: a key pair with a self-signed CA certificate, exported to {@link #caPem()}. */
    void ca() throws Exception {
        keyPair("ca", "CN=Clavis Test CA", "bc:c");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store("ca").toString(), "-file", caPem().toString());
    }

    /** A key pair with a self-signed certificate in {@code name}.p12; {@code ext} are keytool -ext values. */
    void keyPair(String name, String dn, String... ext) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", dn, "-storetype", "PKCS12", "-keystore", store(name).toString(), "-keypass", PASSWORD));
        for (String e : ext) args.addAll(List.of("-ext", e));
        keytool(args.toArray(String[]::new));
    }

    /** Replaces {@code name}'s self-signed certificate with one the test CA issues (the chain: it, then the CA). */
    void signByCa(String name, String... ext) throws Exception {
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        keytool("-certreq", "-alias", name, "-keystore", store(name).toString(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", store("ca").toString(),
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "2", "-rfc"));
        for (String e : ext) gencert.addAll(List.of("-ext", e));
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-keystore", store(name).toString(), "-file", caPem().toString());
        keytool("-importcert", "-alias", name, "-keystore", store(name).toString(), "-file", crt.toString());
    }

    KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store(name))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + output);
    }
}
