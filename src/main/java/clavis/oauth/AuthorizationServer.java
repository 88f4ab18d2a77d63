package clavis.oauth;

import java.util.List;

import clavis.jwt.KeyRing;

/**
 * One authorization server as the protocol sees it: its URLs, what its tokens are, how its clients register and
 * authenticate, and its keys.
 */
public record AuthorizationServer(String id, Urls urls, TokenPolicy tokenPolicy, ClientPolicy clientPolicy, Delegation delegation,
                                  KeyRing keys) {

    /** A server without delegation grants. */
    public AuthorizationServer(String id, Urls urls, TokenPolicy tokenPolicy, ClientPolicy clientPolicy, KeyRing keys) {
        this(id, urls, tokenPolicy, clientPolicy, Delegation.NONE, keys);
    }

    /**
     * The grants by which one party acts for another: token exchange (RFC 8693) and the JWT bearer grant (RFC 7523
     * section 2.1), each off unless configured.
     *
     * @param exchangeIssuers other issuers whose JWTs may be exchanged
     * @param bearerIssuers issuers whose JWTs are accepted as JWT bearer grants; none turns that grant off
     */
    public record Delegation(boolean tokenExchange, List<TrustedIssuer> exchangeIssuers, List<TrustedIssuer> bearerIssuers) {
        public static final Delegation NONE = new Delegation(false, List.of(), List.of());

        public Delegation {
            exchangeIssuers = List.copyOf(exchangeIssuers);
            bearerIssuers = List.copyOf(bearerIssuers);
        }
    }

    /** The grant types its token endpoint serves: the client credentials grant, and the delegation grants that are on. */
    public List<GrantType> grantTypes() {
        List<GrantType> served = new java.util.ArrayList<>(List.of(GrantType.CLIENT_CREDENTIALS));
        if (delegation.tokenExchange()) served.add(GrantType.TOKEN_EXCHANGE);
        if (!delegation.bearerIssuers().isEmpty()) served.add(GrantType.JWT_BEARER);
        return served;
    }

    /** Whether {@code clientId} is the client_id of anonymous JWT bearer tokens (a trusted issuer's label), not a client's. */
    public boolean anonymousClient(String clientId) {
        for (TrustedIssuer t : delegation.bearerIssuers()) if (t.anonymous() && t.label().equals(clientId)) return true;
        return false;
    }

    /** Its issuer identifier and endpoint URLs (RFC 8414 section 2). */
    public record Urls(String issuer, String token, String registration, String jwks, String introspection, String revocation) {
    }

    /**
     * What its access tokens are.
     *
     * @param allowedScopes the scopes its clients may be granted
     * @param defaultScopes what a registration without {@code scope} is granted
     * @param audience the {@code aud} claim of its tokens
     * @param dpop whether DPoP proofs (RFC 9449) bind tokens
     * @param mutualTls whether clients can present TLS certificates (RFC 8705), so tokens can be bound to them
     * @param apis the APIs a token may be asked for by {@code resource} (RFC 8707)
     * @param strictGrantTypes whether a client may use only the grants it registered
     * @param anyScope whether any scope may be granted, whatever {@code allowedScopes} says (dev mode's servers made on first use)
     */
    public record TokenPolicy(Scope allowedScopes, Scope defaultScopes, long lifetimeSeconds, String audience, boolean dpop,
                              boolean mutualTls, List<Api> apis, boolean strictGrantTypes, boolean anyScope) {
        public TokenPolicy {
            apis = List.copyOf(apis);
        }

        /** A policy of a configured server: only its scopes may be granted. */
        public TokenPolicy(Scope allowedScopes, Scope defaultScopes, long lifetimeSeconds, String audience, boolean dpop,
                           boolean mutualTls, List<Api> apis, boolean strictGrantTypes) {
            this(allowedScopes, defaultScopes, lifetimeSeconds, audience, dpop, mutualTls, apis, strictGrantTypes, false);
        }

        /** The requested scopes that may be granted here, in the requested order. */
        public Scope grantable(Scope requested) {
            return anyScope ? requested : requested.intersect(allowedScopes);
        }

        /** The API whose URI is exactly {@code uri}, or null. */
        public Api api(String uri) {
            for (Api api : apis) if (api.uri().equals(uri)) return api;
            return null;
        }
    }

    /**
     * Who may register clients and how clients authenticate.
     *
     * @param maxRegisteredClients how many clients RFC 7591 registration may create, 0 for no cap
     * @param secretLifetimeSeconds how long a client secret is valid, or 0 for ever
     * @param authMethods the client authentication methods turned on, at every endpoint
     * @param assertionMaxLifetimeSeconds the longest client assertion accepted (RFC 7523 section 3 leaves it to us)
     * @param assertionMaxLiveJtis how many jtis of unexpired assertions one client may hold; past it invalid_client
     * @param softwareStatements which software statements registrations may (or must) carry
     * @param operatorScopes scopes only operators grant (the admin scope): never through RFC 7591 or 7592
     */
    public record ClientPolicy(RegistrationPolicy registration, int maxRegisteredClients, long secretLifetimeSeconds,
                               List<AuthMethod> authMethods, long assertionMaxLifetimeSeconds, long assertionMaxLiveJtis,
                               SoftwareStatementPolicy softwareStatements, Scope operatorScopes) {
        public ClientPolicy {
            authMethods = List.copyOf(authMethods);
        }

        /** A policy without operator-only scopes. */
        public ClientPolicy(RegistrationPolicy registration, int maxRegisteredClients, long secretLifetimeSeconds, List<AuthMethod> authMethods,
                            long assertionMaxLifetimeSeconds, long assertionMaxLiveJtis, SoftwareStatementPolicy softwareStatements) {
            this(registration, maxRegisteredClients, secretLifetimeSeconds, authMethods, assertionMaxLifetimeSeconds, assertionMaxLiveJtis,
                    softwareStatements, Scope.of(List.of()));
        }

        /** Whether {@code method} is on. */
        public boolean allows(AuthMethod method) {
            return authMethods.contains(method);
        }

        /** When a secret issued at {@code issuedAt} expires: epoch seconds, or 0 for never. */
        public long secretExpiry(long issuedAt) {
            return secretExpiry(issuedAt, secretLifetimeSeconds);
        }

        /** The one rule for secret expiry, also for the admin commands, which have no running server. */
        public static long secretExpiry(long issuedAt, long lifetimeSeconds) {
            return lifetimeSeconds == 0 ? 0 : issuedAt + lifetimeSeconds;
        }
    }

    /** Who may register clients (RFC 7591 section 3). */
    public enum RegistrationPolicy {
        /** Anyone, as in the Airlock IAM reference scenario. */
        OPEN,
        /** Only a request with a valid initial access token as its Bearer token. */
        INITIAL_ACCESS_TOKEN
    }

    public String issuer() {
        return urls.issuer();
    }

    public String tokenEndpoint() {
        return urls.token();
    }

    public String registrationEndpoint() {
        return urls.registration();
    }

    /** The RFC 7592 client configuration endpoint of one client. */
    public String registrationClientUri(String clientId) {
        return urls.registration() + "/" + clientId;
    }
}
