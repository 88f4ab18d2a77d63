package clavis.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What client {@link ClavisExtension} registers for a {@code Clavis.RegisteredClient} parameter: a new one per
 * parameter, registered in code before the test runs.
 *
 * <pre>{@code
 * @Test
 * void readsOrders(@ClavisClient(scope = "orders.read") Clavis.RegisteredClient client) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ClavisClient {
    /** The authorization server; by default the first configured one. */
    String as() default "";

    /** Space-separated scopes; by default the server's default scopes. */
    String scope() default "";

    /** {@code client_secret_basic} (the default) or {@code client_secret_post}. */
    String authMethod() default "client_secret_basic";
}
