package clavis.oauth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import clavis.jwt.Base64Url;
import clavis.jwt.KeyRing;
import clavis.jwt.SigningKeyRepository;
import clavis.jwt.StoredKey;
import clavis.net.AddressPolicy;

/**
 * What operators do to clients, signing keys and initial access tokens: the one implementation behind the admin
 * commands of the jar and the admin API. Every change is recorded in the audit trail with its actor, after it is
 * committed and before it is answered. Refusals are {@link OAuthException}s whose description names the problem
 * ({@code not_found} for an unknown server, {@code invalid_request}, {@code invalid_scope}, {@code invalid_client_metadata}).
 */
public final class AdminService {
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    /** The longest a replaced secret may keep working: long enough to roll a fleet, short enough to be an overlap. */
    public static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;
    /** The longest an initial access token may live. */
    public static final long MAX_INITIAL_ACCESS_TOKEN_SECONDS = 366L * 24 * 3600;
    /** The keys listed per authorization server, newest first; older ones are long unpublished. */
    public static final int MAX_KEYS_PER_SERVER = 100;
    static final int MAX_FILTER_LENGTH = 256;

    private final Map<String, AuthorizationServer> servers;
    private final ClientRepository clients;
    private final InitialAccessTokenRepository initialAccessTokens;
    private final SigningKeyRepository keys;
    private final Function<String, KeyRing> rings;
    private final Secrets secrets;
    private final Audit audit;
    private final Clock clock;
    private final AddressPolicy fetchPolicy;

    /** A page of a list, and the cursor of the next page (null on the last). */
    public record Page<T>(List<T> items, String next) {
    }

    /** A client with the one copy of its new secret that leaves the server (null for a client without one). */
    public record WithSecret(Client client, String secret) {
    }

    /** A new initial access token and its value, shown once. */
    public record NewInitialAccessToken(InitialAccessToken token, String value) {
    }

    /**
     * A signing key as operators see it: never private material.
     *
     * @param retiredAt epoch seconds another key took over, 0 while active
     * @param publishedUntil epoch seconds until which a retired key stays in the JWKS (its tokens may live that long), 0 while active
     */
    public record Key(String asId, String kid, String alg, boolean active, long createdAt, long retiredAt, long publishedUntil) {
    }

    /**
     * @param rings the key ring of a server, to rotate: the running server's own, or one made for an admin command
     * @param fetchPolicy what a {@code jwks_uri} of a client an operator creates may point at
     */
    public AdminService(Map<String, AuthorizationServer> servers, ClientRepository clients, InitialAccessTokenRepository initialAccessTokens,
                        SigningKeyRepository keys, Function<String, KeyRing> rings, Secrets secrets, Audit audit, Clock clock,
                        AddressPolicy fetchPolicy) {
        this.servers = Map.copyOf(servers);
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
        this.keys = keys;
        this.rings = rings;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
        this.fetchPolicy = fetchPolicy;
    }

    /** A configured authorization server, or {@code not_found}. */
    public AuthorizationServer server(String asId) {
        AuthorizationServer as = servers.get(asId);
        if (as == null) throw new OAuthException(OAuthError.NOT_FOUND, "no authorization server '" + asId + "' is configured");
        return as;
    }

    /** Every client, oldest first. */
    public List<Client> clients() {
        return clients.all();
    }

