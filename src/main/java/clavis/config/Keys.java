package clavis.config;

import java.util.List;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.TokenType;
import clavis.net.AddressPolicy;
import clavis.net.AddressRange;
import clavis.oauth.AuthMethod;
import clavis.oauth.AuthorizationServer.RegistrationPolicy;
import clavis.oauth.ClientTokens;
import clavis.oauth.Scope;

/**
 * Every configuration key, once: its name, default, parser and meaning. Reading ({@link ConfigReader}), the
 * unknown-key check and the logged configuration all come from this table, and a test holds the configuration
 * reference (docs/configuration.md) to exactly these names.
 */
public final class Keys {
    private Keys() {
    }

    public static final int DEFAULT_PORT = 8080;
    /**
     * Two per core, at least 4: the token path is CPU-bound, and more threads than that only take turns on the
     * cores (on 2 cores, 4 threads gave a lower p99 than 8 in each of four alternating ES256 runs).
     */
    public static final int DEFAULT_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
    public static final long MAX_TOKEN_LIFETIME_SECONDS = 366L * 24 * 3600;
    private static final long CENTURY_SECONDS = 100L * 366 * 24 * 3600;

    // The server.
    static final Key<String> HOST = key("server.host", "127.0.0.1", Values.text(),
            "address to listen on (`0.0.0.0` for every interface)");
    static final Key<Integer> PORT = key("server.port", Integer.toString(DEFAULT_PORT), Values.integer(0, 65535),
            "port; `0` picks a free one");
    static final Key<String> BASE_URL = key("server.base-url", null, Values.baseUrl(),
            "public base URL that issuers and metadata are built on (default `http://localhost:<port>`)");
    static final Key<Integer> THREADS = key("server.threads", null, Values.integer(1, 1024),
            "requests computed at once (signatures, JSON, hashing; default twice the cores, at least 4); others wait their turn");
    static final Key<Integer> CONNECTION_THREADS = key("server.connection-threads", "512", Values.integer(16, 10_000),
            "threads that read requests and wait on their behalf (for a commit, a key fetch): a slow sender holds one; "
                    + "past this many, requests queue");
    static final Key<Integer> WRITE_THREADS = key("server.write-threads", null, Values.integer(1, 1024),
            "no longer used (requests that wait for a commit run on the connection threads); accepted and ignored");
    static final Key<Boolean> ACCESS_LOG = key("server.access-log", "true", Values.bool(),
            "one log line per request (logger `clavis.access`)");
    static final Key<Boolean> DEV_MODE = key("server.dev-mode", "false", Values.bool(),
            "a test double for development: any client gets a token, any authorization server exists on first use; "
                    + "only on a loopback `server.host`");
    static final Key<Integer> RECORD_REQUESTS = key("server.record-requests", "0", Values.integer(0, 100_000),
            "how many of the last requests an embedded server keeps for its tests (`Clavis.requests()`); `0` keeps none "
                    + "(`Config.builder()` defaults to `100`)");
    static final Key<String> TLS_KEYSTORE = key("server.tls.keystore", null, Values.text(),
            "a PKCS#12 keystore: serve HTTPS, and default the base URL to https");
    static final Key<String> TLS_PASSWORD_ENV = key("server.tls.keystore-password-env", "CLAVIS_TLS_KEYSTORE_PASSWORD", Values.text(),
            "the environment variable that holds the keystore password");
    static final Key<Boolean> TLS_CLIENT_AUTH = key("server.tls.client-auth", "none",
            Values.oneOf(b -> b ? "want" : "none", Boolean.FALSE, Boolean.TRUE),
            "`want`: ask clients for a TLS certificate (optional for them), for RFC 8705");
    static final Key<String> TLS_CLIENT_CA = key("server.tls.client-ca", null, Values.text(),
            "PEM file of the CAs trusted for `tls_client_auth` (needs `client-auth=want`, or `trusted-proxies` for forwarded certificates)");
    static final Key<List<AddressRange>> TRUSTED_PROXIES = key("server.trusted-proxies", null, Values.list(AddressRange::parse),
            "addresses and CIDR ranges of proxies whose `Forwarded`, `X-Forwarded-For` and `Client-Cert` headers are believed");
    static final Key<String> AUDIT_LOG = key("server.audit-log", null, Values.text(),
            "a file the audit trail is appended to (created owner-only), each change's line fsync'd before its answer");

