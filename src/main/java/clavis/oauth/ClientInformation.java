package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/** The client information response of RFC 7591 section 3.2.1 and RFC 7592 section 3. */
final class ClientInformation {
    private ClientInformation() {
    }

    /**
     * The registered metadata plus the client's identifiers; {@code secret} and {@code registrationToken} only
     * when just created (they are stored hashed and cannot be shown again).
     */
    static Map<String, Object> json(AuthorizationServer as, Client client, String secret, String registrationToken) {
        Map<String, Object> json = new LinkedHashMap<>(client.metadata().toJson());
        json.put("client_id", client.clientId());
        if (secret != null) json.put("client_secret", secret);
        json.put("client_id_issued_at", client.issuedAt());
        // RFC 7591 section 3.2.1: required only when a secret was issued; key-based clients have none.
        if (client.metadata().usesSecret()) json.put("client_secret_expires_at", client.secretExpiresAt());
        if (registrationToken != null) json.put("registration_access_token", registrationToken);
        json.put("registration_client_uri", as.registrationClientUri(client.clientId()));
        return json;
    }

    /**
     * As {@link #json}, for RFC 7592 reads and updates: also what the client's tokens are, as set by an operator
     * ({@code access_token_lifetime}, the effective seconds, and {@code access_token_claims}). A client that sends them
     * back in an update changes nothing: they are not metadata it may set, and are ignored.
     */
    static Map<String, Object> configuration(AuthorizationServer as, Client client, String registrationToken) {
        Map<String, Object> json = json(as, client, null, registrationToken);
        json.put("access_token_lifetime", client.tokens().lifetime(as.tokenPolicy().lifetimeSeconds()));
        json.put("access_token_claims", client.tokens().claims());
        return json;
    }
}
