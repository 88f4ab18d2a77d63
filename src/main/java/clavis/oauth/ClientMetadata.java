package clavis.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import clavis.jwt.JwkSet;
import clavis.jwt.SigningAlgorithm;
import clavis.net.AddressPolicy;

/**
 * Client metadata (RFC 7591 section 2), as one immutable value: {@link #parse} takes a registration request (every
 * known field type-checked, unknown ones dropped, defaults filled in) and {@link #toJson} gives back exactly what is
 * registered and echoed. Stored metadata goes through the same parse ({@link #fromStored}), so a value is always valid.
 *
 * @param scope the registered scope; null only when the request asked for none and the policy has not yet applied
 * @param tokenEndpointAuthSigningAlg the one algorithm the client's assertions must use, or null for any supported one
 * @param certificateSubject what a {@code tls_client_auth} certificate must name (RFC 8705 section 2.1.2), or null
 * @param jwks the registered JWK Set by value, or null
 * @param jwksUri the registered jwks_uri, or null
 * Lists and booleans are null when the request did not send them, so that the answer echoes exactly what was sent.
 */
public record ClientMetadata(
        Localized clientName,
        Localized clientUri,
        Localized logoUri,
        Scope scope,
        AuthMethod tokenEndpointAuthMethod,
        SigningAlgorithm tokenEndpointAuthSigningAlg,
        List<String> redirectUris,
        List<String> responseTypes,
        List<GrantType> grantTypes,
        List<String> contacts,
        Localized tosUri,
        Localized policyUri,
        String jwksUri,
        JwkSet jwks,
        String softwareId,
        String softwareVersion,
        String softwareStatement,
        CertificateSubject certificateSubject,
        Boolean tlsClientCertificateBoundAccessTokens,
        Boolean dpopBoundAccessTokens) {

    public static final int MAX_STRING_LENGTH = 2048;
    public static final int MAX_ARRAY_SIZE = 50;
    public static final int MAX_SOFTWARE_STATEMENT_LENGTH = 16 * 1024;
    public static final List<String> RESPONSE_TYPES = List.of("code");
    /** Human-readable fields that may also come as {@code name#language-tag} (RFC 7591 section 2.2). */
    static final Set<String> LOCALIZABLE = Set.of("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z0-9-]{1,35}");

    public ClientMetadata {
        redirectUris = redirectUris == null ? null : List.copyOf(redirectUris);
        responseTypes = responseTypes == null ? null : List.copyOf(responseTypes);
        grantTypes = List.copyOf(grantTypes);
        contacts = contacts == null ? null : List.copyOf(contacts);
    }

    /** Whether the client's tokens must be bound to its TLS certificate (RFC 8705 section 3). */
    public boolean certificateBound() {
        return Boolean.TRUE.equals(tlsClientCertificateBoundAccessTokens);
    }

    /** Whether the client must bind its tokens to a DPoP key (RFC 9449 section 5.2). */
    public boolean dpopBound() {
        return Boolean.TRUE.equals(dpopBoundAccessTokens);
    }

    /**
     * A human-readable field with its language variants (RFC 7591 section 2.2), in the order given.
     *
     * @param byTag the values by language tag; {@code ""} is the field without a tag
     */
    public record Localized(Map<String, String> byTag) {
        public static final Localized NONE = new Localized(Map.of());

        public Localized {
            byTag = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTag));
        }

        /** The value without a language tag, or null. */
        public String plain() {
            return byTag.get("");
        }

        void writeTo(Map<String, Object> json, String name) {
            byTag.forEach((tag, value) -> json.put(tag.isEmpty() ? name : name + "#" + tag, value));
        }
    }

    /** What a {@code tls_client_auth} certificate must name: one of {@link #FIELDS} and its registered value. */
    public record CertificateSubject(String field, String value) {
        /** RFC 8705 section 2.1.2: a tls_client_auth client registers exactly one of these. */
        public static final List<String> FIELDS = List.of("tls_client_auth_subject_dn", "tls_client_auth_san_dns",
                "tls_client_auth_san_uri", "tls_client_auth_san_ip", "tls_client_auth_san_email");
    }

    /**
     * Parses a registration request body. Throws {@code invalid_client_metadata} (or {@code invalid_redirect_uri})
     * naming the first bad field. The scope is kept as requested; the registration service applies the policy.
     *
     * @param fetchPolicy what a {@code jwks_uri} may point at: it is fetched later, so it must pass this policy's URL rule
     */
    public static ClientMetadata parse(Map<String, Object> request, AddressPolicy fetchPolicy) {
        return new Reader(request, fetchPolicy, false).read();
    }

    /** As {@link #parse(Map, AddressPolicy)} with the default policy for client-supplied URLs (no allow-list). */
    public static ClientMetadata parse(Map<String, Object> request) {
        return parse(request, AddressPolicy.CLIENT_URLS);
    }

    /**
     * Metadata as {@link #toJson()} stored it, read by the same rules, except two that may have tightened since it
     * was registered: a key no longer accepted is skipped (the client's assertions then fail, not the server), and a
     * jwks_uri is not judged again here (every fetch is).
     */
    public static ClientMetadata fromStored(Map<String, Object> stored) {
        return new Reader(stored, null, true).read();
    }

    /** The registered metadata as JSON members, in one fixed order (that of the reference scenario's answer). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        clientName.writeTo(json, "client_name");
        clientUri.writeTo(json, "client_uri");
        logoUri.writeTo(json, "logo_uri");
        if (scope != null) json.put("scope", scope.toString());
        json.put("token_endpoint_auth_method", tokenEndpointAuthMethod.wireName());
        if (tokenEndpointAuthSigningAlg != null) json.put("token_endpoint_auth_signing_alg", tokenEndpointAuthSigningAlg.name());
        if (redirectUris != null) json.put("redirect_uris", redirectUris);
        if (responseTypes != null) json.put("response_types", responseTypes);
        json.put("grant_types", grantTypes.stream().map(GrantType::wireName).toList());
        if (contacts != null) json.put("contacts", contacts);
        tosUri.writeTo(json, "tos_uri");
        policyUri.writeTo(json, "policy_uri");
        if (jwksUri != null) json.put("jwks_uri", jwksUri);
        if (jwks != null) json.put("jwks", jwks.json());
        if (softwareId != null) json.put("software_id", softwareId);
        if (softwareVersion != null) json.put("software_version", softwareVersion);
        if (softwareStatement != null) json.put("software_statement", softwareStatement);
        if (certificateSubject != null) json.put(certificateSubject.field(), certificateSubject.value());
        if (tlsClientCertificateBoundAccessTokens != null) json.put("tls_client_certificate_bound_access_tokens", tlsClientCertificateBoundAccessTokens);
        if (dpopBoundAccessTokens != null) json.put("dpop_bound_access_tokens", dpopBoundAccessTokens);
        return json;
    }

    /** The same metadata with {@code scope} replaced by what the policy granted. */
    public ClientMetadata withScope(Scope granted) {
        return new ClientMetadata(clientName, clientUri, logoUri, granted, tokenEndpointAuthMethod, tokenEndpointAuthSigningAlg,
                redirectUris, responseTypes, grantTypes, contacts, tosUri, policyUri, jwksUri, jwks, softwareId, softwareVersion,
                softwareStatement, certificateSubject, tlsClientCertificateBoundAccessTokens, dpopBoundAccessTokens);
    }

    /**
     * This metadata without what people read (names, URIs, contacts, redirect URIs, the software statement and
     * version): what the token path needs, and so all that a client cache keeps.
     */
    public ClientMetadata forTokenPath() {
        return new ClientMetadata(Localized.NONE, Localized.NONE, Localized.NONE, scope, tokenEndpointAuthMethod,
                tokenEndpointAuthSigningAlg, null, null, grantTypes, null, Localized.NONE, Localized.NONE, jwksUri, jwks,
                softwareId, null, null, certificateSubject, tlsClientCertificateBoundAccessTokens, dpopBoundAccessTokens);
    }

    public boolean usesSecret() {
        return tokenEndpointAuthMethod.usesSecret();
    }

    /** The field a member names: {@code client_name} for {@code client_name#en}. */
    static String baseName(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    /** Whether {@code host} is a loopback name or address, as an http URI for development may name it. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /** One pass over a request's members, field by field. */
    private static final class Reader {
        private final Map<String, Object> request;
        private final AddressPolicy fetchPolicy;
        private final boolean stored;
        private final Map<String, Map<String, String>> localized = new LinkedHashMap<>();

        Reader(Map<String, Object> request, AddressPolicy fetchPolicy, boolean stored) {
            this.request = request;
            this.fetchPolicy = fetchPolicy;
            this.stored = stored;
        }

        ClientMetadata read() {
            for (String base : LOCALIZABLE) localized.put(base, new LinkedHashMap<>());
            Scope scope = null;
            AuthMethod method = AuthMethod.CLIENT_SECRET_BASIC;
            SigningAlgorithm alg = null;
            List<String> redirectUris = null;
            List<String> responseTypes = null;
            List<GrantType> grantTypes = List.of(GrantType.CLIENT_CREDENTIALS);
            List<String> contacts = null;
            String jwksUri = null;
            JwkSet jwks = null;
            String softwareId = null;
            String softwareVersion = null;
            String softwareStatement = null;
            CertificateSubject subject = null;
            Boolean certificateBound = null;
            Boolean dpopBound = null;
            for (Map.Entry<String, Object> e : request.entrySet()) {
                String name = e.getKey();
                Object value = e.getValue();
                if (value == null) continue; // an explicit null is an omitted field
                String base = baseName(name);
                if (!base.equals(name)) {
                    String tag = name.substring(base.length() + 1);
                    if (LOCALIZABLE.contains(base) && LANGUAGE_TAG.matcher(tag).matches()) localized(base, tag, name, value);
                    continue; // other tagged members are unknown metadata, ignored (RFC 7591 section 2)
                }
                switch (name) {
                    case "client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri" -> localized(name, "", name, value);
                    case "scope" -> scope = scope(value);
                    case "token_endpoint_auth_method" -> method = oneOf(name, value, AuthMethod::of, AuthMethod.values());
                    case "token_endpoint_auth_signing_alg" -> alg = oneOf(name, value, SigningAlgorithm::of, SigningAlgorithm.values());
                    case "redirect_uris" -> redirectUris = redirectUris(name, value);
                    case "response_types" -> responseTypes = subsetOf(name, value, RESPONSE_TYPES);
                    case "grant_types" -> grantTypes = strings(name, value).stream().map(g -> oneOf(name, g, GrantType::of, GrantType.values())).toList();
                    case "contacts" -> contacts = strings(name, value);
                    case "jwks_uri" -> jwksUri = jwksUri(name, value);
                    case "jwks" -> jwks = jwks(value);
                    case "software_id" -> softwareId = string(name, value);
                    case "software_version" -> softwareVersion = string(name, value);
                    case "software_statement" -> softwareStatement = softwareStatement(value);
                    case "tls_client_certificate_bound_access_tokens" -> certificateBound = bool(name, value);
                    case "dpop_bound_access_tokens" -> dpopBound = bool(name, value);
                    default -> {
                        if (CertificateSubject.FIELDS.contains(name)) {
                            if (subject != null) throw tlsSubjects();
                            subject = new CertificateSubject(name, name.equals("tls_client_auth_subject_dn")
                                    ? distinguishedName(name, value) : string(name, value));
                        }
                        // anything else is unknown metadata, ignored (RFC 7591 section 2)
                    }
                }
            }
            if (jwks != null && jwksUri != null) throw invalid("jwks and jwks_uri must not both be present (RFC 7591 section 2)");
            boolean keyBased = method == AuthMethod.PRIVATE_KEY_JWT || method == AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH;
            if (keyBased && jwks == null && jwksUri == null) throw invalid(method + " needs the client's public keys in jwks or jwks_uri");
            if (method == AuthMethod.TLS_CLIENT_AUTH && subject == null) throw tlsSubjects();
            return new ClientMetadata(localized("client_name"), localized("client_uri"), localized("logo_uri"), scope, method, alg,
                    redirectUris, responseTypes, grantTypes, contacts, localized("tos_uri"), localized("policy_uri"), jwksUri, jwks,
                    softwareId, softwareVersion, softwareStatement, subject, certificateBound, dpopBound);
        }

        private void localized(String base, String tag, String name, Object value) {
            localized.get(base).put(tag, base.equals("client_name") ? string(name, value) : webUri(name, value));
        }

        private Localized localized(String base) {
            Map<String, String> values = localized.get(base);
            return values.isEmpty() ? Localized.NONE : new Localized(values);
        }

        /** A URI Clavis will fetch: the fetch policy's URL rule (names are resolved and judged again at each fetch). */
        private String jwksUri(String name, Object value) {
            String s = string(name, value);
            if (stored) return s;
            URI uri = uri(s);
            String refusal = uri == null ? "not a URI" : fetchPolicy.refusal(uri);
            if (refusal != null) throw invalid(name + " cannot be fetched: " + refusal);
            return s;
        }

        private JwkSet jwks(Object value) {
            try {
                return stored ? JwkSet.lenient(value) : JwkSet.strict(value);
            } catch (IllegalArgumentException e) {
                throw invalid("jwks: " + e.getMessage());
            }
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description);
    }

    private static OAuthException tlsSubjects() {
        return invalid("tls_client_auth needs exactly one of " + CertificateSubject.FIELDS + " (RFC 8705 section 2.1.2)");
    }

    private static String string(String name, Object value) {
        if (!(value instanceof String s)) throw invalid(name + " must be a string");
        if (s.length() > MAX_STRING_LENGTH) throw invalid(name + " is longer than " + MAX_STRING_LENGTH + " characters");
        return s;
    }

    private static boolean bool(String name, Object value) {
        if (!(value instanceof Boolean b)) throw invalid(name + " must be true or false");
        return b;
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

    private static <T> T oneOf(String name, Object value, java.util.function.Function<String, T> parse, T[] supported) {
        String s = string(name, value);
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw invalid(name + " '" + s + "' is not supported; supported: " + java.util.Arrays.toString(supported));
        }
    }

    private static List<String> subsetOf(String name, Object value, List<String> allowed) {
        List<String> values = strings(name, value);
        for (String v : values) {
            if (!allowed.contains(v)) throw invalid(name + " '" + v + "' is not supported; supported: " + allowed);
        }
        return values;
    }

    /** An empty scope string is the same as none: the policy's default applies. */
    private static Scope scope(Object value) {
        String s = string("scope", value);
        return s.isBlank() ? null : Scope.parse(s, OAuthError.INVALID_CLIENT_METADATA);
    }

    private static String softwareStatement(Object value) {
        if (!(value instanceof String st) || st.length() > MAX_SOFTWARE_STATEMENT_LENGTH) {
            throw invalid("software_statement must be a JWT of at most " + MAX_SOFTWARE_STATEMENT_LENGTH + " characters");
        }
        return st;
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

    /** An absolute https URI; http only for a loopback host. Shown or linked, never fetched. */
    private static String webUri(String name, Object value) {
        String s = string(name, value);
        URI uri = uri(s);
        boolean ok = uri != null && uri.isAbsolute() && uri.getHost() != null
                && ("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost())));
        if (!ok) throw invalid(name + " must be an absolute https URI (http only for a loopback host)");
        return s;
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** An RFC 4514 distinguished name, as {@code tls_client_auth_subject_dn} holds it. */
    private static String distinguishedName(String name, Object value) {
        String dn = string(name, value);
        try {
            new X500Principal(dn);
            return dn;
        } catch (IllegalArgumentException e) {
            throw invalid(name + " is not an RFC 4514 distinguished name");
        }
    }
}
