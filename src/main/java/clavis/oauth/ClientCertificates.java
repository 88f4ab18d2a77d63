package clavis.oauth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import clavis.jwt.PublicJwk;
import clavis.jwt.Sha256;

/**
 * Mutual-TLS client authentication (RFC 8705 section 2): {@code tls_client_auth} (a certificate that chains to a
 * configured CA and names the registered subject) and {@code self_signed_tls_client_auth} (a certificate whose key
 * is one of the client's registered keys). The TLS handshake has already proved the client holds the key.
 */
public final class ClientCertificates {
    /** SubjectAltName general-name types (RFC 5280 section 4.2.1.6) by the metadata field that registers them. */
    private static final Map<String, Integer> SAN_TYPES = Map.of(
            "tls_client_auth_san_email", 1, "tls_client_auth_san_dns", 2, "tls_client_auth_san_uri", 6, "tls_client_auth_san_ip", 7);

    private final Set<TrustAnchor> trustAnchors;
    private final ClientKeys keys;
    private final Clock clock;

    /** @param trustAnchors the CAs whose certificates {@code tls_client_auth} accepts; empty turns that method off */
    public ClientCertificates(Set<TrustAnchor> trustAnchors, ClientKeys keys, Clock clock) {
        this.trustAnchors = Set.copyOf(trustAnchors);
        this.keys = keys;
        this.clock = clock;
    }

    /** Why {@code chain} does not authenticate {@code client}, or null when it does. */
    String failure(Client client, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) return "no_certificate";
        return switch (client.authMethod()) {
            case TLS_CLIENT_AUTH -> !chainsToTrustedCa(chain) ? "untrusted_certificate"
                    : !namesSubject(chain[0], client.metadata()) ? "wrong_certificate_subject" : null;
            case SELF_SIGNED_TLS_CLIENT_AUTH -> holdsClientKey(chain[0], client.metadata()) ? null : "wrong_certificate";
            default -> "wrong_method";
        };
    }

    /** The {@code x5t#S256} confirmation of RFC 8705 section 3.1: the SHA-256 of the DER certificate, base64url. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return Sha256.base64url(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean chainsToTrustedCa(X509Certificate[] chain) {
        if (trustAnchors.isEmpty()) return false;
        try {
            PKIXParameters params = new PKIXParameters(trustAnchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(chain)), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean namesSubject(X509Certificate certificate, ClientMetadata metadata) {
        ClientMetadata.CertificateSubject subject = metadata.certificateSubject();
        if (subject == null) return false;
        if (subject.field().equals("tls_client_auth_subject_dn")) {
            return new X500Principal(subject.value()).equals(certificate.getSubjectX500Principal());
        }
        return hasSubjectAltName(certificate, SAN_TYPES.get(subject.field()), subject.value());
    }

    private static boolean hasSubjectAltName(X509Certificate certificate, int type, String registered) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) return false;
            for (List<?> name : names) {
                if (!Integer.valueOf(type).equals(name.get(0)) || !(name.get(1) instanceof String value)) continue;
                boolean caseless = type == 1 || type == 2;
                if (caseless ? value.toLowerCase(Locale.ROOT).equals(registered.toLowerCase(Locale.ROOT)) : value.equals(registered)) return true;
            }
            return false;
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private boolean holdsClientKey(X509Certificate certificate, ClientMetadata metadata) {
        String thumbprint;
        try {
            thumbprint = PublicJwk.of(certificate.getPublicKey()).thumbprint();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return keys.anyKey(metadata, k -> k.thumbprint().equals(thumbprint));
    }
}
