package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What operators see, as JSON members: the same for {@code clients show} and the admin API. Never a secret or its
 * hash, never a token or private key material.
 */
public final class AdminViews {
    private AdminViews() {
    }

    /**
     * A client whole: identifiers, until when its secret (and a previous one) works, its metadata, and what its tokens
     * are.
     *
     * @param tokenLifetime its tokens' effective lifetime, in seconds
     * @param now epoch seconds, to say whether a previous secret still works
     */
    public static Map<String, Object> client(Client c, long tokenLifetime, long now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", c.clientId());
        json.put("authorization_server", c.asId());
        json.put("client_id_issued_at", c.issuedAt());
        json.put("client_secret_expires_at", c.secretExpiresAt());
        if (c.previousSecretValidAt(now)) json.put("previous_client_secret_expires_at", c.previousSecretExpiresAt());
        json.put("dynamically_registered", c.dynamic());
        json.putAll(c.metadata().toJson());
        json.put("access_token_lifetime", tokenLifetime);
        json.put("access_token_claims", c.tokens().claims());
        json.put("token_exchange", c.tokens().tokenExchange());
        return json;
    }

    /**
     * A client in a list: what tells it apart and what its tokens are, without its keys or URIs.
     *
     * @param tokenLifetime its tokens' effective lifetime, in seconds
     */
    public static Map<String, Object> summary(Client c, long tokenLifetime) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", c.clientId());
        json.put("authorization_server", c.asId());
        String name = c.metadata().clientName().plain();
        if (name != null) json.put("client_name", name);
        json.put("scope", c.scope() == null ? "" : c.scope().toString());
        json.put("token_endpoint_auth_method", c.authMethod().wireName());
        json.put("client_id_issued_at", c.issuedAt());
        json.put("client_secret_expires_at", c.secretExpiresAt());
        json.put("dynamically_registered", c.dynamic());
        json.put("access_token_lifetime", tokenLifetime);
        json.put("access_token_claims", c.tokens().claims());
        return json;
    }

    /** A signing key: server, kid, algorithm, status and times; for a retired key, until when it stays published. */
    public static Map<String, Object> key(AdminService.Key k) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("authorization_server", k.asId());
        json.put("kid", k.kid());
        json.put("alg", k.alg());
        json.put("status", k.active() ? "active" : "retired");
        json.put("created_at", k.createdAt());
        if (!k.active()) {
            json.put("retired_at", k.retiredAt());
            json.put("published_until", k.publishedUntil());
        }
        return json;
    }

    /** An initial access token: its id, times and uses left (-1: any number); never the token. */
    public static Map<String, Object> initialAccessToken(InitialAccessToken t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("authorization_server", t.asId());
        json.put("created_at", t.createdAt());
        json.put("expires_at", t.expiresAt());
        json.put("uses_left", t.usesLeft());
        return json;
    }
}
