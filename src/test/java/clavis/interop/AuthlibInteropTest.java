package clavis.interop;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's stock clients against a real Clavis, with their defaults, as Debian packages them: Authlib (discovery,
 * client_secret_basic, client_secret_post, private_key_jwt through its PrivateKeyJWT, introspection, revocation)
 * and PyJWT (the token's signature against the JWKS, its issuer and audience). The checks are
 * src/test/python/authlib_interop.py; this test starts the server, runs it and reads what it printed.
 */
class AuthlibInteropTest {
    private static final String SCRIPT = "src/test/python/authlib_interop.py";
    private static final String PACKAGES = "apt-get install python3-authlib python3-jwt python3-requests";
    private static final List<String> CHECKS = List.of("discovery", "discovery-fields", "registration", "client_secret_basic",
            "pyjwt-verification", "pyjwt-refusals", "client_secret_post", "registration-with-keys", "private_key_jwt",
            "private_key_jwt-defaults", "introspection", "revocation", "introspection-after-revocation");

    @TempDir
    Path dir;

    /** A Python 3 that has the packages: the one on the PATH, else Debian's own (a PATH may lead to another Python). */
    private String python() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (ExternalClient.works(List.of(candidate, "-c", "import authlib, jwt, requests, cryptography"), dir)) return candidate;
        }
        ExternalClient.missing("Python 3 with Authlib, PyJWT and requests", PACKAGES);
        return null;
    }

    @Test
    void authlibAndPyJwtWithTheirDefaultsRegisterAuthenticateVerifyIntrospectAndRevoke() {
        String python = python();
        try (ClavisUnderTest server = new ClavisUnderTest(dir)) {
            ExternalClient.Run run = ExternalClient.run(List.of(python, Path.of(SCRIPT).toAbsolutePath().toString(), server.issuer(),
                    ClavisUnderTest.AUDIENCE), dir, Map.of("PYTHONDONTWRITEBYTECODE", "1"));
            run.assertSucceeded("the Authlib checks");
            for (String check : CHECKS) run.assertPrinted("ok " + check + ": ");
            run.assertPrinted("all checks passed");
        }
    }
}
