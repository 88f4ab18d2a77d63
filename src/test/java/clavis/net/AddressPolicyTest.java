package clavis.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The address rule against server-side request forgery, and the allow-list that lifts it: values in, values out. */
class AddressPolicyTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback", "127.255.0.9, loopback", "10.1.2.3, private", "172.16.0.1, private", "172.31.255.255, private",
            "192.168.1.1, private", "169.254.169.254, link-local", "100.64.0.1, shared (carrier-grade NAT)", "100.127.255.255, shared (carrier-grade NAT)",
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "224.0.0.1, multicast", "255.255.255.255, reserved",
            "::, unspecified", "::1, loopback", "fe80::1, link-local", "fd00::1, unique-local", "fc00::1, unique-local",
            "fec0::1, site-local", "ff02::1, multicast", "::ffff:10.0.0.1, private", "::127.0.0.1, loopback",
            "64:ff9b::a9fe:a9fe, link-local", "2002:0a00:0001::, private"})
    void nonPublicAddressesAreNamed(String address, String kind) throws Exception {
        assertEquals(kind, AddressPolicy.forbiddenKind(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255", "192.169.0.1",
            "2606:4700::1111", "64:ff9b::808:808", "2002:0808:0808::"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertNull(AddressPolicy.forbiddenKind(InetAddress.getByName(address)));
    }

    @Test
    void anIpv4MappedAddressKeptAsIpv6IsJudgedAsItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(a instanceof Inet6Address, "a resolver may hand back the IPv6 form");
        assertEquals("link-local", AddressPolicy.forbiddenKind(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/jwks", "https://10.0.0.1/jwks", "https://169.254.169.254/latest/meta-data/", "https://[::1]/jwks",
            "https://[fd00::1]/jwks", "https://[fe80::1]/jwks", "https://[::ffff:127.0.0.1]/jwks", "https://0.0.0.0/jwks", "https://[::]/jwks",
            "https://100.64.0.1/jwks", "https://localhost/jwks", "https://LOCALHOST:8443/jwks", "https://localhost./jwks", "https://keys.localhost/jwks",
            "https://127.1/jwks", "https://2130706433/jwks", "https://0x7f000001/jwks", "https://127.000.000.001/jwks", "https://010.0.0.1/jwks",
            "http://keys.example/jwks", "http://127.0.0.1:8080/jwks", "ftp://keys.example/jwks", "https://user:secret@keys.example/jwks",
            "/jwks", "https:keys.example"})
    void clientUrlsThatMustNotBeFetchedAreRefusedWithoutResolving(String url) {
        String reason = AddressPolicy.CLIENT_URLS.refusal(URI.create(url));
        assertTrue(reason != null && !reason.isBlank(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://keys.example/jwks", "https://keys.example:8443/jwks?x=1", "https://93.184.216.34/jwks", "https://[2606:4700::1111]/jwks",
            "https://KEYS.Example./jwks"})
    void publicHttpsUrlsAreAllowed(String url) {
        assertNull(AddressPolicy.CLIENT_URLS.refusal(URI.create(url)));
    }

    @Test
    void anAllowListedHostMayUseHttpAndAnyAddressOnItsPort() {
        AddressPolicy policy = AddressPolicy.clientUrls(List.of("keys.internal", "127.0.0.1:8080", "[FD00::1]:443"));
        assertNull(policy.refusal(URI.create("http://keys.internal/jwks")));
        assertNull(policy.refusal(URI.create("https://Keys.Internal:9443/jwks")), "a host entry allows every port");
        assertNull(policy.refusal(URI.create("http://127.0.0.1:8080/jwks")));
        assertTrue(policy.refusal(URI.create("http://127.0.0.1:8081/jwks")) != null, "a host:port entry allows that port only");
        assertNull(policy.refusal(URI.create("https://[fd00:0:0::1]/jwks")), "IPv6 compared in one form");
        assertTrue(policy.refusal(URI.create("https://other.internal/jwks")) == null, "a public-looking name passes the URL rule");
        assertTrue(policy.refusal(URI.create("http://other.internal/jwks")) != null, "but not over http");
        assertEquals(Set.of("keys.internal", "127.0.0.1:8080", "[fd00:0:0:0:0:0:0:1]:443"), policy.allowedHosts());
    }

    @Test
    void theOperatorPolicyAllowsAnyAddressAndHttp() {
        assertNull(AddressPolicy.OPERATOR_URLS.refusal(URI.create("http://127.0.0.1:8080/jwks")));
        assertNull(AddressPolicy.OPERATOR_URLS.refusal(URI.create("https://10.0.0.1/jwks")));
        assertTrue(AddressPolicy.OPERATOR_URLS.refusal(URI.create("ftp://10.0.0.1/jwks")) != null);
    }

    @Test
    void theAllowListSettingIsSplitOnSpacesAndCommasAndChecked() {
        assertEquals(List.of("keys.internal", "10.0.0.5:8443", "[fd00::1]:443"),
                AddressPolicy.parseAllowedHosts(" keys.internal, 10.0.0.5:8443  [fd00::1]:443,keys.internal "));
        assertEquals(List.of(), AddressPolicy.parseAllowedHosts(" "));
        for (String bad : List.of("http://keys.internal", "keys.internal:0", "keys.internal:65536", "keys.internal:x", "[fd00::1", "127.1",
                "under_score.internal", "keys.internal/jwks", ":443")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressPolicy.parseAllowedHosts(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
