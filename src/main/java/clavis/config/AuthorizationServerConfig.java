package clavis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import clavis.json.Json;
import clavis.jwt.JwkSet;
import clavis.jwt.PublicJwk;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.TokenType;
import clavis.oauth.Api;
import clavis.oauth.AuthMethod;
import clavis.oauth.AuthorizationServer.RegistrationPolicy;
import clavis.oauth.ClientTokens;
import clavis.oauth.Scope;
import clavis.oauth.TrustedIssuer;

/**
 * The settings of one authorization server, keyed {@code as.<id>.*} in the configuration.
 *
 * @param audience the {@code aud} claim of its access tokens; null means the issuer
 * @param strictGrantTypes whether a client may use only the grants it registered (else every client may use
 *                         the client credentials grant, as the reference scenario needs)
 * @param apis the APIs tokens may be asked for by {@code resource} (RFC 8707)
 * @param maxRegisteredClients how many clients RFC 7591 registration may create, 0 for no cap
 * @param secretLifetimeSeconds how long client secrets are valid, 0 for ever
 * @param keyRotationSeconds how often a new signing key takes over, 0 for never
 * @param staticClients clients that exist from the first start, fixed in the configuration
 * @param authMethods the client authentication methods turned on
 * @param assertionMaxLifetimeSeconds the longest client assertion accepted
 * @param assertionMaxLiveJtis how many jtis of unexpired client assertions one client may hold
 * @param dpop whether DPoP proofs bind tokens (RFC 9449)
 * @param softwareStatementRequired whether every registration must carry a software statement
 * @param softwareStatementMaxAgeSeconds how long after its iat a statement without exp is accepted, 0 for ever
 * @param softwareStatementIssuers the trusted software-statement issuers' public keys, by issuer
 * @param tokenExchange whether the token exchange grant (RFC 8693) is served
 * @param exchangeIssuers the other issuers whose JWTs may be exchanged
 * @param bearerIssuers the issuers whose JWTs are accepted as JWT bearer grants (RFC 7523 section 2.1)
 * @param operatorScopes scopes only operators grant (the admin scope, on the admin API's server): RFC 7591
 *                       registration and RFC 7592 updates never do, and no default includes them
 */
