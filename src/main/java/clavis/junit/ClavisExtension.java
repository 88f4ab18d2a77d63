package clavis.junit;

import java.time.Clock;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import clavis.Clavis;
import clavis.config.Config;
import clavis.config.ConfigBuilder;
import clavis.http.Faults;
import clavis.http.RecordedRequests;

/**
 * JUnit 5 extension: one Clavis per test class (as a static field; per test as an instance field), and parameters
 * for test methods: the {@link Clavis}, a newly registered {@link Clavis.RegisteredClient} (see {@link ClavisClient}),
 * its {@link RecordedRequests} and {@link Faults}, and its clock ({@link Clock}, or {@link clavis.TestClock} when it is
 * one). Before each test the recorded requests and the faults of a class-wide server are cleared, so each test sees
 * its own.
 *
 * <pre>{@code
 * static final TestClock CLOCK = new TestClock();
 * @RegisterExtension
 * static ClavisExtension clavis = ClavisExtension.builder().authorizationServer("myAS", "orders.read").clock(CLOCK).build();
 * }</pre>
 *
 * Needs junit-jupiter-api on the test class path; Clavis does not ship it.
 */
public final class ClavisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private final Config config;
    private Clavis clavis;
    private boolean perTest;
    static {
        // The extension is made when its test class loads, before the server starts: the heavy classes of a start
        // (JSON, the HTTP date format, logging) load meanwhile on a thread of their own.
        Clavis.warmUp();
    }

    public ClavisExtension(Config config) {
        this.config = config;
    }

    /** A server with one authorization server, the memory store and a free port. */
    public static ClavisExtension withAuthorizationServer(String asId, String scopes) {
        return builder().authorizationServer(asId, scopes).build();
    }

    /** A server configured in code: authorization servers, any key, the clock, dev mode, recorded requests. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration of an extension's server: {@code Config.builder()}'s, with the same defaults. */
    public static final class Builder {
        private final ConfigBuilder config = Config.builder();

        private Builder() {
        }

        /** An authorization server with the scopes its clients may be granted (space-separated). */
        public Builder authorizationServer(String asId, String scopes) {
            config.authorizationServer(asId, scopes);
            return this;
        }

        /** Any configuration key, as in {@code config.properties}. */
        public Builder set(String key, String value) {
            config.set(key, value);
            return this;
        }

        /** The clock every time-based rule follows: a {@link clavis.TestClock} the test moves. */
        public Builder clock(Clock clock) {
            config.clock(clock);
            return this;
        }

        /** Dev mode: any client_id with any secret gets a token, any authorization server id exists on first use. */
        public Builder devMode() {
            config.devMode();
            return this;
        }

        /** How many of the last requests are kept (100 unless set; 0 for none). */
        public Builder recordRequests(int last) {
            config.recordRequests(last);
            return this;
        }

        public ClavisExtension build() {
            return new ClavisExtension(config.build());
        }
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
        } else {
            clavis.requests().clear();
            clavis.faults().clear();
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
        Class<?> type = parameter.getParameter().getType();
        return type == Clavis.class || type == Clavis.RegisteredClient.class || type == RecordedRequests.class || type == Faults.class
                || type == Clock.class || (type.isInstance(config.clock()) && Clock.class.isAssignableFrom(type));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (clavis == null) beforeEach(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Clavis.RegisteredClient.class) return register(parameter.findAnnotation(ClavisClient.class).orElse(null));
        if (type == RecordedRequests.class) return clavis.requests();
        if (type == Faults.class) return clavis.faults();
        if (Clock.class.isAssignableFrom(type)) return config.clock();
        return clavis;
    }

    private Clavis.RegisteredClient register(ClavisClient spec) {
        String as = spec == null ? "" : spec.as();
        if (as.isEmpty()) {
            as = config.authorizationServers().keySet().stream().findFirst().orElseThrow(() -> new ParameterResolutionException(
                    "no authorization server is configured: name one with @ClavisClient(as = ...)"));
        }
        String scope = spec == null || spec.scope().isEmpty() ? null : spec.scope();
        try {
            return clavis.registerClient(as, scope, spec == null ? "client_secret_basic" : spec.authMethod());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("cannot register the client: " + e.getMessage(), e);
        }
    }
}
