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
}
