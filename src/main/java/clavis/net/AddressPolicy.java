package clavis.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs Clavis may fetch, against server-side request forgery: https to a host whose every address is public;
 * http, and internal addresses, only for a host on the operator's allow-list. The URL check needs no DNS (it is
 * also the registration rule for {@code jwks_uri}); {@link Fetcher} resolves the host once, checks every address,
 * and connects to an address it checked, so a name that later resolves elsewhere cannot slip past.
 */
public final class AddressPolicy {
    /** URLs a client supplied ({@code jwks_uri}), with an empty allow-list: the default. */
    public static final AddressPolicy CLIENT_URLS = new AddressPolicy(List.of(), false);
    /** URLs the operator wrote in the configuration: any address and http allowed; the fetcher's size and time bounds stay. */
    public static final AddressPolicy OPERATOR_URLS = new AddressPolicy(List.of(), true);

    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]{2,45}\\]");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

    /** Normalized {@code host} and {@code host:port} entries (see {@link #hostKey}). */
    private final Set<String> allowedHosts;
    private final boolean anyAddress;

    /**
     * @param allowedHosts {@code host} or {@code host:port} entries (a host is a DNS name, an IPv4 address or a bracketed
     *                     IPv6 address): such a host may use http and resolve to any address
     * @param anyAddress   true to skip the address rule for every host and allow http (operator-written URLs, or a
     *                     development mode); false for client-supplied URLs
     * @throws IllegalArgumentException naming the first entry that is not a host or host:port
     */
    public AddressPolicy(Collection<String> allowedHosts, boolean anyAddress) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String entry : allowedHosts) hosts.add(allowListEntry(entry));
        this.allowedHosts = Set.copyOf(hosts);
        this.anyAddress = anyAddress;
    }

    /** The policy for client-supplied URLs with the operator's allow-list. */
    public static AddressPolicy clientUrls(Collection<String> allowedHosts) {
        return new AddressPolicy(allowedHosts, false);
    }

    /**
     * The entries of an allow-list setting, separated by spaces or commas, each checked; throws
     * {@link IllegalArgumentException} naming the first bad entry.
     */
    public static List<String> parseAllowedHosts(String setting) {
        List<String> entries = new ArrayList<>();
        for (String entry : setting.trim().split("[\\s,]+")) {
            if (entry.isEmpty()) continue;
            allowListEntry(entry);
            if (!entries.contains(entry)) entries.add(entry);
        }
        return List.copyOf(entries);
    }

    /** The allow-list, normalized, for logs and tests. */
    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    public boolean anyAddress() {
        return anyAddress;
    }

    /**
     * Why {@code uri} must not be fetched, judged from the URL alone (no name is resolved); null when it may be. The
     * rule: absolute http(s) with a host and no user information; a host that is a DNS name, a canonical IPv4 address
     * or a bracketed IPv6 address; https unless allow-listed; and, unless allow-listed, not {@code localhost} (or a
     * name under it) nor a literal address that is not public.
     */
    public String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            return "not an absolute https URL with a host";
        }
        if (uri.getRawUserInfo() != null) return "user information in the URL is not allowed";
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String key = hostKey(host);
        if (key == null) return "the host must be a DNS name or an IP address in its usual form";
        boolean allowListed = anyAddress || allowListed(key, port(uri));
        if (scheme.equals("http") && !allowListed) return "http is only allowed for an allow-listed host; use https";
        if (allowListed) return null;
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.equals("localhost") || name.endsWith(".localhost")) return "the host is localhost";
        InetAddress literal = literal(host);
        String kind = literal == null ? null : forbiddenKind(literal);
        return kind == null ? null : "the host is a " + kind + " address";
    }

    /** Why a connection to {@code address}, one of the addresses of {@code uri}'s host, must not be made; null when it may. */
    String refusal(URI uri, InetAddress address) {
        if (anyAddress || allowListed(hostKey(uri.getHost().toLowerCase(Locale.ROOT)), port(uri))) return null;
        String kind = forbiddenKind(address);
        return kind == null ? null : "the host resolves to " + address.getHostAddress() + ", a " + kind + " address";
    }

    private boolean allowListed(String hostKey, int port) {
        return hostKey != null && (allowedHosts.contains(hostKey) || allowedHosts.contains(hostKey + ":" + port));
    }

    /** The URL's port, or its scheme's default. */
    static int port(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    /**
     * A host as compared with the allow-list: a lower-case DNS name without a trailing dot, a canonical IPv4 address,
     * or a bracketed IPv6 address in the JDK's full form; null when the host is none of these (for example a numeric
     * form such as {@code 127.1} or {@code 2130706433}, which some resolvers read as an address).
     */
    static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (IPV6.matcher(h).matches()) {
            InetAddress a = literal(h);
            if (a == null) return null;
            return a.getAddress().length == 4 ? a.getHostAddress() : "[" + a.getHostAddress() + "]";
        }
        if (IPV4.matcher(h).matches()) return h;
        if (!DNS_NAME.matcher(h).matches()) return null;
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (Character.isDigit(last.charAt(0))) return null; // no top-level domain starts with a digit: a numeric address form
        return h;
    }

    /** The address a literal host stands for (IPv4 dotted quad, or bracketed IPv6), parsed without DNS; null for a name. */
    static InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) return null;
        try {
            return InetAddress.getByName(host); // a literal: the JDK parses it and asks no resolver
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * What kind of non-public address {@code a} is, or null for a public unicast address. IPv4: 0/8 unspecified, 10/8,
     * 172.16/12 and 192.168/16 private, 100.64/10 shared (carrier-grade NAT), 127/8 loopback, 169.254/16 link-local,
     * 224/4 multicast, 240/4 reserved (and broadcast). IPv6: ::, ::1, fc00::/7 unique-local, fe80::/10 link-local,
     * fec0::/10 site-local, ff00::/8 multicast, and an IPv4 address embedded as mapped (::ffff:0:0/96), compatible
     * (::/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) is judged as that IPv4 address.
     */
    public static String forbiddenKind(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return ipv4Kind(b, 0);
        boolean first80Zero = true;
        for (int i = 0; i < 10; i++) first80Zero &= b[i] == 0;
        boolean first96Zero = first80Zero && b[10] == 0 && b[11] == 0;
        if (first96Zero) {
            boolean last32Zero = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (last32Zero && b[15] == 0) return "unspecified";
            if (last32Zero && b[15] == 1) return "loopback";
            return ipv4Kind(b, 12); // IPv4-compatible
        }
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return ipv4Kind(b, 12); // IPv4-mapped
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) return ipv4Kind(b, 12); // NAT64
        if (b[0] == 0x20 && b[1] == 0x02) return ipv4Kind(b, 2); // 6to4
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) return "unique-local";
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) return "link-local";
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) return "site-local";
        if (b0 == 0xff) return "multicast";
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    private static String ipv4Kind(byte[] b, int at) {
        int o0 = b[at] & 0xff;
        int o1 = b[at + 1] & 0xff;
        if (o0 == 0) return "unspecified";
        if (o0 == 10 || (o0 == 172 && (o1 & 0xf0) == 16) || (o0 == 192 && o1 == 168)) return "private";
        if (o0 == 100 && (o1 & 0xc0) == 64) return "shared (carrier-grade NAT)";
        if (o0 == 127) return "loopback";
        if (o0 == 169 && o1 == 254) return "link-local";
        if (o0 >= 224 && o0 < 240) return "multicast";
        if (o0 >= 240) return "reserved";
        return null;
    }

    /** One allow-list entry, {@code host} or {@code host:port}, normalized; throws naming it when it is neither. */
    private static String allowListEntry(String entry) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        String host = e;
        String port = null;
        int close = e.lastIndexOf(']');
        int colon = e.lastIndexOf(':');
        if (e.startsWith("[") ? colon > close && close > 0 : colon >= 0) {
            host = e.substring(0, colon);
            port = e.substring(colon + 1);
        }
        String key = host.isEmpty() ? null : hostKey(host);
        if (key == null || (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535))) {
            throw new IllegalArgumentException("'" + entry + "' is not host or host:port (an IPv6 address in brackets)");
        }
        return port == null ? key : key + ":" + port;
    }
}
