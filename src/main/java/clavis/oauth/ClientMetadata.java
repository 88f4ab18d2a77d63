package clavis.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
    static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z0-9-]{1,35}");

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
        return new ClientMetadataReader(request, fetchPolicy, false).read();
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
        return new ClientMetadataReader(stored, null, true).read();
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
}