    // The admin API.
    static final Key<String> ADMIN_AS = key("admin.authorization-server", null, Values.text(),
            "turns the admin API on: the authorization server whose access tokens may call it");
    static final Key<String> ADMIN_SCOPE = key("admin.scope", "clavis:admin", Values.scopeToken(),
            "the scope an access token needs for the admin API; only operators grant it");

    // Storage.
    static final Key<String> STORE_URL = secretish("store.url", "jdbc:sqlite:clavis.db",
            "the database: `jdbc:sqlite:FILE`, `jdbc:postgresql://HOST:PORT/DB?user=...&password=...`, or `memory:`: no database, everything is lost at stop (the default of `Config.builder()` and of dev mode; `jdbc:sqlite::memory:` is SQLite in memory)");
    static final Key<Integer> CACHE_SECONDS = key("store.cache-seconds", "1", Values.integer(0, 60),
            "how long a node keeps a client it read for the token path; a change made elsewhere is seen within this time; "
                    + "`0` reads every time");

    // What the server fetches.
    static final Key<List<String>> FETCH_ALLOWED_HOSTS = key("fetch.allowed-hosts", null, AddressPolicy::parseAllowedHosts,
            "hosts (`host` or `host:port`) a client's `jwks_uri` may name although they are internal, and which may use `http`");

    // Bounds on requests and connections.
    static final Key<Integer> TOKEN_BODY_BYTES = key("limits.token-body-bytes", "16384", Values.integer(256, 1 << 20),
            "largest token, introspection or revocation request body; larger is 413");
    static final Key<Integer> REGISTRATION_BODY_BYTES = key("limits.registration-body-bytes", "65536", Values.integer(1024, 1 << 20),
            "largest registration request body; larger is 413");
    static final Key<Integer> HEADER_BYTES = key("limits.header-bytes", "16384", Values.integer(1024, 1 << 20),
            "largest request header section; larger closes the connection");
    static final Key<Integer> REQUEST_SECONDS = key("limits.request-seconds", "10", Values.integer(1, 3600),
            "time a request (headers and body) may take to arrive, and a response to leave; a new connection must "
                    + "start its request within the smaller of this and `limits.idle-seconds`");
    static final Key<Integer> IDLE_SECONDS = key("limits.idle-seconds", "30", Values.integer(1, 3600),
            "an idle keep-alive connection is closed after this long");
    static final Key<Integer> MAX_CONNECTIONS = key("limits.max-connections", "4096", Values.integer(16, 1_000_000),
            "open connections at most; further ones are closed at once");
    static final Key<Integer> IDLE_CONNECTIONS = key("limits.idle-connections", "200", Values.integer(1, 1_000_000),
            "idle keep-alive connections kept at most (the JDK counts them when a response ends, so responses ending together may keep a few more); past this, a connection is closed after its response");

    // Throttling.
    static final Key<Integer> CLIENT_FAILURES = key("throttle.client-failures", "10", Values.integer(1, 1_000_000),
            "failed client authentications per client_id and source address per window before 429");
    static final Key<Integer> ADDRESS_FAILURES = key("throttle.address-failures", "100", Values.integer(1, 1_000_000),
            "failed client authentications per source address per window before 429");
    static final Key<Integer> WINDOW_SECONDS = key("throttle.window-seconds", "60", Values.integer(1, 86_400),
            "the throttling window, and so the longest penalty");
    static final Key<Integer> REGISTRATION_BURST = key("throttle.registration-burst", "200", Values.integer(1, 1_000_000),
            "dynamic registrations one source address may make at once before it is held to the rate below");
    static final Key<Integer> REGISTRATIONS_PER_MINUTE = key("throttle.registrations-per-minute", "600", Values.integer(1, 60_000_000),
            "the steady rate of dynamic registrations per source address; past it 429 with Retry-After");

