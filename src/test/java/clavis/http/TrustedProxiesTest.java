package clavis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import clavis.net.AddressRange;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** The client's address behind trusted proxies: RFC 7239 Forwarded first, then X-Forwarded-For, right to left. */
class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = new TrustedProxies(List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("fd00::/8")));
    private static final InetAddress PROXY = AddressRange.literal("10.1.1.1");

    private static String address(InetAddress peer, List<String> forwarded, List<String> forwardedFor) {
        return PROXIES.clientAddress(peer, forwarded, forwardedFor);
    }

    @Test
    void theRightMostAddressThatIsNotATrustedProxyIsTheClient() {
        assertEquals("203.0.113.9", address(PROXY, null, List.of("203.0.113.9")));
        assertEquals("203.0.113.9", address(PROXY, null, List.of("198.51.100.1, 203.0.113.9, 10.2.2.2")),
                "a client may send any X-Forwarded-For; only what the trusted hops appended counts");
        assertEquals("203.0.113.9", address(PROXY, null, List.of("198.51.100.1", "203.0.113.9, 10.2.2.2")), "header lines in order");
        assertEquals("10.3.3.3", address(PROXY, null, List.of("10.3.3.3, 10.2.2.2")), "every hop trusted: the left-most");
    }

    @Test
    void forwardedWinsOverXForwardedForAndIsParsedAsRfc7239Says() {
        assertEquals("192.0.2.60", address(PROXY, List.of("for=192.0.2.60;proto=https;by=10.1.1.1"), List.of("198.51.100.1")));
        assertEquals("2001:db8:cafe:0:0:0:0:17", address(PROXY, List.of("for=\"[2001:db8:cafe::17]:4711\""), null));
        assertEquals("192.0.2.60", address(PROXY, List.of("For=\"192.0.2.60:8080\", for=10.9.9.9"), null), "names are caseless; ports go");
        assertEquals("198.51.100.17", address(PROXY, List.of("for=192.0.2.43, for=198.51.100.17;by=10.0.0.1", "for=10.4.4.4"), null),
                "the right-most hop that is not trusted, across header lines");
    }

    @Test
    void aHopThatIsNoAddressStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("10.1.1.1", address(PROXY, List.of("for=unknown"), null));
        assertEquals("10.2.2.2", address(PROXY, List.of("for=192.0.2.1, for=_hidden, for=10.2.2.2"), null));
        assertEquals("10.1.1.1", address(PROXY, null, List.of("203.0.113.9, proxy.example")), "a name is never resolved");
        assertEquals("10.1.1.1", address(PROXY, List.of("proto=https"), null), "an element without for");
        assertEquals("10.1.1.1", address(PROXY, null, List.of("")));
    }

    @Test
    void fromAPeerThatIsNotTrustedTheHeadersChangeNothing() {
        InetAddress stranger = AddressRange.literal("198.51.100.7");
        assertEquals("198.51.100.7", address(stranger, List.of("for=192.0.2.60"), List.of("203.0.113.9")));
        assertEquals("198.51.100.7", new TrustedProxies(List.of()).clientAddress(stranger, null, List.of("203.0.113.9")));
    }

    @Test
    void onlyTheLastHopsAreWalked() {
        List<String> hops = new ArrayList<>();
        hops.add("203.0.113.9");
        for (int i = 0; i < TrustedProxies.MAX_HOPS; i++) hops.add("10.0.0." + (i + 2));
        assertEquals("10.0.0.2", address(PROXY, null, List.of(String.join(", ", hops))), "past the bound the left-most looked at stands");
    }

    @Test
    void malformedForwardedCertificatesAreInvalidRequest() {
        for (String bad : new String[] {"MIIB", ":not base64!:", ":" + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + ":", "::"}) {
            OAuthException e = assertThrows(OAuthException.class, () -> PROXIES.forwardedCertificates(List.of(bad), null), bad);
            assertEquals(OAuthError.INVALID_REQUEST, e.error());
            assertTrue(e.description().contains("Client-Cert"), e.description());
        }
        assertThrows(OAuthException.class, () -> PROXIES.forwardedCertificates(List.of(":AA==:", ":AA==:"), null), "two Client-Cert headers");
        assertNull(PROXIES.forwardedCertificates(null, List.of(":AA==:")), "a chain without a certificate is no certificate");
    }
}
