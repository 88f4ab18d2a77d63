package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/** A client just registered, with the one copy of its secret that will ever leave the server. */
public record Registration(Client client, String clientSecret) {

    /** The RFC 7591 section 3.2.1 response: the registered metadata plus the client's credentials. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>(client.metadata().toJson());
        json.put("client_id", client.clientId());
        json.put("client_secret", clientSecret);
        json.put("client_id_issued_at", client.issuedAt());
        json.put("client_secret_expires_at", client.secretExpiresAt());
        return json;
    }
}
