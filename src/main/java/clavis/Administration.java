package clavis;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.config.AuthorizationServerConfig;
import clavis.config.Config;
import clavis.jwt.KeyRing;
import clavis.jwt.StoredKey;
import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.ClientRepository;
import clavis.oauth.ClientTokens;
import clavis.oauth.OAuthError;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.Scope;
import clavis.oauth.Secrets;
import clavis.store.Database;
import clavis.store.JdbcSigningKeyRepository;

/**
 * The admin commands' operations on the configured database. They work while a server runs on the same
 * database: SQLite's WAL lets both write, one at a time, and the server reads clients fresh on every request.
 */
public final class Administration implements AutoCloseable {
    private final Database database;
    private final ClientRepository clients;
    private final InitialAccessTokenRepository initialAccessTokens;
    private final JdbcSigningKeyRepository keys;
    private final Secrets secrets;
    private final Map<String, AuthorizationServerConfig> servers;
    private final Clock clock;

    Administration(Database database, ClientRepository clients, InitialAccessTokenRepository initialAccessTokens,
                   JdbcSigningKeyRepository keys, Config config) {
        this.database = database;
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
        this.keys = keys;
        this.secrets = new Secrets(new SecureRandom());
        this.servers = config.authorizationServers();
        this.clock = config.clock();
    }

    public List<Client> clients() {
        return clients.all();
    }

    public Optional<Client> client(String clientId) {
        return clients.find(clientId);
    }

    /**
     * Sets what an operator decides for a client: its scope (within its server's scopes), its tokens' lifetime (at
     * most its server's; 0 for the server's), claims to set and claims to remove. A running server takes the change up
     * within its client cache's lifetime. Empty when there is no such client; IllegalArgumentException for a value
     * that may not be set, naming it.
     *
     * @param scope space-separated scopes, or null to keep the client's
     * @param lifetimeSeconds the tokens' lifetime, or null to keep it
     * @param tokenExchange whether the client may exchange tokens (RFC 8693), or null to keep it
     */
    public Optional<Client> updateClient(String clientId, String scope, Long lifetimeSeconds, Map<String, Object> setClaims,
                                         List<String> removeClaims, Boolean tokenExchange) {
        Optional<Client> found = clients.find(clientId);
        if (found.isEmpty()) return Optional.empty();
        Client client = found.get();
        AuthorizationServerConfig as = server(client.asId());
        ClientMetadata metadata = client.metadata();
        if (scope != null) {
            Scope granted = Scope.parse(scope, OAuthError.INVALID_SCOPE);
            if (!as.scopes().containsAll(granted)) throw new IllegalArgumentException("--scope: every scope must be one of " + as.scopes());
            metadata = metadata.withScope(granted);
        }
        ClientTokens tokens = client.tokens();
        if (lifetimeSeconds != null) {
            if (lifetimeSeconds < 0 || lifetimeSeconds > as.tokenLifetimeSeconds()) {
                throw new IllegalArgumentException("--token-lifetime: 0 (the server's) to " + as.tokenLifetimeSeconds() + " seconds");
            }
            tokens = tokens.withLifetime(lifetimeSeconds);
        }
        for (String name : removeClaims) tokens = tokens.withClaim(name, null);
        for (Map.Entry<String, Object> claim : setClaims.entrySet()) tokens = tokens.withClaim(claim.getKey(), claim.getValue());
        if (tokenExchange != null) tokens = tokens.withTokenExchange(tokenExchange);
        Client updated = client.withMetadata(metadata, client.registrationTokenHash()).withTokens(tokens);
        return clients.update(updated) ? Optional.of(updated) : Optional.empty();
    }

    /** How long {@code client}'s tokens live, in seconds: its own lifetime, or its server's. */
    public long tokenLifetime(Client client) {
        return client.tokens().lifetime(server(client.asId()).tokenLifetimeSeconds());
    }

    private AuthorizationServerConfig server(String asId) {
        AuthorizationServerConfig as = servers.get(asId);
        if (as == null) throw new IllegalArgumentException("the client's authorization server " + asId + " is not configured");
        return as;
    }

    public boolean deleteClient(String clientId) {
        return clients.delete(clientId);
    }

    /** Gives the client a new secret and returns it: the only time it is shown. Empty when there is no such client. */
    public Optional<String> rotateSecret(String clientId) {
        Optional<Client> found = clients.find(clientId);
        if (found.isEmpty()) return Optional.empty();
        Client client = found.get();
        String secret = secrets.generate();
        long now = clock.instant().getEpochSecond();
        AuthorizationServerConfig as = servers.get(client.asId());
        long expiresAt = AuthorizationServer.ClientPolicy.secretExpiry(now, as == null ? 0 : as.secretLifetimeSeconds());
        return clients.update(client.withSecret(Secrets.hash(secret), expiresAt)) ? Optional.of(secret) : Optional.empty();
    }

    /**
     * Creates an initial access token (RFC 7591 section 3) for {@code asId}; only its hash is stored.
     *
     * @param expiresInSeconds 0 for never
     * @param uses -1 for any number of registrations
     */
    public String createInitialAccessToken(String asId, long expiresInSeconds, int uses) {
        if (!servers.containsKey(asId)) throw new IllegalArgumentException("no authorization server '" + asId + "' is configured");
        String token = secrets.generate();
        long now = clock.instant().getEpochSecond();
        initialAccessTokens.insert(Secrets.hash(token), asId, now, expiresInSeconds == 0 ? 0 : now + expiresInSeconds, uses);
        return token;
    }

    /** The signing keys of every configured authorization server, newest first. */
    public List<StoredKey> keys() {
        List<StoredKey> all = new ArrayList<>();
        for (String asId : servers.keySet()) all.addAll(keys.all(asId));
        return all;
    }

    /**
     * Makes a new active signing key for {@code asId}; the old one stays published while its tokens live. Running
     * nodes take it up within their refresh period.
     *
     * @return the new key's kid
     */
    public String rotateKey(String asId) {
        AuthorizationServerConfig as = servers.get(asId);
        if (as == null) throw new IllegalArgumentException("no authorization server '" + asId + "' is configured");
        KeyRing ring = SigningKeys.ring(as, keys, clock, new SecureRandom());
        ring.rotate();
        return ring.signer().key().kid();
    }

    @Override
    public void close() {
        database.close();
    }
}
