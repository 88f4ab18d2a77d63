package clavis.oauth;

import java.security.cert.X509Certificate;

import clavis.jwt.Jws;

/** How a client authenticates (RFC 6749 section 2.3, RFC 7523, RFC 8705): exactly one method per request. */
public sealed interface ClientCredentials {
    /** The client the request claims to be, or "" when it cannot even say. Not yet authenticated. */
    String clientId();

    /** HTTP Basic with the form-url-encoded client id and secret ({@code client_secret_basic}). */
    record Basic(String clientId, String secret) implements ClientCredentials {
    }

    /** {@code client_id} and {@code client_secret} in the form body ({@code client_secret_post}). */
    record Post(String clientId, String secret) implements ClientCredentials {
    }

    /**
     * A signed JWT (RFC 7523 section 2.2, {@code private_key_jwt}), parsed but not verified.
     *
     * @param assertion null when the {@code client_assertion} was not a JWS at all
     * @param endpointUrl the URL of the endpoint the request was sent to, an acceptable {@code aud}
     */
    record Assertion(String clientId, Jws assertion, String endpointUrl) implements ClientCredentials {
    }

    /** A TLS client certificate with the form's {@code client_id} (RFC 8705 section 2). */
    record Certificate(String clientId, X509Certificate[] chain) implements ClientCredentials {
    }
}
