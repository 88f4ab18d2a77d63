package clavis.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** Trusted-proxy entries: literal addresses and CIDR ranges, never host names. */
class AddressRangeTest {
    private static InetAddress ip(String text) {
        return AddressRange.literal(text);
    }

    @Test
    void aRangeHoldsTheAddressesOfItsPrefix() {
        AddressRange tenSlash8 = AddressRange.parse("10.0.0.0/8");
        assertTrue(tenSlash8.contains(ip("10.200.3.4")));
        assertFalse(tenSlash8.contains(ip("11.0.0.1")));
        AddressRange odd = AddressRange.parse("192.168.1.77/26");
        assertTrue(odd.contains(ip("192.168.1.64")) && odd.contains(ip("192.168.1.127")));
        assertFalse(odd.contains(ip("192.168.1.128")));
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        AddressRange v6 = AddressRange.parse("fd00::/8");
        assertTrue(v6.contains(ip("fd12:3456::1")));
        assertFalse(v6.contains(ip("fe80::1")));
        assertFalse(v6.contains(ip("10.0.0.1")), "an IPv6 range holds no IPv4 address");
    }

    @Test
    void aSingleAddressIsItsOwnRange() {
        AddressRange one = AddressRange.parse("192.0.2.7");
        assertTrue(one.contains(ip("192.0.2.7")));
        assertFalse(one.contains(ip("192.0.2.8")));
        assertTrue(AddressRange.parse("::1").contains(ip("0:0:0:0:0:0:0:1")));
        assertTrue(AddressRange.parse("[2001:db8::1]").contains(ip("2001:db8::1")));
    }

    @Test
    void anIpv4RangeHoldsTheIpv4MappedFormOfItsAddresses() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 5;
        assertTrue(AddressRange.parse("10.0.0.0/8").contains(InetAddress.getByAddress(mapped)));
    }

    @Test
    void hostNamesAndMalformedEntriesAreRefusedWithoutAskingDns() {
        for (String bad : new String[] {"proxy.internal", "localhost", "10.0.0.0/33", "::1/129", "10.0.0/8", "10.0.0.0/", "1.2.3.4/x",
                "fe80::1%eth0", "127.1", "", "10.0.0.0/8/8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertNull(AddressRange.literal("example.com"));
        assertNull(AddressRange.literal("unknown"));
        assertEquals("10.0.0.0/8", AddressRange.parse(" 10.0.0.0/8 ").toString());
    }
}
