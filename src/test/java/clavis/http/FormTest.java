package clavis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** Form bodies as RFC 6749 appendix B reads them, values in and values out. */
class FormTest {
    private static Map<String, String> parse(String body) {
        return Form.parse(body.getBytes(StandardCharsets.UTF_8)).values();
    }

    private static OAuthException refused(byte[] body) {
        OAuthException e = assertThrows(OAuthException.class, () -> Form.parse(body), new String(body, StandardCharsets.ISO_8859_1));
        assertEquals(OAuthError.INVALID_REQUEST, e.error(), e.description());
        return e;
    }

    private static OAuthException refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesAndValuesArePercentDecodedInEitherCase() {
        assertEquals(Map.of("grant_type", "client_credentials", "scope", "a/b:c"),
                parse("grant_type=client_credentials&scope=a%2Fb%3ac"));
        assertEquals(Map.of("a=b", "c&d"), parse("a%3Db=c%26d"), "escaped separators are data");
        assertEquals(Map.of("x", "a=b"), parse("x=a=b"), "only the first = separates name and value");
    }

    @Test
    void plusIsASpaceAndAnEscapedPlusIsAPlus() {
        assertEquals(Map.of("scope", "read write", "secret", "a+b", "my name", "x"), parse("scope=read+write&secret=a%2Bb&my+name=x"));
    }

    @Test
    void escapedUtf8AndRawUtf8AreBothText() {
        assertEquals(Map.of("client_name", "Café ☕ 😀"), parse("client_name=Caf%C3%A9+%E2%98%95+%F0%9F%98%80"));
        assertEquals(Map.of("client_name", "Café 😀 ☕"), parse("client_name=Café+😀+%E2%98%95"), "raw and escaped mixed");
        assertEquals(Map.of("client_name", "Café"), parse("client_name=Café"), "raw, nothing to decode");
    }

    @Test
    void malformedUtf8IsRefusedWhetherEscapedOrRaw() {
        for (String escaped : List.of("%C3%28", "%C3", "%E2%82", "%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%80")) {
            refused("scope=" + escaped);
            refused(escaped + "=x");
        }
        refused(new byte[] {'s', '=', (byte) 0xC3, '('});
        refused(new byte[] {'s', '=', (byte) 0xFF});
        refused(new byte[] {(byte) 0xC0, (byte) 0xAF, '=', 'x'});
    }

    @Test
    void malformedEscapesAreRefused() {
        for (String bad : List.of("%", "%4", "%zz", "%4g", "%g4", "%%41", "a%", "a%2", "% 41", "%-1", "%+1",
                "%g0%9F%98%80", "%0g", // the first would make valid UTF-8 if a non-hex digit counted as a nibble
                "%\uFF15F", "%\u0663\u0663", "%\uFF14\uFF11")) { // full-width and Arabic-Indic digits are not hex digits
            OAuthException e = refused("scope=" + bad);
            assertTrue(e.description().contains("x-www-form-urlencoded"), e.description());
            refused(bad + "=x");
        }
    }

    @Test
    void anEmptyValueCountsAsOmitted() {
        assertEquals(Map.of("grant_type", "client_credentials"), parse("grant_type=client_credentials&scope="));
        assertEquals(Map.of("grant_type", "client_credentials"), parse("scope&grant_type=client_credentials"), "a name alone");
        assertEquals(Map.of("scope", "a"), parse("scope=&scope=a&scope"), "an empty repeat is no repeat");
        assertEquals(Map.of(), parse(""));
    }

    @Test
    void emptyPairsAreSkipped() {
        assertEquals(Map.of("a", "1", "b", "2"), parse("&a=1&&b=2&"));
        assertEquals(Map.of(), parse("&&&"));
    }

    @Test
    void aRepeatedParameterIsInvalidRequestNamingAPlainName() {
        OAuthException e = refused("grant_type=client_credentials&scope=a&scope=b");
        assertEquals("a request parameter is repeated: scope", e.description());
        assertEquals("a request parameter is repeated: scope", refused("scope=a&scope=a").description(), "even with the same value");
    }

    @Test
    void aRepeatIsFoundAfterDecodingTheName() {
        assertEquals("a request parameter is repeated: client_id", refused("client_id=a&client%5Fid=b").description());
        assertEquals("a request parameter is repeated: client_id", refused("client_id=a&client%5fid=a").description());
    }

    @Test
    void aRepeatedNameThatIsNotPlainIsNotEchoed() {
        for (String name : List.of("Scope", "x-y", "a%3Cscript%3E", "a+b", "x".repeat(41), "%C3%A9")) {
            assertEquals("a request parameter is repeated", refused(name + "=1&" + name + "=2").description(), name);
        }
        assertEquals("a request parameter is repeated: " + "x".repeat(40), refused("x".repeat(40) + "=1&" + "x".repeat(40) + "=2").description());
    }

    /** The Router picks a request's lane from the parsed form, so an escaped name must mean what it decodes to. */
    @Test
    void anEscapedNameIsTheNameItDecodesTo() {
        Map<String, String> form = parse("client%5Fassertion=x.y.z&client_assertion%5ftype=t");
        assertEquals(Map.of("client_assertion", "x.y.z", "client_assertion_type", "t"), form);
        assertTrue(form.containsKey("client_assertion"));
        assertFalse(form.containsKey("client%5Fassertion"));
    }

    @Test
    void decodeComponentSaysNullForWhatParseRefuses() {
        assertEquals("a b+c", Form.decodeComponent("a+b%2Bc"));
        assertEquals("plain", Form.decodeComponent("plain"));
        assertEquals("é", Form.decodeComponent("%c3%a9"));
        assertNull(Form.decodeComponent("%zz"));
        assertNull(Form.decodeComponent("%C3%28"));
        assertNull(Form.decodeComponent("50%"));
    }
}