    /**
     * A page of clients by server and client_id.
     *
     * @param asId one server's clients, or null for every server's
     * @param after the cursor of the page before, or null for the first
     * @param text only clients whose client_id or client_name holds it, ASCII case aside; null for all
     */
    public Page<Client> clients(String asId, int limit, String after, String text) {
        if (asId != null) server(asId);
        if (limit < 1 || limit > MAX_PAGE) throw invalid("limit must be 1 to " + MAX_PAGE);
        if (text != null && text.length() > MAX_FILTER_LENGTH) throw invalid("q must be at most " + MAX_FILTER_LENGTH + " characters");
        String[] position = after == null ? new String[2] : cursor(after);
        List<Client> rows = clients.page(asId, position[0], position[1], text == null || text.isEmpty() ? null : text, limit + 1);
        if (rows.size() <= limit) return new Page<>(rows, null);
        Client last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), Base64Url.encode((last.asId() + " " + last.clientId()).getBytes(StandardCharsets.UTF_8)));
    }

    /** A client of any server (ids are unique across them), as registered. */
    public Optional<Client> client(String clientId) {
        return clients.find(clientId);
    }

    /** A client of {@code asId}, or empty (also for a client of another server). */
    public Optional<Client> client(String asId, String clientId) {
        return clients.find(clientId).filter(c -> asId == null || c.asId().equals(asId));
    }

    /**
     * Creates a client with metadata an operator chose (RFC 7591 members; unknown ones are ignored, as registration
     * does) and its token settings ({@code access_token_lifetime}, {@code access_token_claims}, {@code token_exchange}). Unlike a registration,
     * a scope outside the server's is refused rather than dropped, and the operators' scopes (the admin scope) may be
     * granted. The client has no registration access token: operators manage it. The secret is returned once.
     */
    public WithSecret createClient(Actor actor, String asId, Map<String, Object> body) {
        AuthorizationServer as = server(asId);
        Map<String, Object> metadataOnly = new LinkedHashMap<>(body);
        Object lifetime = metadataOnly.remove("access_token_lifetime");
        Object claims = metadataOnly.remove("access_token_claims");
        Boolean exchange = ClientChange.tokenExchange(metadataOnly.remove("token_exchange"));
        ClientTokens tokens = ClientChange.tokens(ClientTokens.NONE, ClientChange.lifetime(lifetime), ClientChange.claims(claims), List.of());
        if (exchange != null) tokens = tokens.withTokenExchange(exchange);
        checkLifetime(as, tokens.lifetimeSeconds());
        ClientMetadata requested = ClientMetadata.parse(metadataOnly, fetchPolicy);
        RegistrationService.checkMethod(as, requested);
        ClientMetadata metadata = requested.withScope(checkedScope(as, requested.scope() != null ? requested.scope() : as.tokenPolicy().defaultScopes()));
        long now = clock.instant().getEpochSecond();
        String secret = metadata.usesSecret() ? secrets.generate() : null;
        Client client = new Client(UUID.randomUUID().toString(), asId, secret == null ? "" : Secrets.hash(secret), "", metadata, now,
                secret == null ? 0 : as.clientPolicy().secretExpiry(now), false, tokens);
        clients.insert(client, 0);
        audit.record(Audit.Event.CLIENT_REGISTERED, asId, actor, "client_id", client.clientId(), "scope", metadata.scope().toString(),
                "dynamic", false);
        return new WithSecret(client, secret);
    }

    /**
     * Sets what an operator decides for a client: its scope (within its server's, the admin scope included), its
     * tokens' lifetime (at most its server's; 0 for the server's) and claims, and its authentication method (within
     * secrets, or within keys and certificates). A running server takes the change up within its cache lifetime.
     *
     * @param asId the client's server, or null for any
     * @return the updated client; empty when there is no such client
     */
    public Optional<Client> updateClient(Actor actor, String asId, String clientId, ClientChange change) {
        Optional<Client> found = client(asId, clientId);
        if (found.isEmpty()) return Optional.empty();
        Client client = found.get();
        AuthorizationServer as = server(client.asId());
        ClientMetadata metadata = client.metadata();
        List<String> changed = new ArrayList<>();
        if (change.authMethod() != null && change.authMethod() != metadata.tokenEndpointAuthMethod()) {
            Map<String, Object> json = new LinkedHashMap<>(metadata.toJson());
            json.put("token_endpoint_auth_method", change.authMethod().wireName());
            ClientMetadata other = ClientMetadata.fromStored(json);
            RegistrationService.checkMethod(as, other);
            if (other.usesSecret() != metadata.usesSecret()) {
                throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA,
                        "token_endpoint_auth_method cannot change between a secret and keys or certificates; create a new client");
            }
            metadata = other;
            changed.add("token_endpoint_auth_method");
        }
        if (change.scope() != null) {
            metadata = metadata.withScope(checkedScope(as, change.scope()));
            changed.add("scope");
        }
        if (change.lifetimeSeconds() != null) {
            checkLifetime(as, change.lifetimeSeconds());
            changed.add("access_token_lifetime");
        }
        if (!change.setClaims().isEmpty() || !change.removeClaims().isEmpty()) changed.add("access_token_claims");
        ClientTokens tokens = ClientChange.tokens(client.tokens(), change.lifetimeSeconds(), change.setClaims(), change.removeClaims());
        if (change.tokenExchange() != null && change.tokenExchange() != tokens.tokenExchange()) {
            tokens = tokens.withTokenExchange(change.tokenExchange());
            changed.add("token_exchange");
        }
        Client updated = client.withMetadata(metadata, client.registrationTokenHash()).withTokens(tokens);
        if (!clients.update(updated)) return Optional.empty();
        audit.record(Audit.Event.CLIENT_UPDATED, as.id(), actor, "client_id", clientId, "changed", changed, "scope", metadata.scope().toString());
        return Optional.of(updated);
    }

    /** Deletes a client (of {@code asId}, or of any server when null): its secret and tokens stop working. */
    public boolean deleteClient(Actor actor, String asId, String clientId) {
        Optional<Client> found = client(asId, clientId);
        if (found.isEmpty() || !clients.delete(clientId)) return false;
        audit.record(Audit.Event.CLIENT_DELETED, found.get().asId(), actor, "client_id", clientId);
        return true;
    }

    /**
     * Gives a client a new secret, returned once. With a grace period, the secret it replaces keeps working until the
     * period ends (never past its own expiry), so that a fleet can roll over; a later rotation replaces that previous
     * secret, so only the two newest ever work. Both are stored hashed.
     *
     * @param graceSeconds 0 to {@link #MAX_GRACE_SECONDS}; 0 ends the old secret now
     */
    public Optional<WithSecret> rotateSecret(Actor actor, String asId, String clientId, long graceSeconds) {
        if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) throw invalid("grace_seconds must be 0 to " + MAX_GRACE_SECONDS);
        Optional<Client> found = client(asId, clientId);
        if (found.isEmpty()) return Optional.empty();
        Client client = found.get();
        if (!client.metadata().usesSecret()) {
            throw invalid("client " + clientId + " authenticates with keys or a certificate: it has no secret to rotate");
        }
        AuthorizationServer as = server(client.asId());
        long now = clock.instant().getEpochSecond();
        String previousHash = "";
        long previousUntil = 0;
        boolean currentValid = !client.secretHash().isEmpty() && (client.secretExpiresAt() == 0 || client.secretExpiresAt() > now);
        if (graceSeconds > 0 && currentValid) {
            previousHash = client.secretHash();
            previousUntil = client.secretExpiresAt() == 0 ? now + graceSeconds : Math.min(now + graceSeconds, client.secretExpiresAt());
        }
        String secret = secrets.generate();
        Client updated = client.withSecret(Secrets.hash(secret), as.clientPolicy().secretExpiry(now), previousHash, previousUntil);
        if (!clients.update(updated)) return Optional.empty();
        audit.record(Audit.Event.SECRET_ROTATED, as.id(), actor, "client_id", clientId, "grace_seconds", graceSeconds,
                "previous_secret_expires_at", previousUntil == 0 ? null : previousUntil);
        return Optional.of(new WithSecret(updated, secret));
    }

    /** A client as operators see it ({@link AdminViews#client}), now. */
    public Map<String, Object> view(Client client) {
        return AdminViews.client(client, tokenLifetime(client), clock.instant().getEpochSecond());
    }

    /** How long {@code client}'s tokens live, in seconds: its own lifetime, or its server's. */
    public long tokenLifetime(Client client) {
        return client.tokens().lifetime(server(client.asId()).tokenPolicy().lifetimeSeconds());
    }

    /** The signing keys of every configured server, newest first within each, at most {@link #MAX_KEYS_PER_SERVER} each. */
    public List<Key> keys() {
        List<Key> all = new ArrayList<>();
        for (AuthorizationServer as : servers.values()) {
            for (StoredKey k : keys.newest(as.id(), MAX_KEYS_PER_SERVER)) {
                all.add(new Key(as.id(), k.kid(), k.algorithm().name(), k.active(), k.createdAt(), k.retiredAt(),
                        k.active() ? 0 : k.retiredAt() + as.tokenPolicy().lifetimeSeconds()));
            }
        }
        return all;
    }

    /**
     * Makes a new active signing key for {@code asId} and returns its kid; the old one stays published while its
     * tokens live. Other nodes take it up within their refresh period.
     */
    public String rotateKey(Actor actor, String asId) {
        AuthorizationServer as = server(asId);
        KeyRing ring = rings.apply(as.id());
        String previous = ring.signer().key().kid();
        String kid = ring.rotate();
        audit.record(Audit.Event.KEY_ROTATED, asId, actor, "kid", kid, "previous_kid", previous);
        return kid;
    }

    /**
     * Creates an initial access token (RFC 7591 section 3) for {@code asId}; only its hash is stored, and the value is
     * returned once.
     *
     * @param expiresInSeconds 0 for never, at most {@link #MAX_INITIAL_ACCESS_TOKEN_SECONDS}
     * @param uses -1 for any number of registrations, else at least 1
     */
    public NewInitialAccessToken createInitialAccessToken(Actor actor, String asId, long expiresInSeconds, long uses) {
        server(asId);
        if (expiresInSeconds < 0 || expiresInSeconds > MAX_INITIAL_ACCESS_TOKEN_SECONDS) {
            throw invalid("expires_in must be 0 (never) to " + MAX_INITIAL_ACCESS_TOKEN_SECONDS + " seconds");
        }
        if (uses == 0 || uses < -1 || uses > Integer.MAX_VALUE) throw invalid("uses must be 1 or more, or -1 for any number");
        String value = secrets.generate();
        String id = secrets.generate().substring(0, 22);
        long now = clock.instant().getEpochSecond();
        long expiresAt = expiresInSeconds == 0 ? 0 : now + expiresInSeconds;
        initialAccessTokens.insert(id, Secrets.hash(value), asId, now, expiresAt, (int) uses);
        audit.record(Audit.Event.INITIAL_ACCESS_TOKEN_CREATED, asId, actor, "initial_access_token_id", id, "expires_at", expiresAt, "uses", uses);
        return new NewInitialAccessToken(new InitialAccessToken(id, asId, now, expiresAt, (int) uses), value);
    }

    /** A page of {@code asId}'s initial access tokens by id, used up and expired ones too; never their values. */
    public Page<InitialAccessToken> initialAccessTokens(String asId, int limit, String after) {
        server(asId);
        if (limit < 1 || limit > MAX_PAGE) throw invalid("limit must be 1 to " + MAX_PAGE);
        List<InitialAccessToken> rows = initialAccessTokens.page(asId, after, limit + 1);
        if (rows.size() <= limit) return new Page<>(rows, null);
        return new Page<>(rows.subList(0, limit), rows.get(limit - 1).id());
    }

    /** Deletes an initial access token: it allows no more registrations. False when {@code asId} has none with this id. */
    public boolean deleteInitialAccessToken(Actor actor, String asId, String id) {
        server(asId);
        if (!initialAccessTokens.delete(asId, id)) return false;
        audit.record(Audit.Event.INITIAL_ACCESS_TOKEN_DELETED, asId, actor, "initial_access_token_id", id);
        return true;
    }

    /** {@code scope}, which must be one or more of the server's scopes (an operator may grant any, the admin scope too). */
    private static Scope checkedScope(AuthorizationServer as, Scope scope) {
        if (scope.isEmpty() || !as.tokenPolicy().allowedScopes().containsAll(scope)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "every scope must be one of " + as.id() + "'s: "
                    + as.tokenPolicy().allowedScopes());
        }
        return scope;
    }

    private static void checkLifetime(AuthorizationServer as, long seconds) {
        long max = as.tokenPolicy().lifetimeSeconds();
        if (seconds < 0 || seconds > max) throw invalid("the token lifetime must be 0 (the server's) to " + max + " seconds");
    }

    /** The position a client cursor stands for: server id and client_id. */
    private static String[] cursor(String after) {
        try {
            String text = new String(Base64Url.decode(after), StandardCharsets.UTF_8);
            int space = text.indexOf(' ');
            if (space > 0 && space < text.length() - 1) return new String[] {text.substring(0, space), text.substring(space + 1)};
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw invalid("after must be a cursor this API returned as next");
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }
}
