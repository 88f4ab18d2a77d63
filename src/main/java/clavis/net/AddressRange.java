package clavis.net;

import java.net.InetAddress;

/**
 * One address or CIDR range ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code fd00::/8}, {@code ::1}), for
 * {@code server.trusted-proxies}. Parsed without DNS: only literal addresses are accepted. An IPv4 range also holds
 * the IPv4-mapped IPv6 form of its addresses, as the JDK reports a dual-stack peer.
 */
public record AddressRange(byte[] network, int prefixBits, String text) {

    /** Parses {@code address} or {@code address/bits}; throws IllegalArgumentException naming the entry otherwise. */
    public static AddressRange parse(String entry) {
        String e = entry.trim();
        int slash = e.indexOf('/');
        String host = slash < 0 ? e : e.substring(0, slash);
        InetAddress a = literal(host);
        if (a == null) throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range (no host names)");
        byte[] bytes = a.getAddress();
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String suffix = e.substring(slash + 1);
            if (!suffix.matches("[0-9]{1,3}") || Integer.parseInt(suffix) > bits) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bits);
            }
            bits = Integer.parseInt(suffix);
        }
        return new AddressRange(masked(bytes, bits), bits, e);
    }

    /** Whether {@code address} is in this range. */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && network.length == 4 && isIpv4Mapped(b)) b = java.util.Arrays.copyOfRange(b, 12, 16);
        if (b.length != network.length) return false;
        return java.util.Arrays.equals(masked(b, prefixBits), network);
    }

    /**
     * The address a literal stands for (dotted-quad IPv4, or IPv6 with or without brackets, no zone), parsed without
     * DNS; null for anything else, such as a host name.
     */
    public static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
        boolean v6 = h.indexOf(':') >= 0 && h.length() <= 45 && h.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) return null;
        try {
            return InetAddress.getByName(h); // a literal: the JDK parses it and asks no resolver
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static byte[] masked(byte[] bytes, int bits) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefixBits == prefixBits && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixBits;
    }
}