    // One authorization server.
    static final Key<Scope> AS_SCOPES = key("as.<id>.scopes", null, Values.scopes(),
            "scopes clients of authorization server `<id>` may be granted (required)");
    static final Key<Scope> AS_DEFAULT_SCOPES = key("as.<id>.default-scopes", null, Values.scopes(),
            "scopes granted to a registration that asks for none (default all of `scopes`)");
    static final Key<Long> AS_TOKEN_LIFETIME = key("as.<id>.token-lifetime", Long.toString(DEFAULT_TOKEN_LIFETIME_SECONDS),
            Values.seconds(1, MAX_TOKEN_LIFETIME_SECONDS), "access token lifetime in seconds");
    static final Key<String> AS_AUDIENCE = key("as.<id>.audience", null, Values.text(), "the `aud` claim (default the issuer)");
    static final Key<SigningAlgorithm> AS_SIGNING_ALG = key("as.<id>.signing-alg", "RS256",
            Values.oneOf(SigningAlgorithm::name, SigningAlgorithm.values()), "the access tokens' signature algorithm");
    static final Key<Boolean> AS_GRANT_TYPES = key("as.<id>.grant-types", "lenient", Values.oneOf(b -> b ? "strict" : "lenient", false, true),
            "`lenient`: every client may use the client credentials grant; `strict`: only the grants it registered");
    static final Key<String> AS_API_URI = key("as.<id>.api.<name>.uri", null, Values.resourceUri(),
            "the URI of an API (a resource, RFC 8707) tokens may be asked for: absolute, without a fragment");
    static final Key<Scope> AS_API_SCOPES = key("as.<id>.api.<name>.scopes", null, Values.scopes(),
            "that API's scopes, each one of the server's `scopes`");
    static final Key<TokenType> AS_TOKEN_TYP = key("as.<id>.token-typ", "at+jwt", Values.oneOf(TokenType::header, TokenType.values()),
            "the JWT `typ` header: `at+jwt` (RFC 9068) or `JWT`");
    static final Key<RegistrationPolicy> AS_REGISTRATION = key("as.<id>.registration", "open",
            Values.oneOf(p -> p == RegistrationPolicy.OPEN ? "open" : "initial-access-token", RegistrationPolicy.values()),
            "`open`, or `initial-access-token` to require one on registration");
    static final Key<Integer> AS_MAX_CLIENTS = key("as.<id>.registration.max-clients", "10000", Values.integer(0, 100_000_000),
            "clients registered through RFC 7591 at most (operators' clients are not counted); `0` for no cap");
    static final Key<Long> AS_SECRET_LIFETIME = key("as.<id>.secret-lifetime", "0", Values.seconds(0, CENTURY_SECONDS),
            "client secret lifetime in seconds; `0` never expires");
    static final Key<Long> AS_KEY_ROTATION = key("as.<id>.key-rotation-seconds", "0", Values.seconds(0, CENTURY_SECONDS),
            "rotate the signing key automatically at this age (at least 60); `0` only by hand");
    static final Key<List<String>> AS_AUTH_METHODS = key("as.<id>.auth-methods", null, Values.list(Values.text()),
            "client authentication methods on (default every one the TLS setup allows)");
    static final Key<Long> AS_ASSERTION_MAX_LIFETIME = key("as.<id>.client-assertion.max-lifetime", "3600", Values.seconds(1, 3600),
            "longest client assertion accepted (`exp - iat`, or from now without `iat`), in seconds; at most 3600 (FAPI 2.0)");
    static final Key<Integer> AS_ASSERTION_MAX_LIVE_JTIS = key("as.<id>.client-assertion.max-live-jtis", "100000",
            Values.integer(1, 1_000_000_000), "jtis of unexpired client assertions one client may hold, counted on every node; "
                    + "past it `invalid_client`");
    static final Key<Boolean> AS_DPOP = key("as.<id>.dpop", "true", Values.bool(), "bind tokens to DPoP proofs (RFC 9449)");
    static final Key<Boolean> AS_STATEMENT_REQUIRED = key("as.<id>.software-statement.required", "false", Values.bool(),
            "refuse registrations without a trusted software statement");
    static final Key<Long> AS_STATEMENT_MAX_AGE = key("as.<id>.software-statement.max-age", "31536000", Values.seconds(0, 10L * 366 * 24 * 3600),
            "seconds a software statement without `exp` is accepted after its `iat`; `0` for no bound");
    static final Key<String> AS_TRUST_ISSUER = key("as.<id>.software-statement.trust.<label>.issuer", null, Values.text(),
            "the `iss` of a trusted software-statement issuer");
    static final Key<String> AS_TRUST_JWKS = key("as.<id>.software-statement.trust.<label>.jwks", null, Values.text(),
            "a JWK Set file with that issuer's public keys");

