package clavis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import clavis.json.Json;
import clavis.jwt.Base64Url;
import clavis.oauth.ClientAssertions;
import clavis.oauth.ClientCredentials;
import clavis.oauth.OAuthError;
import clavis.oauth.OAuthException;

/** Which one client authentication method a request uses (RFC 6749 section 2.3, RFC 7521 section 4.2, RFC 8705). */
class ClientCredentialsParserTest {
    private static final String ENDPOINT = "https://as.example/token";
    /** A self-signed P-256 certificate (a test resource): the parser only sees that a chain is there. */
    private static final X509Certificate[] CHAIN = {certificate()};

    private static X509Certificate certificate() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(ClientCredentialsParserTest.class.getResourceAsStream("/clavis/unit-test-client.pem"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    /** Form parameters from name, value pairs. */
    private static Map<String, String> form(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    /** A compact JWS with these claims; unsigned in effect, as the parser never verifies. */
    private static String jws(Map<String, Object> claims) {
        return Base64Url.encode(Json.write(Map.of("alg", "ES256"))) + "." + Base64Url.encode(Json.write(claims)) + ".c2ln";
    }

    private static Map<String, String> assertionForm(String assertion, String... more) {
        Map<String, String> m = form(more);
        m.put("client_assertion_type", ClientAssertions.JWT_BEARER);
        m.put("client_assertion", assertion);
        return m;
    }

    private static ClientCredentials parse(String authorization, Map<String, String> params, X509Certificate[] chain) {
        return ClientCredentialsParser.parse(authorization, params, chain, ENDPOINT);
    }

    private static void assertRefused(OAuthError error, String authorization, Map<String, String> params, X509Certificate[] chain) {
        OAuthException e = assertThrows(OAuthException.class, () -> parse(authorization, params, chain), authorization + " " + params);
        assertEquals(error, e.error(), e.description());
    }

    private static <T> T assertInstance(Class<T> type, Object value) {
        assertTrue(type.isInstance(value), String.valueOf(value));
        return type.cast(value);
    }

    @Test
    void basicAloneIsClientSecretBasic() {
        assertEquals(new ClientCredentials.Basic("c1", "s3cret"), parse(basic("c1:s3cret"), form(), null));
        assertEquals(new ClientCredentials.Basic("c1", "s3cret"), parse(basic("c1:s3cret"), form("client_id", "c1"), null),
                "a client_id that names the same client is allowed (RFC 6749 section 2.3.1)");
        assertEquals(new ClientCredentials.Basic("c1", "s3cret"), parse(basic("c1:s3cret"), form(), CHAIN),
                "a TLS certificate alongside is for binding, not a second method");
    }

    @Test
    void basicIdAndSecretAreFormUrlDecoded() {
        assertEquals(new ClientCredentials.Basic("my client", "a+b c:d"), parse(basic("my+client:a%2Bb+c%3Ad"), form(), null));
        assertEquals(new ClientCredentials.Basic("a:b", "é"), parse(basic("a%3Ab:%C3%A9"), form(), null), "an escaped colon is data");
        assertEquals(new ClientCredentials.Basic("id", "se:cr:et"), parse(basic("id:se:cr:et"), form(), null), "the first colon splits");
        assertEquals(new ClientCredentials.Basic("id", ""), parse(basic("id:"), form(), null), "an empty secret is a wrong one, later");
        assertEquals(new ClientCredentials.Basic("my client", "x"), parse(basic("my%20client:x"), form("client_id", "my client"), null),
                "the form's client_id is compared with the decoded id");
    }

    @Test
    void theSchemeIsCaselessAndPaddingOptional() {
        String b64 = Base64.getEncoder().withoutPadding().encodeToString("c1:s".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ClientCredentials.Basic("c1", "s"), parse("basic " + b64, form(), null));
        assertEquals(new ClientCredentials.Basic("c1", "s"), parse("BASIC  " + b64 + " ", form(), null));
    }

    @Test
    void malformedBasicHeadersAreInvalidRequest() {
        for (String header : List.of("Basic !!!", "Basic Zm9v", basic(":secret"), basic("%zz:secret"), basic("id:%C3%28"), "Basic ",
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, '(', ':', 'x'}))) {
            assertRefused(OAuthError.INVALID_REQUEST, header, form(), null);
        }
    }

    @Test
    void anotherSchemeIsInvalidClient() {
        for (String header : List.of("Bearer abc", "Basic", "Digest username=\"c1\"", "", "Basicc1:s")) {
            assertRefused(OAuthError.INVALID_CLIENT, header, form(), null);
        }
    }

    @Test
    void clientIdAndSecretInTheFormAreClientSecretPost() {
        assertEquals(new ClientCredentials.Post("c1", "s"), parse(null, form("client_id", "c1", "client_secret", "s"), null));
        assertEquals(new ClientCredentials.Post("c1", "s"), parse(null, form("client_id", "c1", "client_secret", "s"), CHAIN));
    }

    @Test
    void aClientIdWithACertificateIsCertificateAuthentication() {
        ClientCredentials c = parse(null, form("client_id", "c1"), CHAIN);
        ClientCredentials.Certificate certificate = assertInstance(ClientCredentials.Certificate.class, c);
        assertEquals("c1", certificate.clientId());
        assertSame(CHAIN, certificate.chain());
    }

    @Test
    void anAssertionNamesItsClientBySub() {
        String assertion = jws(Map.of("iss", "c1", "sub", "c1"));
        ClientCredentials.Assertion a = assertInstance(ClientCredentials.Assertion.class, parse(null, assertionForm(assertion), null));
        assertEquals("c1", a.clientId());
        assertEquals("c1", a.assertion().string("sub"));
        assertEquals(ENDPOINT, a.endpointUrl());
        assertEquals("c1", parse(null, assertionForm(assertion, "client_id", "c1"), null).clientId(), "a matching client_id");
        assertEquals("c1", parse(null, assertionForm(assertion), CHAIN).clientId(), "a certificate alongside");
    }

    @Test
    void anAssertionThatIsNoJwsIsLeftForTheAuthenticatorToRefuse() {
        ClientCredentials.Assertion a = assertInstance(ClientCredentials.Assertion.class, parse(null, assertionForm("not-a-jwt"), null));
        assertNull(a.assertion());
        assertEquals("", a.clientId());
        assertEquals("c1", parse(null, assertionForm("not-a-jwt", "client_id", "c1"), null).clientId(), "named by client_id");
        assertNull(((ClientCredentials.Assertion) parse(null, assertionForm("x".repeat(ClientAssertions.MAX_LENGTH + 1)), null)).assertion(),
                "over the length cap");
        assertEquals("c1", parse(null, assertionForm(jws(Map.of("iss", "c1")), "client_id", "c1"), null).clientId(), "no sub");
    }

    @Test
    void twoMethodsInOneRequestAreInvalidRequest() {
        String assertion = jws(Map.of("sub", "c1"));
        assertRefused(OAuthError.INVALID_REQUEST, basic("c1:s"), form("client_id", "c1", "client_secret", "s"), null);
        assertRefused(OAuthError.INVALID_REQUEST, basic("c1:s"), form("client_secret", "s"), null);
        assertRefused(OAuthError.INVALID_REQUEST, basic("c1:s"), assertionForm(assertion), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, assertionForm(assertion, "client_secret", "s"), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, assertionForm(assertion, "client_id", "c1", "client_secret", "s"), null);
    }

    @Test
    void aClientIdNamingAnotherClientIsInvalidRequest() {
        assertRefused(OAuthError.INVALID_REQUEST, basic("c1:s"), form("client_id", "c2"), null);
        assertRefused(OAuthError.INVALID_REQUEST, basic("my%20client:s"), form("client_id", "my%20client"), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, assertionForm(jws(Map.of("iss", "c1", "sub", "c1")), "client_id", "c2"), null);
    }

    @Test
    void aSecretWithoutAClientIdIsInvalidRequest() {
        assertRefused(OAuthError.INVALID_REQUEST, null, form("client_secret", "s"), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, form("client_secret", "s"), CHAIN);
    }

    @Test
    void noMethodIsInvalidClient() {
        assertRefused(OAuthError.INVALID_CLIENT, null, form(), null);
        assertRefused(OAuthError.INVALID_CLIENT, null, form("client_id", "c1"), null);
        assertRefused(OAuthError.INVALID_CLIENT, null, form("client_id", "c1"), new X509Certificate[0]);
        assertRefused(OAuthError.INVALID_CLIENT, null, form(), CHAIN);
    }

    @Test
    void anAssertionNeedsItsTypeAndItsValue() {
        Map<String, String> noType = form("client_assertion", jws(Map.of("sub", "c1")));
        assertRefused(OAuthError.INVALID_CLIENT, null, noType, null);
        assertRefused(OAuthError.INVALID_CLIENT, null, form("client_assertion_type", "urn:example:saml", "client_assertion", "x"), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, form("client_assertion_type", ClientAssertions.JWT_BEARER), null);
        assertRefused(OAuthError.INVALID_REQUEST, null, form("client_assertion_type", ClientAssertions.JWT_BEARER, "client_id", "c1"), null);
    }

    /** What the Router parses is what decides the method: an escaped parameter name is the name it decodes to. */
    @Test
    void anEscapedAssertionParameterIsAnAssertion() {
        String body = "grant_type=client_credentials&client%5Fassertion%5Ftype=" + ClientAssertions.JWT_BEARER.replace(":", "%3A")
                + "&client%5Fassertion=" + jws(Map.of("sub", "c1"));
        ClientCredentials c = parse(null, Form.parse(body.getBytes(StandardCharsets.US_ASCII)).values(), null);
        assertEquals("c1", assertInstance(ClientCredentials.Assertion.class, c).clientId());
        assertRefused(OAuthError.INVALID_REQUEST, basic("c1:s"), Form.parse(body.getBytes(StandardCharsets.US_ASCII)).values(), null);
    }
}
