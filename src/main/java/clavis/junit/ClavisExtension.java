package clavis.junit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import clavis.Clavis;
import clavis.config.Config;

/**
 * JUnit 5 extension: one Clavis per test class, injected into test methods as a {@link Clavis} parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static ClavisExtension clavis = ClavisExtension.withAuthorizationServer("myAS", "orders.read");
 * }</pre>
 *
 * As a static field the server lives for the whole class; as an instance field, for each test. Needs
 * junit-jupiter-api on the test class path; Clavis does not ship it.
 */
public final class ClavisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private final Config config;
    private Clavis clavis;
    private boolean perTest;

    public ClavisExtension(Config config) {
        this.config = config;
    }

    /** A server with one authorization server, an in-memory database and a free port. */
    public static ClavisExtension withAuthorizationServer(String asId, String scopes) {
        return new ClavisExtension(Config.builder().authorizationServer(asId, scopes).build());
    }

    /** The running server (started before the first test). */
    public Clavis clavis() {
        if (clavis == null) throw new IllegalStateException("Clavis starts before the tests; use it from a test or a @BeforeAll");
        return clavis;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (clavis == null) clavis = Clavis.start(config);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (clavis == null) {
            clavis = Clavis.start(config);
            perTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) stop();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (clavis != null) clavis.close();
        clavis = null;
        perTest = false;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Clavis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (clavis == null) beforeEach(context);
        return clavis;
    }
}