    // Delegation: RFC 8693 token exchange and the RFC 7523 JWT bearer grant.
    static final Key<Boolean> AS_TOKEN_EXCHANGE = key("as.<id>.token-exchange", "false", Values.bool(),
            "serve the token exchange grant (RFC 8693) to the server's clients");
    static final Key<String> AS_EXCHANGE_ISSUER = key("as.<id>.token-exchange.trust.<label>.issuer", null, Values.text(),
            "the `iss` of another issuer whose JWTs may be exchanged, and:");
    static final Key<String> AS_EXCHANGE_JWKS = key("as.<id>.token-exchange.trust.<label>.jwks", null, Values.text(),
            "a JWK Set file with its public keys, and:");
    static final Key<Scope> AS_EXCHANGE_SCOPES = key("as.<id>.token-exchange.trust.<label>.scopes", null, Values.scopes(),
            "the most a token exchanged for one of its JWTs may be given (required: its tokens carry no scope of ours)");
    static final Key<String> AS_BEARER_ISSUER = key("as.<id>.jwt-bearer.trust.<label>.issuer", null, Values.text(),
            "the `iss` of an issuer whose JWTs are accepted as JWT bearer grants (RFC 7523), and:");
    static final Key<String> AS_BEARER_JWKS = key("as.<id>.jwt-bearer.trust.<label>.jwks", null, Values.text(),
            "a JWK Set file with its public keys, or instead:");
    static final Key<String> AS_BEARER_JWKS_URI = key("as.<id>.jwt-bearer.trust.<label>.jwks-uri", null, Values.resourceUri(),
            "the URL of its JWK Set (https; an operator's URL, so an internal host is allowed)");
    static final Key<List<String>> AS_BEARER_SUBJECTS = key("as.<id>.jwt-bearer.trust.<label>.subjects", null, Values.list(Values.text()),
            "the `sub` values it may speak for: exact, or a prefix ending in `*` (default any)");
    static final Key<Scope> AS_BEARER_SCOPES = key("as.<id>.jwt-bearer.trust.<label>.scopes", null, Values.scopes(),
            "the most a token for one of its JWTs may be given (required)");
    static final Key<Long> AS_BEARER_MAX_LIFETIME = key("as.<id>.jwt-bearer.trust.<label>.max-lifetime", "86400", Values.seconds(1, 366L * 86400),
            "the longest JWT accepted (`exp - iat`), in seconds: workload identity tokens often live an hour or more");
    static final Key<Boolean> AS_BEARER_SINGLE_USE = key("as.<id>.jwt-bearer.trust.<label>.single-use", "false", Values.bool(),
            "accept each JWT once (`jti` required and refused again until it expires, on every node)");
    static final Key<Boolean> AS_BEARER_ANONYMOUS = key("as.<id>.jwt-bearer.trust.<label>.anonymous", "false", Values.bool(),
            "accept its JWTs without client authentication; the token's client_id is then `<label>`");

