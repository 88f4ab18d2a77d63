package clavis;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import clavis.config.Config;
import clavis.http.HttpFront;

/**
 * Registered for every test class (src/test/resources/META-INF/services): sets the JDK HttpServer's settings to
 * Clavis's defaults before any test makes an HttpServer of its own (a jwks_uri server, say). The JDK reads them
 * once per JVM, and test JVMs run many classes: without this, a plain HttpServer made first would leave every
 * Clavis after it without TCP_NODELAY (a 40 ms stall per keep-alive response). Classes tagged {@code own-jvm} set
 * their own limits and are left alone.
 */
public final class JdkServerDefaults implements BeforeAllCallback {
    private static final Config.Limits DEFAULTS = Config.builder().authorizationServer("defaults", "x").build().limits();

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean ownJvm = context.getTestClass().map(c -> c.isAnnotationPresent(org.junit.jupiter.api.Tag.class)
                && "own-jvm".equals(c.getAnnotation(org.junit.jupiter.api.Tag.class).value())).orElse(false);
        if (!ownJvm) HttpFront.configureJdkServer(DEFAULTS);
    }
}
