package clavis.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import clavis.jwt.PublicJwk;
import clavis.net.AddressPolicy;

/**
 * Client metadata (RFC 7591 section 2): parsed from a registration request with every known field type-checked,
 * unknown fields dropped, and defaults filled in. Holds exactly what is registered and echoed back.
 */
public final class ClientMetadata {
    public static final int MAX_STRING_LENGTH = 2048;
    public static final int MAX_ARRAY_SIZE = 50;
    public static final int MAX_JWKS_KEYS = 20;

    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    public static final String TLS_CLIENT_AUTH = "tls_client_auth";
    public static final String SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth";
    /** Every token_endpoint_auth_method Clavis knows; each authorization server turns on some of them. */
    public static final List<String> AUTH_METHODS =
            List.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, TLS_CLIENT_AUTH, SELF_SIGNED_TLS_CLIENT_AUTH);
    /** The methods that use a client secret; clients of the others get none. */
    public static final List<String> SECRET_METHODS = List.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST);
    /** RFC 8705 section 2.1.2: a tls_client_auth client registers exactly one of these. */
    public static final List<String> CERTIFICATE_SUBJECT_FIELDS = List.of("tls_client_auth_subject_dn", "tls_client_auth_san_dns",
            "tls_client_auth_san_uri", "tls_client_auth_san_ip", "tls_client_auth_san_email");
    public static final int MAX_SOFTWARE_STATEMENT_LENGTH = 16 * 1024;
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** Grant types a client may register. Only client_credentials is served; the others are kept for clients, like the seed's, that list them. */
    public static final List<String> GRANT_TYPES = List.of(CLIENT_CREDENTIALS, "authorization_code", "refresh_token");
    public static final List<String> RESPONSE_TYPES = List.of("code");
    public static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");

    private static final Set<String> PLAIN_STRINGS = Set.of("client_name", "software_id", "software_version");
    /** URIs shown or linked, never fetched; jwks_uri, which is fetched, follows the fetch policy instead. */
    private static final Set<String> WEB_URIS = Set.of("client_uri", "logo_uri", "tos_uri", "policy_uri");
    /** Human-readable fields that may also come as {@code name#language-tag} (RFC 7591 section 2.2). */
    static final Set<String> LOCALIZABLE = Set.of("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z0-9-]{1,35}");
    private static final Set<String> BOOLEANS = Set.of("tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens");
    /** Metadata for people and for the registration's echo, never read to authenticate a client or issue a token. */
    private static final Set<String> DESCRIPTIVE = Set.of("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "contacts",
            "redirect_uris", "software_statement", "software_version");

    private final Map<String, Object> fields;
    private final Scope scope;
    /** The registered jwks parsed, once: they are checked on every assertion. Null until first asked for. */
    private volatile List<PublicJwk> publicKeys;

    private ClientMetadata(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
        Object s = fields.get("scope");
        this.scope = s == null ? null : Scope.parse((String) s, OAuthError.INVALID_CLIENT_METADATA);
    }

    /** As {@link #parse(Map, AddressPolicy)} with the default policy for client-supplied URLs (no allow-list). */
    public static ClientMetadata parse(Map<String, Object> request) {
        return parse(request, AddressPolicy.CLIENT_URLS);
    }

    /**
     * Parses a registration request body. Throws {@code invalid_client_metadata} (or {@code invalid_redirect_uri})
     * naming the first bad field. The scope is kept as requested; the registration service applies the policy.
     *
     * @param fetchPolicy what a {@code jwks_uri} may point at: it is fetched later, so it must pass this policy's URL rule
     */
    public static ClientMetadata parse(Map<String, Object> request, AddressPolicy fetchPolicy) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : request.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (value == null) continue; // an explicit null is an omitted field
            String base = baseName(name);
            if (!base.equals(name) && (!LOCALIZABLE.contains(base) || !LANGUAGE_TAG.matcher(name.substring(base.length() + 1)).matches())) {
                continue; // unknown metadata is ignored (RFC 7591 section 2)
            }
            Object parsed = switch (base) {
                case "redirect_uris" -> redirectUris(name, value);
                case "token_endpoint_auth_method" -> oneOf(name, string(name, value), AUTH_METHODS);
                case "grant_types" -> subsetOf(name, value, GRANT_TYPES);
                case "response_types" -> subsetOf(name, value, RESPONSE_TYPES);
                case "scope" -> scope(value);
                case "contacts" -> strings(name, value);
                case "jwks" -> jwks(value);
                case "jwks_uri" -> jwksUri(name, value, fetchPolicy);
                case "token_endpoint_auth_signing_alg" -> oneOf(name, string(name, value), SIGNING_ALGORITHMS);
                case "tls_client_auth_subject_dn" -> distinguishedName(name, value);
                case "software_statement" -> {
                    if (!(value instanceof String st) || st.length() > MAX_SOFTWARE_STATEMENT_LENGTH) {
                        throw invalid("software_statement must be a JWT of at most " + MAX_SOFTWARE_STATEMENT_LENGTH + " characters");
                    }
                    yield st;
                }
                default -> {
                    if (WEB_URIS.contains(base)) yield webUri(name, value);
                    if (PLAIN_STRINGS.contains(base) || CERTIFICATE_SUBJECT_FIELDS.contains(base)) yield string(name, value);
                    if (BOOLEANS.contains(base)) {
                        if (!(value instanceof Boolean b)) throw invalid(name + " must be true or false");
                        yield b;
                    }
                    yield null; // unknown metadata is ignored (RFC 7591 section 2)
                }
            };
            if (parsed != null) fields.put(name, parsed);
        }
        if (fields.containsKey("jwks") && fields.containsKey("jwks_uri")) {
            throw invalid("jwks and jwks_uri must not both be present (RFC 7591 section 2)");
        }
        fields.putIfAbsent("token_endpoint_auth_method", CLIENT_SECRET_BASIC);
        fields.putIfAbsent("grant_types", List.of(CLIENT_CREDENTIALS));
        checkKeysFor(fields);
        return new ClientMetadata(fields);
    }

    /** The field a member names: {@code client_name} for {@code client_name#en}. */
    static String baseName(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    /** The key-based methods need their keys or their certificate's subject (RFC 7591 section 2, RFC 8705 section 2). */
    private static void checkKeysFor(Map<String, Object> fields) {
        String method = (String) fields.get("token_endpoint_auth_method");
        boolean hasKeys = fields.containsKey("jwks") || fields.containsKey("jwks_uri");
        if ((method.equals(PRIVATE_KEY_JWT) || method.equals(SELF_SIGNED_TLS_CLIENT_AUTH)) && !hasKeys) {
            throw invalid(method + " needs the client's public keys in jwks or jwks_uri");
        }
        long subjects = CERTIFICATE_SUBJECT_FIELDS.stream().filter(fields::containsKey).count();
        if (method.equals(TLS_CLIENT_AUTH) && subjects != 1) {
            throw invalid("tls_client_auth needs exactly one of " + CERTIFICATE_SUBJECT_FIELDS + " (RFC 8705 section 2.1.2)");
        }
    }

    /** Metadata as stored by {@link #toJson()}; it was validated when registered. */
    public static ClientMetadata restore(Map<String, Object> stored) {
        return new ClientMetadata(new LinkedHashMap<>(stored));
    }

    /** The same metadata with {@code scope} replaced by what the policy granted. */
    public ClientMetadata withScope(Scope granted) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put("scope", granted.toString());
        return new ClientMetadata(copy);
    }

    /**
     * This metadata without the descriptive members (and their {@code #lang} variants): what the token path reads,
     * and so all that a client cache needs to keep.
     */
    public ClientMetadata forTokenPath() {
        Map<String, Object> kept = new LinkedHashMap<>(fields);
        kept.keySet().removeIf(name -> DESCRIPTIVE.contains(name.contains("#") ? name.substring(0, name.indexOf('#')) : name));
        return kept.size() == fields.size() ? this : new ClientMetadata(kept);
    }

    /** The registered scope; null when the request had none and no policy has been applied yet. */
    public Scope scope() {
        return scope;
    }

    public String tokenEndpointAuthMethod() {
        return (String) fields.get("token_endpoint_auth_method");
    }

    public boolean usesSecret() {
        return SECRET_METHODS.contains(tokenEndpointAuthMethod());
    }

    /** The registered JWK Set by value, or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jwks() {
        return (Map<String, Object>) fields.get("jwks");
    }

    /**
     * The keys of the registered jwks, parsed once; empty without jwks. A key stored before a rule refused it (an
     * RSA exponent other than 65537, say) is skipped, so that the client's assertions fail instead of the server.
     */
    @SuppressWarnings("unchecked")
    public List<PublicJwk> publicKeys() {
        List<PublicJwk> keys = publicKeys;
        if (keys == null) {
            List<PublicJwk> parsed = new ArrayList<>();
            Map<String, Object> set = jwks();
            if (set != null && set.get("keys") instanceof List<?> list) {
                for (Object jwk : list) {
                    try {
                        if (jwk instanceof Map<?, ?> m) parsed.add(PublicJwk.parse((Map<String, Object>) m));
                    } catch (IllegalArgumentException e) {
                        // no longer a key Clavis accepts
                    }
                }
            }
            publicKeys = keys = List.copyOf(parsed);
        }
        return keys;
    }

    /** The registered jwks_uri, or null. */
    public String jwksUri() {
        return (String) fields.get("jwks_uri");
    }

    /** The one JWS algorithm the client's assertions must use, or null for any supported one. */
    public String tokenEndpointAuthSigningAlg() {
        return (String) fields.get("token_endpoint_auth_signing_alg");
    }

    /** A string member such as {@code tls_client_auth_subject_dn}, or null. */
    public String string(String name) {
        return fields.get(name) instanceof String s ? s : null;
    }

    /** A boolean member such as {@code dpop_bound_access_tokens}; false when absent. */
    public boolean flag(String name) {
        return Boolean.TRUE.equals(fields.get(name));
    }

    /** The registered metadata as JSON members, in the order they were sent. */
    public Map<String, Object> toJson() {
        return fields;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description);
    }

    private static String string(String name, Object value) {
        if (!(value instanceof String s)) throw invalid(name + " must be a string");
        if (s.length() > MAX_STRING_LENGTH) throw invalid(name + " is longer than " + MAX_STRING_LENGTH + " characters");
        return s;
    }

    private static List<String> strings(String name, Object value) {
        if (!(value instanceof List<?> list)) throw invalid(name + " must be an array of strings");
        if (list.size() > MAX_ARRAY_SIZE) throw invalid(name + " has more than " + MAX_ARRAY_SIZE + " entries");
        List<String> result = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String)) throw invalid(name + " must be an array of strings");
            result.add(string(name, item));
        }
        return List.copyOf(result);
    }

    private static String oneOf(String name, String value, List<String> allowed) {
        if (!allowed.contains(value)) throw invalid(name + " '" + value + "' is not supported; supported: " + allowed);
        return value;
    }

    private static List<String> subsetOf(String name, Object value, List<String> allowed) {
        List<String> values = strings(name, value);
        for (String v : values) oneOf(name, v, allowed);
        return values;
    }

    /** An empty scope string is the same as none: the policy's default applies. */
    private static String scope(Object value) {
        String s = string("scope", value);
        return s.isBlank() ? null : Scope.parse(s, OAuthError.INVALID_CLIENT_METADATA).toString();
    }

    private static List<String> redirectUris(String name, Object value) {
        List<String> uris;
        try {
            uris = strings(name, value);
        } catch (OAuthException e) {
            throw new OAuthException(OAuthError.INVALID_REDIRECT_URI, e.description());
        }
        for (String u : uris) {
            URI uri = uri(u);
            if (uri == null || !uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new OAuthException(OAuthError.INVALID_REDIRECT_URI,
                        "redirect_uris entries must be absolute URIs without a fragment (RFC 6749 section 3.1.2)");
            }
        }
        return uris;
    }

    /** An absolute https URI; http only for a loopback host. */
    private static String webUri(String name, Object value) {
        String s = string(name, value);
        URI uri = uri(s);
        boolean ok = uri != null && uri.isAbsolute() && uri.getHost() != null
                && ("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost())));
        if (!ok) throw invalid(name + " must be an absolute https URI (http only for a loopback host)");
        return s;
    }

    /**
     * A URI Clavis will fetch: https (http only for an allow-listed host), and not localhost nor a literal loopback,
     * private, link-local, unique-local or unspecified address unless allow-listed. Names are resolved and checked
     * again at each fetch.
     */
    private static String jwksUri(String name, Object value, AddressPolicy fetchPolicy) {
        String s = string(name, value);
        URI uri = uri(s);
        String refusal = uri == null ? "not a URI" : fetchPolicy.refusal(uri);
        if (refusal != null) throw invalid(name + " cannot be fetched: " + refusal);
        return s;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** A JWK Set by value (RFC 7517 section 5): public signature keys Clavis can verify with, and no private member. */
    private static Map<String, Object> jwks(Object value) {
        if (!(value instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> keys)) {
            throw invalid("jwks must be a JWK Set: an object with a keys array");
        }
        if (keys.isEmpty() || keys.size() > MAX_JWKS_KEYS) throw invalid("jwks must hold 1 to " + MAX_JWKS_KEYS + " keys");
        for (Object key : keys) {
            if (!(key instanceof Map<?, ?> jwk) || !(jwk.get("kty") instanceof String)) {
                throw invalid("every key in jwks must be a JWK object with kty");
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) jwk;
                PublicJwk.parse(typed);
            } catch (IllegalArgumentException e) {
                throw invalid("jwks: " + e.getMessage());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) set;
        return typed;
    }

    /** An RFC 4514 distinguished name, as {@code tls_client_auth_subject_dn} holds it. */
    private static String distinguishedName(String name, Object value) {
        String dn = string(name, value);
        try {
            new javax.security.auth.x500.X500Principal(dn);
            return dn;
        } catch (IllegalArgumentException e) {
            throw invalid(name + " is not an RFC 4514 distinguished name");
        }
    }
}
