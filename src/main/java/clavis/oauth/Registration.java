package clavis.oauth;

import java.util.Map;

/** A client just registered, with the one copy of its secret and registration access token that will leave the server. */
public record Registration(AuthorizationServer as, Client client, String clientSecret, String registrationAccessToken) {

    /** The RFC 7591 section 3.2.1 response, with the RFC 7592 fields. */
    public Map<String, Object> toJson() {
        return ClientInformation.json(as, client, clientSecret, registrationAccessToken);
    }
}
