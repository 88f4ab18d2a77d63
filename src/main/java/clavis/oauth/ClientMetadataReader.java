package clavis.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import clavis.jwt.JwkSet;
import clavis.jwt.SigningAlgorithm;
import clavis.net.AddressPolicy;
import clavis.oauth.ClientMetadata.CertificateSubject;
import clavis.oauth.ClientMetadata.Localized;

/**
 * Reads client metadata (RFC 7591 section 2) from JSON members, field by field, for {@link ClientMetadata#parse}
 * and {@link ClientMetadata#fromStored}: each field's type, bounds and rules, and the rules between fields.
 */
final class ClientMetadataReader {
    private final Map<String, Object> request;
    private final AddressPolicy fetchPolicy;
    private final boolean stored;
    private final Map<String, Map<String, String>> localized = new LinkedHashMap<>();

    ClientMetadataReader(Map<String, Object> request, AddressPolicy fetchPolicy, boolean stored) {
        this.request = request;
        this.fetchPolicy = fetchPolicy;
        this.stored = stored;
    }

    ClientMetadata read() {
        for (String base : ClientMetadata.LOCALIZABLE) localized.put(base, new LinkedHashMap<>());
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
            String base = ClientMetadata.baseName(name);
            if (!base.equals(name)) {
                String tag = name.substring(base.length() + 1);
                if (ClientMetadata.LOCALIZABLE.contains(base) && ClientMetadata.LANGUAGE_TAG.matcher(tag).matches()) localized(base, tag, name, value);
                continue; // other tagged members are unknown metadata, ignored (RFC 7591 section 2)
            }
            switch (name) {
                case "client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri" -> localized(name, "", name, value);
                case "scope" -> scope = scope(value);
                case "token_endpoint_auth_method" -> method = oneOf(name, value, AuthMethod::of, AuthMethod.values());
                case "token_endpoint_auth_signing_alg" -> alg = oneOf(name, value, SigningAlgorithm::of, SigningAlgorithm.values());
                case "redirect_uris" -> redirectUris = redirectUris(name, value);
                case "response_types" -> responseTypes = subsetOf(name, value, ClientMetadata.RESPONSE_TYPES);
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

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description);
    }

    private static OAuthException tlsSubjects() {
        return invalid("tls_client_auth needs exactly one of " + CertificateSubject.FIELDS + " (RFC 8705 section 2.1.2)");
    }

    private static String string(String name, Object value) {
        if (!(value instanceof String s)) throw invalid(name + " must be a string");
        if (s.length() > ClientMetadata.MAX_STRING_LENGTH) throw invalid(name + " is longer than " + ClientMetadata.MAX_STRING_LENGTH + " characters");
        return s;
    }

    private static boolean bool(String name, Object value) {
        if (!(value instanceof Boolean b)) throw invalid(name + " must be true or false");
        return b;
    }

    private static List<String> strings(String name, Object value) {
        if (!(value instanceof List<?> list)) throw invalid(name + " must be an array of strings");
        if (list.size() > ClientMetadata.MAX_ARRAY_SIZE) throw invalid(name + " has more than " + ClientMetadata.MAX_ARRAY_SIZE + " entries");
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
        if (!(value instanceof String st) || st.length() > ClientMetadata.MAX_SOFTWARE_STATEMENT_LENGTH) {
            throw invalid("software_statement must be a JWT of at most " + ClientMetadata.MAX_SOFTWARE_STATEMENT_LENGTH + " characters");
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
                && ("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && ClientMetadata.isLoopback(uri.getHost())));
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