    // A static client of an authorization server.
    static final Key<String> CLIENT_SECRET = secretish("as.<id>.client.<client_id>.secret", null,
            "a static client's secret (16+ characters), or instead:");
    static final Key<String> CLIENT_SECRET_HASH = key("as.<id>.client.<client_id>.secret-hash", null, Values.text(),
            "its hash, `sha256:...`, as `java -jar target/clavis.jar hash-secret` prints it");
    static final Key<Scope> CLIENT_SCOPE = key("as.<id>.client.<client_id>.scope", null, Values.scopes(),
            "a static client's scope (default all of `scopes`)");
    static final Key<Long> CLIENT_TOKEN_LIFETIME = key("as.<id>.client.<client_id>.token-lifetime", null,
            Values.seconds(1, MAX_TOKEN_LIFETIME_SECONDS), "a static client's token lifetime, at most the server's `token-lifetime`");
    static final Key<Object> CLIENT_CLAIM = key("as.<id>.client.<client_id>.claim.<name>", null, ClientTokens::valueOf,
            "a claim in a static client's tokens: a JSON literal (`true`, `42`, `[\"a\",\"b\"]`) or else a string");
    static final Key<Boolean> CLIENT_TOKEN_EXCHANGE = key("as.<id>.client.<client_id>.token-exchange", "true", Values.bool(),
            "`false`: this static client may not exchange tokens even where the server allows it");
    static final Key<AuthMethod> CLIENT_AUTH_METHOD = key("as.<id>.client.<client_id>.auth-method", "client_secret_basic",
            Values.oneOf(AuthMethod::wireName, AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST),
            "`client_secret_basic` or `client_secret_post`");

    /** Every key, in the order the logged configuration and the reference list them. */
    public static final List<Key<?>> ALL = List.of(
            HOST, PORT, BASE_URL, THREADS, CONNECTION_THREADS, WRITE_THREADS, ACCESS_LOG, DEV_MODE, RECORD_REQUESTS,
            TLS_KEYSTORE, TLS_PASSWORD_ENV, TLS_CLIENT_AUTH, TLS_CLIENT_CA, TRUSTED_PROXIES, AUDIT_LOG, ADMIN_AS, ADMIN_SCOPE,
            STORE_URL, CACHE_SECONDS, FETCH_ALLOWED_HOSTS,
            TOKEN_BODY_BYTES, REGISTRATION_BODY_BYTES, HEADER_BYTES, REQUEST_SECONDS, IDLE_SECONDS, MAX_CONNECTIONS, IDLE_CONNECTIONS,
            CLIENT_FAILURES, ADDRESS_FAILURES, WINDOW_SECONDS, REGISTRATION_BURST, REGISTRATIONS_PER_MINUTE,
            AS_SCOPES, AS_DEFAULT_SCOPES, AS_TOKEN_LIFETIME, AS_AUDIENCE, AS_SIGNING_ALG, AS_GRANT_TYPES, AS_API_URI, AS_API_SCOPES,
            AS_TOKEN_TYP, AS_REGISTRATION, AS_MAX_CLIENTS,
            AS_SECRET_LIFETIME, AS_KEY_ROTATION, AS_AUTH_METHODS, AS_ASSERTION_MAX_LIFETIME, AS_ASSERTION_MAX_LIVE_JTIS, AS_DPOP,
            AS_STATEMENT_REQUIRED, AS_STATEMENT_MAX_AGE, AS_TRUST_ISSUER, AS_TRUST_JWKS,
            AS_TOKEN_EXCHANGE, AS_EXCHANGE_ISSUER, AS_EXCHANGE_JWKS, AS_EXCHANGE_SCOPES,
            AS_BEARER_ISSUER, AS_BEARER_JWKS, AS_BEARER_JWKS_URI, AS_BEARER_SUBJECTS, AS_BEARER_SCOPES, AS_BEARER_MAX_LIFETIME,
            AS_BEARER_SINGLE_USE, AS_BEARER_ANONYMOUS,
            CLIENT_SECRET, CLIENT_SECRET_HASH, CLIENT_SCOPE, CLIENT_TOKEN_LIFETIME, CLIENT_CLAIM, CLIENT_TOKEN_EXCHANGE, CLIENT_AUTH_METHOD);

    private static <T> Key<T> key(String name, String defaultText, Key.Parser<T> parser, String meaning) {
        return new Key<>(name, defaultText, parser, meaning, false);
    }

    /** A key whose value may hold a secret: the logged configuration masks it. */
    private static Key<String> secretish(String name, String defaultText, String meaning) {
        return new Key<>(name, defaultText, Values.text(), meaning, true);
    }
}
