package clavis.http;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import clavis.net.AddressRange;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/**
 * Who the client is behind the proxies of {@code server.trusted-proxies}. Only when the direct peer is one of them,
 * the client address comes from {@code Forwarded} (RFC 7239), or else {@code X-Forwarded-For}: the right-most address
 * that is not itself a trusted proxy; and the client certificate from {@code Client-Cert}, with
 * {@code Client-Cert-Chain} (RFC 9440). From any other peer these headers are ignored. The Router asks once per
 * request, so the throttle, the access log, the audit trail and mutual TLS all see the same client.
 */
final class TrustedProxies {
    /** Forwarded hops looked at, right to left; a longer chain is cut (its left end is the least trustworthy anyway). */
    static final int MAX_HOPS = 32;
    /** Certificates in a forwarded chain, leaf included. */
    static final int MAX_CHAIN = 10;

    private final List<AddressRange> ranges;

    TrustedProxies(List<AddressRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Whether {@code peer} is a trusted proxy. */
    boolean trusts(InetAddress peer) {
        for (AddressRange r : ranges) if (r.contains(peer)) return true;
        return false;
    }

    /**
     * The client's address as text ({@link InetAddress#getHostAddress}). From a trusted peer: walking the forwarded
     * hops from the right, the first that is not a trusted proxy; when a hop is not an address ({@code unknown}, an
     * obfuscated name), the last trusted hop before it; when every hop is trusted, the left-most.
     *
     * @param forwarded the {@code Forwarded} header values (may be null)
     * @param forwardedFor the {@code X-Forwarded-For} header values (may be null)
     */
    String clientAddress(InetAddress peer, List<String> forwarded, List<String> forwardedFor) {
        if (ranges.isEmpty() || !trusts(peer)) return peer.getHostAddress();
        List<String> hops = forwarded != null && !forwarded.isEmpty() ? forwardedFor(forwarded) : forwardedFor != null ? elements(forwardedFor) : List.of();
        InetAddress last = peer;
        for (int i = hops.size() - 1; i >= Math.max(0, hops.size() - MAX_HOPS); i--) {
            InetAddress hop = node(hops.get(i));
            if (hop == null) break;
            if (!trusts(hop)) return hop.getHostAddress();
            last = hop;
        }
        return last.getHostAddress();
    }

    /**
     * The client's certificate chain, leaf first, as a trusted proxy forwarded it; null when it forwarded none, or
     * when the peer is not trusted. The connection's own TLS certificate is then the proxy's, never the client's.
     * A malformed header is {@code invalid_request}.
     */
    X509Certificate[] forwardedCertificates(List<String> clientCert, List<String> chain) {
        if (clientCert == null || clientCert.isEmpty()) return null;
        if (clientCert.size() != 1) throw malformed("Client-Cert");
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(certificate(clientCert.get(0).trim(), "Client-Cert"));
        if (chain != null) {
            for (String item : elements(chain)) {
                if (certificates.size() >= MAX_CHAIN) throw malformed("Client-Cert-Chain");
                certificates.add(certificate(item, "Client-Cert-Chain"));
            }
        }
        return certificates.toArray(X509Certificate[]::new);
    }

    /** The {@code for} parameter of every element of {@code Forwarded} (RFC 7239 section 4), "" where it has none. */
    private static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String element : elements(values)) {
            String node = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) node = unquoted(pair.substring(eq + 1).trim());
            }
            hops.add(node);
        }
        return hops;
    }

    /** The comma-separated elements of every value, in order, commas inside quotes kept. */
    private static List<String> elements(List<String> values) {
        List<String> elements = new ArrayList<>();
        for (String value : values) {
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (char c : value.toCharArray()) {
                if (c == '"') quoted = !quoted;
                if (c == ',' && !quoted) {
                    elements.add(current.toString().trim());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            elements.add(current.toString().trim());
        }
        return elements;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * The address of a node ({@code 192.0.2.60}, {@code 192.0.2.60:8080}, {@code [2001:db8::17]:4711}, {@code 2001:db8::17}),
     * parsed without DNS; null for {@code unknown}, an obfuscated identifier or anything else.
     */
    static InetAddress node(String node) {
        String n = node;
        if (n.startsWith("[")) {
            int close = n.indexOf(']');
            if (close < 0) return null;
            n = n.substring(0, close + 1);
        } else if (n.indexOf(':') == n.lastIndexOf(':') && n.indexOf(':') > 0) {
            n = n.substring(0, n.indexOf(':')); // IPv4 with a port
        }
        return AddressRange.literal(n);
    }

    /** An RFC 8941 byte sequence ({@code :base64:}) holding one DER certificate. */
    private static X509Certificate certificate(String item, String header) {
        int semicolon = item.indexOf(';'); // parameters, which RFC 9440 gives no meaning
        String value = (semicolon < 0 ? item : item.substring(0, semicolon)).trim();
        if (value.length() < 3 || value.charAt(0) != ':' || value.charAt(value.length() - 1) != ':') throw malformed(header);
        try {
            byte[] der = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw malformed(header);
        }
    }

    private static OAuthException malformed(String header) {
        return new OAuthException(OAuthError.INVALID_REQUEST, "the " + header + " header from the proxy is malformed (RFC 9440)");
    }
}
