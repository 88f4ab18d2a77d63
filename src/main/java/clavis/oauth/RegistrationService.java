package clavis.oauth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import clavis.net.AddressPolicy;

/**
 * Dynamic client registration (RFC 7591 section 3): checks the initial access token where the authorization
 * server requires one, applies its scope policy, creates the credentials and stores the client before anything
 * is answered.
 */
public final class RegistrationService {
    private final ClientRepository clients;
    private final InitialAccessTokenRepository initialAccessTokens;
    private final Secrets secrets;
    private final SoftwareStatements statements;
    private final RegistrationRate rate;
    private final Events events;
    private final Audit audit;
    private final Clock clock;
    private final AddressPolicy fetchPolicy;

    /** @param fetchPolicy what a registered {@code jwks_uri} may point at */
    public RegistrationService(ClientRepository clients, InitialAccessTokenRepository initialAccessTokens, Secrets secrets,
                               SoftwareStatements statements, RegistrationRate rate, Events events, Audit audit, Clock clock,
                               AddressPolicy fetchPolicy) {
        this.audit = audit;
        this.fetchPolicy = fetchPolicy;
        this.statements = statements;
        this.rate = rate;
        this.clients = clients;
        this.initialAccessTokens = initialAccessTokens;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A client registering itself (RFC 7591 section 3): within its address's rate, with an initial access token where
     * one is required, and while the server has room under its cap on such clients.
     *
     * @param request the registration request's JSON members
     * @param initialAccessToken the request's Bearer token, or null
     * @param address the source address the request came from
     */
    public Registration register(AuthorizationServer as, Map<String, Object> request, String initialAccessToken, String address) {
        Actor actor = Actor.registration(address);
        try {
            rate.take(address, () -> audit.record(Audit.Event.THROTTLING_STARTED, as.id(), actor, "reason", "registration_rate"));
        } catch (OAuthException e) {
            events.throttled(as.id());
            throw e;
        }
        long now = clock.instant().getEpochSecond();
        String tokenId = null;
        if (as.clientPolicy().registration() == AuthorizationServer.RegistrationPolicy.INITIAL_ACCESS_TOKEN) {
            tokenId = initialAccessToken == null ? null : initialAccessTokens.consume(Secrets.hash(initialAccessToken), as.id(), now).orElse(null);
            if (tokenId == null) throw new OAuthException(OAuthError.INVALID_TOKEN, "a valid initial access token is required to register");
            audit.record(Audit.Event.INITIAL_ACCESS_TOKEN_USED, as.id(), actor, "initial_access_token_id", tokenId);
        }
        return create(as, ClientMetadata.parse(statements.apply(as, request), fetchPolicy), true, actor, "initial_access_token_id", tokenId);
    }

    /**
     * Creates a client with the server's scope policy and checks, but no rate, initial access token or cap unless
     * {@code dynamic}: operators' clients (the embedding API) are not counted, and may hold the operators' scopes.
     *
     * @param auditDetails more pairs of names and values for the audit line
     */
    public Registration create(AuthorizationServer as, ClientMetadata requested, boolean dynamic, Actor actor, Object... auditDetails) {
        long now = clock.instant().getEpochSecond();
        ClientMetadata metadata = allowed(as, requested, dynamic ? Scope.of(List.of()) : as.clientPolicy().operatorScopes());
        // Clients that authenticate with keys or certificates get no secret (RFC 7591 section 3.2.1).
        String secret = metadata.usesSecret() ? secrets.generate() : null;
        String registrationToken = secrets.generate();
        Client client = new Client(UUID.randomUUID().toString(), as.id(), secret == null ? "" : Secrets.hash(secret),
                Secrets.hash(registrationToken), metadata, now, secret == null ? 0 : as.clientPolicy().secretExpiry(now), dynamic,
                ClientTokens.NONE);
        int cap = as.clientPolicy().maxRegisteredClients();
        if (!clients.insert(client, cap)) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "this authorization server has reached its cap of " + cap
                    + " clients registered through RFC 7591; an operator must remove some or raise as." + as.id() + ".registration.max-clients");
        }
        events.clientRegistered(as.id());
        audit.record(Audit.Event.CLIENT_REGISTERED, as.id(), actor, concat(new Object[] {"client_id", client.clientId(),
                "scope", client.scope().toString(), "dynamic", dynamic}, auditDetails));
        return new Registration(as, client, secret, registrationToken);
    }

    /**
     * Makes a client fixed in the configuration exist with exactly the given secret, scope, method and token settings:
     * inserted on first start, updated on later ones. It has no registration access token, so RFC 7592 cannot change it.
     */
    public void provision(AuthorizationServer as, String clientId, String secretHash, Scope scope, AuthMethod authMethod,
                          ClientTokens tokens) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("client_name", clientId);
        fields.put("scope", scope.toString());
        fields.put("token_endpoint_auth_method", authMethod.wireName());
        fields.put("grant_types", List.of(GrantType.CLIENT_CREDENTIALS.wireName()));
        ClientMetadata metadata = ClientMetadata.parse(fields);
        Optional<Client> existing = clients.find(clientId);
        if (existing.isPresent() && !existing.get().asId().equals(as.id())) {
            throw new IllegalStateException("static client " + clientId + " of " + as.id() + " is already registered with " + existing.get().asId());
        }
        if (existing.isPresent()) {
            Client current = existing.get();
            boolean unchanged = current.secretHash().equals(secretHash) && current.secretExpiresAt() == 0
                    && current.metadata().toJson().equals(metadata.toJson()) && current.tokens().equals(tokens);
            if (!unchanged) {
                clients.update(current.withMetadata(metadata, "").withSecret(secretHash, 0).withTokens(tokens));
                audit.record(Audit.Event.CLIENT_UPDATED, as.id(), Actor.CONFIGURATION, "client_id", clientId, "scope", scope.toString());
            }
        } else {
            clients.insert(new Client(clientId, as.id(), secretHash, "", metadata, clock.instant().getEpochSecond(), 0, false, tokens), 0);
            audit.record(Audit.Event.CLIENT_REGISTERED, as.id(), Actor.CONFIGURATION, "client_id", clientId, "scope", scope.toString(),
                    "dynamic", false);
        }
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * The requested metadata with the scope this server grants, or {@code invalid_client_metadata} when it asks for
     * an authentication method or a token binding the server has not turned on.
     *
     * @param keep the operators' scopes that may stay when requested: none for a registration, those the client
     *             already holds for an RFC 7592 update, all of them for an operator
     */
    static ClientMetadata allowed(AuthorizationServer as, ClientMetadata requested, Scope keep) {
        checkMethod(as, requested);
        return requested.withScope(grantedScope(as, requested.scope(), keep));
    }

    /** {@code invalid_client_metadata} when the metadata asks for a method or binding the server has not turned on. */
    static void checkMethod(AuthorizationServer as, ClientMetadata requested) {
        AuthMethod method = requested.tokenEndpointAuthMethod();
        if (!as.clientPolicy().allows(method)) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA,
                    "token_endpoint_auth_method '" + method + "' is not on here; supported: " + as.clientPolicy().authMethods());
        }
        for (GrantType grant : requested.grantTypes()) {
            if (grant.served() && !as.grantTypes().contains(grant)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "grant_types: " + grant.wireName() + " is not on here");
            }
        }
        if (requested.dpopBound() && !as.tokenPolicy().dpop()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "DPoP is not on for this authorization server");
        }
        if (requested.certificateBound() && !as.tokenPolicy().mutualTls()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "TLS client certificates are not requested by this server");
        }
    }

    /**
     * The requested scopes this server allows, the others dropped (as Airlock IAM does: "strong client-scope"
     * becomes "client-scope"); the default scopes when none were requested; refused when none may be granted. The
     * operators' scopes (the admin scope) are dropped too, unless in {@code keep}.
     */
    static Scope grantedScope(AuthorizationServer as, Scope requested, Scope keep) {
        Scope dropped = as.clientPolicy().operatorScopes().without(keep);
        if (requested == null && as.tokenPolicy().defaultScopes().without(dropped).isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "scope is required: this authorization server has no default scope");
        }
        Scope granted = requested == null ? as.tokenPolicy().defaultScopes().without(dropped) : as.tokenPolicy().grantable(requested).without(dropped);
        if (granted.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "none of the requested scopes may be granted");
        }
        return granted;
    }
}