public record AuthorizationServerConfig(
        String id,
        Scope scopes,
        Scope defaultScopes,
        long tokenLifetimeSeconds,
        String audience,
        SigningAlgorithm signingAlgorithm,
        boolean strictGrantTypes,
        List<Api> apis,
        TokenType tokenType,
        RegistrationPolicy registration,
        int maxRegisteredClients,
        long secretLifetimeSeconds,
        long keyRotationSeconds,
        List<StaticClient> staticClients,
        List<AuthMethod> authMethods,
        long assertionMaxLifetimeSeconds,
        long assertionMaxLiveJtis,
        boolean dpop,
        boolean softwareStatementRequired,
        long softwareStatementMaxAgeSeconds,
        Map<String, List<PublicJwk>> softwareStatementIssuers,
        boolean tokenExchange,
        List<TrustedIssuer> exchangeIssuers,
        List<TrustedIssuer> bearerIssuers,
        Scope operatorScopes) {

    private static final Pattern AS_ID = Pattern.compile(Key.AS_ID);
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern SECRET_HASH = Pattern.compile("sha256:[A-Za-z0-9_-]{43}");

    public AuthorizationServerConfig {
        apis = List.copyOf(apis);
        authMethods = List.copyOf(authMethods);
        softwareStatementIssuers = Map.copyOf(softwareStatementIssuers);
        staticClients = List.copyOf(staticClients);
        exchangeIssuers = List.copyOf(exchangeIssuers);
        bearerIssuers = List.copyOf(bearerIssuers);
    }

    /**
     * A client fixed in the configuration, for test environments and service accounts.
     *
     * @param secret the secret in plain text, or null when {@code secretHash} is given
     * @param secretHash {@code sha256:...} as {@code hash-secret} prints it, or null
     */
    public record StaticClient(String clientId, String secret, String secretHash, Scope scope, AuthMethod authMethod, ClientTokens tokens) {
        @Override
        public String toString() {
            return "StaticClient[" + clientId + ", scope=" + scope + ", " + authMethod + "]";
        }
    }

    /**
     * Reads {@code as.<id>.*}; null when it has a problem (recorded in {@code r}).
     *
     * @param trustedCas whether CAs are configured for {@code tls_client_auth}
     * @param certificates whether clients can present certificates (TLS handshake or a trusted proxy)
     * @param adminScope the admin scope when this is the admin API's server, else null
     */
    static AuthorizationServerConfig read(ConfigReader r, String id, boolean trustedCas, boolean certificates, String adminScope) {
        int before = r.problemCount();
        String p = "as." + id + ".";
        if (!AS_ID.matcher(id).matches()) r.problem(p + "*", "the id '" + id + "' must be 1 to 64 of A-Z a-z 0-9 _ ~ -");
        Scope scopes = r.get(Keys.AS_SCOPES, id);
        if (scopes == null && !r.has(Keys.AS_SCOPES, id)) r.problem(p + "scopes", "required");
        if (scopes != null && scopes.isEmpty()) r.problem(p + "scopes", "at least one scope is required");
        Scope operatorScopes = Scope.of(adminScope == null ? List.of() : List.of(adminScope));
        if (adminScope != null && scopes != null && !scopes.tokens().contains(adminScope)) {
            r.problem(p + "scopes", "must include admin.scope (" + adminScope + "), so that an operator's client can hold it");
        }
        Scope ordinary = scopes == null ? null : scopes.without(operatorScopes);
        Scope defaults = r.getOr(Keys.AS_DEFAULT_SCOPES, ordinary, ordinary == null ? "" : ordinary.toString(), id);
        if (scopes != null && defaults != null && !scopes.containsAll(defaults)) {
            r.problem(p + "default-scopes", "every default scope must be one of " + p + "scopes");
        }
        if (adminScope != null && defaults != null && defaults.tokens().contains(adminScope)) {
            r.problem(p + "default-scopes", "must not include admin.scope (" + adminScope + "): only operators grant it");
        }
        long lifetime = r.get(Keys.AS_TOKEN_LIFETIME, id);
        String audience = r.getOr(Keys.AS_AUDIENCE, null, "(the issuer)", id);
        SigningAlgorithm alg = r.get(Keys.AS_SIGNING_ALG, id);
        boolean strictGrantTypes = r.get(Keys.AS_GRANT_TYPES, id);
        List<Api> apis = apis(r, id, scopes);
        TokenType typ = r.get(Keys.AS_TOKEN_TYP, id);
        RegistrationPolicy registration = r.get(Keys.AS_REGISTRATION, id);
        int maxClients = r.get(Keys.AS_MAX_CLIENTS, id);
        long secretLifetime = r.get(Keys.AS_SECRET_LIFETIME, id);
        long rotation = r.get(Keys.AS_KEY_ROTATION, id);
        if (rotation > 0 && rotation < 60) r.problem(p + "key-rotation-seconds", "0 (off) or at least 60");
        List<StaticClient> clients = staticClients(r, id, scopes, ordinary, lifetime);
        List<AuthMethod> methods = authMethods(r, id, trustedCas, certificates);
        long assertionMaxLifetime = r.get(Keys.AS_ASSERTION_MAX_LIFETIME, id);
        long assertionMaxLiveJtis = r.get(Keys.AS_ASSERTION_MAX_LIVE_JTIS, id);
        boolean dpop = r.get(Keys.AS_DPOP, id);
        boolean statementRequired = r.get(Keys.AS_STATEMENT_REQUIRED, id);
        long statementMaxAge = r.get(Keys.AS_STATEMENT_MAX_AGE, id);
        Map<String, List<PublicJwk>> issuers = statementIssuers(r, id);
        if (statementRequired && issuers.isEmpty()) {
            r.problem(p + "software-statement.required", "trust at least one issuer (" + p + "software-statement.trust.<label>.issuer and .jwks)");
        }
        boolean tokenExchange = r.get(Keys.AS_TOKEN_EXCHANGE, id);
        List<TrustedIssuer> exchangeIssuers = exchangeIssuers(r, id, scopes);
        List<TrustedIssuer> bearerIssuers = bearerIssuers(r, id, scopes);
        onePerIssuer(r, p + "token-exchange.trust.", exchangeIssuers);
        onePerIssuer(r, p + "jwt-bearer.trust.", bearerIssuers);
        for (TrustedIssuer t : bearerIssuers) {
            if (t.anonymous() && clients.stream().anyMatch(c -> c.clientId().equals(t.label()))) {
                r.problem(p + "jwt-bearer.trust." + t.label() + ".anonymous", "its tokens' client_id would be the static client " + t.label()
                        + "'s: give the trust another label");
            }
        }
        if (!exchangeIssuers.isEmpty() && !tokenExchange) {
            r.problem(p + "token-exchange", "trusted exchange issuers are configured but as." + id + ".token-exchange is not true");
        }
        if (r.problemCount() > before) return null;
        return new AuthorizationServerConfig(id, scopes, defaults, lifetime, audience, alg, strictGrantTypes, apis, typ, registration, maxClients, secretLifetime,
                rotation, clients, methods, assertionMaxLifetime, assertionMaxLiveJtis, dpop, statementRequired, statementMaxAge, issuers, tokenExchange,
                exchangeIssuers, bearerIssuers, operatorScopes);
    }

    /**
     * The settings of an authorization server that dev mode makes on first use: every key's default (its scope
     * policy is the caller's: any scope); null when {@code id} cannot be an authorization server's id.
     *
     * @param trustedCas whether CAs are configured for {@code tls_client_auth}
     * @param certificates whether clients can present certificates (TLS handshake or a trusted proxy)
     */
    public static AuthorizationServerConfig withDefaults(String id, boolean trustedCas, boolean certificates) {
        ConfigReader r = new ConfigReader(Map.of("as." + id + ".scopes", "any"));
        return r.hasProblems() ? null : read(r, id, trustedCas, certificates, null);
    }

    /** The methods turned on; by default every one the TLS setup (or a trusted proxy) allows. */
    private static List<AuthMethod> authMethods(ConfigReader r, String id, boolean trustedCas, boolean certificates) {
        List<AuthMethod> available = new ArrayList<>(List.of(AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST,
                AuthMethod.PRIVATE_KEY_JWT));
        if (certificates && trustedCas) available.add(AuthMethod.TLS_CLIENT_AUTH);
        if (certificates) available.add(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
        List<String> names = r.getOr(Keys.AS_AUTH_METHODS, null, String.join(" ", available.stream().map(AuthMethod::wireName).toList()), id);
        if (names == null) return available;
        List<AuthMethod> methods = new ArrayList<>();
        for (String name : names) {
            AuthMethod m = available.stream().filter(a -> a.wireName().equals(name)).findFirst().orElse(null);
            if (m != null) {
                methods.add(m);
            } else {
                r.problem("as." + id + ".auth-methods", "'" + name + "' is not available; available: " + available
                        + (name.contains("tls") ? " (TLS methods need server.tls.client-auth=want or server.trusted-proxies, and tls_client_auth also "
                        + "server.tls.client-ca)" : ""));
            }
        }
        return methods;
    }

    /** The APIs of a server: {@code as.<id>.api.<name>.(uri|scopes)}, each URI once, each scope one of the server's. */
    private static List<Api> apis(ConfigReader r, String id, Scope allowed) {
        List<Api> apis = new ArrayList<>();
        for (String name : r.ids(List.of(Keys.AS_API_URI, Keys.AS_API_SCOPES), id)) {
            String p = "as." + id + ".api." + name + ".";
            String uri = r.get(Keys.AS_API_URI, id, name);
            Scope scopes = r.get(Keys.AS_API_SCOPES, id, name);
            if (uri == null || scopes == null) {
                if (!r.has(Keys.AS_API_URI, id, name) || !r.has(Keys.AS_API_SCOPES, id, name)) r.problem(p + "*", "give both uri and scopes");
                continue;
            }
            if (apis.stream().anyMatch(a -> a.uri().equals(uri))) r.problem(p + "uri", uri + " is the URI of another API of as." + id);
            if (scopes.isEmpty()) r.problem(p + "scopes", "at least one scope");
            if (allowed != null && !allowed.containsAll(scopes)) r.problem(p + "scopes", "every scope must be one of as." + id + ".scopes");
            apis.add(new Api(name, uri, scopes));
        }
        return apis;
    }

    /**
     * Clients fixed in the configuration: {@code as.<id>.client.<client_id>.*}. A client without a scope gets every
     * scope but the operators' ({@code ordinary}): the admin scope only when its scope names it.
     */
    private static List<StaticClient> staticClients(ConfigReader r, String id, Scope allowed, Scope ordinary, long serverLifetime) {
        List<StaticClient> clients = new ArrayList<>();
        for (String clientId : staticClientIds(r, id)) {
            String p = "as." + id + ".client." + clientId + ".";
            if (!CLIENT_ID.matcher(clientId).matches()) r.problem(p + "*", "'" + clientId + "' is not a valid client_id");
            String secret = r.get(Keys.CLIENT_SECRET, id, clientId);
            String hash = r.get(Keys.CLIENT_SECRET_HASH, id, clientId);
            if ((secret == null) == (hash == null)) {
                r.problem(p + "secret", "give exactly one of secret and secret-hash");
                continue;
            }
            if (secret != null && secret.length() < 16) r.problem(p + "secret", "at least 16 characters");
            if (hash != null && !SECRET_HASH.matcher(hash).matches()) {
                r.problem(p + "secret-hash", "must be sha256:<43 base64url characters>, as `java -jar clavis.jar hash-secret` prints");
            }
            Scope scope = r.getOr(Keys.CLIENT_SCOPE, ordinary, ordinary == null ? "" : ordinary.toString(), id, clientId);
            if (scope != null && allowed != null && !allowed.containsAll(scope)) {
                r.problem(p + "scope", "every scope must be one of as." + id + ".scopes");
            }
            AuthMethod method = r.get(Keys.CLIENT_AUTH_METHOD, id, clientId);
            Long lifetime = r.get(Keys.CLIENT_TOKEN_LIFETIME, id, clientId);
            if (lifetime != null && lifetime > serverLifetime) {
                r.problem(p + "token-lifetime", "at most as." + id + ".token-lifetime (" + serverLifetime + ")");
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            for (String claim : r.ids(List.of(Keys.CLIENT_CLAIM), id, clientId)) claims.put(claim, r.get(Keys.CLIENT_CLAIM, id, clientId, claim));
            ClientTokens tokens = ClientTokens.NONE;
            try {
                tokens = new ClientTokens(lifetime == null ? 0 : lifetime, claims, r.get(Keys.CLIENT_TOKEN_EXCHANGE, id, clientId));
            } catch (IllegalArgumentException e) {
                r.problem(p + "claim.*", e.getMessage());
            }
            clients.add(new StaticClient(clientId, secret, hash, scope == null ? Scope.of(List.of()) : scope, method, tokens));
        }
        return clients;
    }

    /**
     * The static clients of a server. A claim key ({@code ...client.<client_id>.claim.<name>}) belongs to the client
     * before {@code .claim.}, even when the claim's name is also a setting's (a claim called {@code secret}).
     */
    private static java.util.TreeSet<String> staticClientIds(ConfigReader r, String id) {
        java.util.TreeSet<String> ids = r.ids(List.of(Keys.CLIENT_CLAIM), id);
        for (String candidate : r.ids(List.of(Keys.CLIENT_SECRET, Keys.CLIENT_SECRET_HASH, Keys.CLIENT_SCOPE, Keys.CLIENT_TOKEN_LIFETIME,
                Keys.CLIENT_TOKEN_EXCHANGE, Keys.CLIENT_AUTH_METHOD), id)) {
            int claim = candidate.lastIndexOf(".claim");
            if (claim < 0 || !candidate.endsWith(".claim") || !ids.contains(candidate.substring(0, claim))) ids.add(candidate);
        }
        return ids;
    }

    /** Trusted software-statement issuers: {@code software-statement.trust.<label>.(issuer|jwks)}. */
    private static Map<String, List<PublicJwk>> statementIssuers(ConfigReader r, String id) {
        Map<String, List<PublicJwk>> issuers = new LinkedHashMap<>();
        for (String label : r.ids(List.of(Keys.AS_TRUST_ISSUER, Keys.AS_TRUST_JWKS), id)) {
            String issuer = r.get(Keys.AS_TRUST_ISSUER, id, label);
            String jwks = r.get(Keys.AS_TRUST_JWKS, id, label);
            String key = "as." + id + ".software-statement.trust." + label + ".";
            if (issuer == null || jwks == null) {
                r.problem(key + "*", "give both issuer and jwks (a JWK Set file with the issuer's public keys)");
                continue;
            }
            List<PublicJwk> keys = publicKeys(r, key + "jwks", jwks);
            if (keys != null) issuers.put(issuer, keys);
        }
        return issuers;
    }

    /** Issuers whose JWTs may be exchanged: {@code token-exchange.trust.<label>.(issuer|jwks|scopes)}. */
    private static List<TrustedIssuer> exchangeIssuers(ConfigReader r, String id, Scope allowed) {
        List<TrustedIssuer> issuers = new ArrayList<>();
        for (String label : r.ids(List.of(Keys.AS_EXCHANGE_ISSUER, Keys.AS_EXCHANGE_JWKS, Keys.AS_EXCHANGE_SCOPES), id)) {
            String p = "as." + id + ".token-exchange.trust." + label + ".";
            String issuer = r.get(Keys.AS_EXCHANGE_ISSUER, id, label);
            String jwks = r.get(Keys.AS_EXCHANGE_JWKS, id, label);
            Scope scopes = trustedScopes(r, Keys.AS_EXCHANGE_SCOPES, p, allowed, id, label);
            if (issuer == null || jwks == null) {
                r.problem(p + "*", "give issuer, jwks (a JWK Set file) and scopes");
                continue;
            }
            List<PublicJwk> keys = publicKeys(r, p + "jwks", jwks);
            if (keys != null && scopes != null) issuers.add(new TrustedIssuer(label, issuer, keys, null, List.of(), scopes, Long.MAX_VALUE, false, false));
        }
        return issuers;
    }

    /** An issuer is trusted under one label per grant: with two, which keys, scopes and subjects apply would be a guess. */
    private static void onePerIssuer(ConfigReader r, String prefix, List<TrustedIssuer> trusts) {
        Map<String, String> labels = new HashMap<>();
        for (TrustedIssuer t : trusts) {
            String other = labels.putIfAbsent(t.issuer(), t.label());
            if (other != null) r.problem(prefix + t.label() + ".issuer", "'" + t.issuer() + "' is already trusted as " + other);
        }
    }

    /** Issuers for the JWT bearer grant: {@code jwt-bearer.trust.<label>.*}. */
    private static List<TrustedIssuer> bearerIssuers(ConfigReader r, String id, Scope allowed) {
        List<TrustedIssuer> issuers = new ArrayList<>();
        for (String label : r.ids(List.of(Keys.AS_BEARER_ISSUER, Keys.AS_BEARER_JWKS, Keys.AS_BEARER_JWKS_URI, Keys.AS_BEARER_SUBJECTS,
                Keys.AS_BEARER_SCOPES, Keys.AS_BEARER_MAX_LIFETIME, Keys.AS_BEARER_SINGLE_USE, Keys.AS_BEARER_ANONYMOUS), id)) {
            String p = "as." + id + ".jwt-bearer.trust." + label + ".";
            String issuer = r.get(Keys.AS_BEARER_ISSUER, id, label);
            String jwks = r.get(Keys.AS_BEARER_JWKS, id, label);
            String jwksUri = r.get(Keys.AS_BEARER_JWKS_URI, id, label);
            Scope scopes = trustedScopes(r, Keys.AS_BEARER_SCOPES, p, allowed, id, label);
            if (issuer == null || (jwks == null) == (jwksUri == null)) {
                r.problem(p + "*", "give issuer, scopes, and exactly one of jwks (a JWK Set file) and jwks-uri");
                continue;
            }
            if (jwksUri != null && !jwksUri.startsWith("https://")) r.problem(p + "jwks-uri", "must be https");
            List<PublicJwk> keys = jwks == null ? List.of() : publicKeys(r, p + "jwks", jwks);
            List<String> subjects = r.getOr(Keys.AS_BEARER_SUBJECTS, List.of(), "(any)", id, label);
            if (keys != null && scopes != null) {
                issuers.add(new TrustedIssuer(label, issuer, keys, jwksUri, subjects, scopes, r.get(Keys.AS_BEARER_MAX_LIFETIME, id, label),
                        r.get(Keys.AS_BEARER_SINGLE_USE, id, label), r.get(Keys.AS_BEARER_ANONYMOUS, id, label)));
            }
        }
        return issuers;
    }

    private static Scope trustedScopes(ConfigReader r, Key<Scope> key, String p, Scope allowed, String id, String label) {
        Scope scopes = r.get(key, id, label);
        if (scopes == null) {
            r.problem(p + "scopes", "required: the most its subjects may be given");
        } else if (allowed != null && !allowed.containsAll(scopes)) {
            r.problem(p + "scopes", "every scope must be one of as." + id + ".scopes");
        }
        return scopes;
    }

    private static List<PublicJwk> publicKeys(ConfigReader r, String key, String file) {
        try {
            return JwkSet.strict(Json.parseObject(Files.readAllBytes(Path.of(file)))).keys();
        } catch (IOException | Json.MalformedJsonException | IllegalArgumentException e) {
            r.problem(key, "cannot use " + file + ": " + e.getMessage());
            return null;
        }
    }
}
