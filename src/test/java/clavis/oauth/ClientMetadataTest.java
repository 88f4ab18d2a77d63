package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import clavis.json.Json;
import clavis.jwt.SigningAlgorithm;

/** Client metadata as one value: parse and toJson side by side, each refusal with its error code. */
class ClientMetadataTest {
    private static final String ED25519 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"1\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";

    private static Map<String, Object> json(String text) {
        try {
            return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }

    private static OAuthException refused(String request) {
        return assertThrows(OAuthException.class, () -> ClientMetadata.parse(json(request)));
    }

    @Test
    void theReferenceScenarioRoundTripsInTheOrderOfItsAnswer() {
        String seed = "{\"client_name\":\"Sample Client\",\"client_uri\":\"https://test-client.airlock.com\",\"scope\":\"strong client-scope\","
                + "\"token_endpoint_auth_method\":\"client_secret_basic\",\"redirect_uris\":[\"https://sample-client.airlock.com/redirectUri\"],"
                + "\"response_types\":[\"code\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"contacts\":[\"Peter Sample\"]}";
        ClientMetadata m = ClientMetadata.parse(json(seed));
        assertEquals(json(seed), m.toJson());
        assertEquals(List.copyOf(json(seed).keySet()), List.copyOf(m.toJson().keySet()), "members in the seed answer's order");
        assertEquals("Sample Client", m.clientName().plain());
        assertEquals(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), m.grantTypes());
        assertEquals(AuthMethod.CLIENT_SECRET_BASIC, m.tokenEndpointAuthMethod());
    }

    @Test
    void everyFieldSurvivesParseToJsonAndTheStore() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("client_name", "Billing");
        request.put("client_name#de", "Abrechnung");
        request.put("client_uri", "https://billing.example");
        request.put("logo_uri", "https://billing.example/logo.png");
        request.put("scope", "a b");
        request.put("token_endpoint_auth_method", "private_key_jwt");
        request.put("token_endpoint_auth_signing_alg", "EdDSA");
        request.put("grant_types", List.of("client_credentials"));
        request.put("contacts", List.of("ops@billing.example"));
        request.put("tos_uri", "https://billing.example/tos");
        request.put("policy_uri#fr", "https://billing.example/politique");
        request.put("jwks", json("{\"keys\":[" + ED25519 + "]}"));
        request.put("software_id", "billing");
        request.put("software_version", "2.1");
        request.put("dpop_bound_access_tokens", true);
        request.put("tls_client_certificate_bound_access_tokens", false);
        ClientMetadata m = ClientMetadata.parse(request);
        Map<String, Object> written = m.toJson();
        assertEquals(request, written, "what was registered is what is echoed");
        assertEquals(written, ClientMetadata.parse(written).toJson());
        assertEquals(written, ClientMetadata.fromStored(json(Json.writeString(written))).toJson(), "and what is stored reads back the same");
        assertEquals(SigningAlgorithm.EdDSA, m.tokenEndpointAuthSigningAlg());
        assertEquals(1, m.jwks().keys().size());
        assertEquals("Abrechnung", m.clientName().byTag().get("de"));
        assertTrue(m.dpopBound());
        assertFalse(m.certificateBound());
    }

    @Test
    void unknownMetadataIsDroppedAndDefaultsAreFilledIn() {
        ClientMetadata m = ClientMetadata.parse(json("{\"client_name\":\"x\",\"favourite_colour\":\"blue\",\"client_name#\":\"y\","
                + "\"contacts#en\":[\"z\"],\"scope\":\"  \",\"response_types\":null}"));
        assertEquals(Map.of("client_name", "x", "token_endpoint_auth_method", "client_secret_basic", "grant_types", List.of("client_credentials")),
                m.toJson());
        assertNull(m.scope(), "a blank scope is none: the policy's default applies");
        assertTrue(m.usesSecret());
    }

    @Test
    void aCertificateSubjectIsOneOfItsFields() {
        ClientMetadata m = ClientMetadata.parse(json("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_dns\":\"billing.example\"}"));
        assertEquals(new ClientMetadata.CertificateSubject("tls_client_auth_san_dns", "billing.example"), m.certificateSubject());
        assertEquals("invalid_client_metadata", refused("{\"token_endpoint_auth_method\":\"tls_client_auth\"}").error().code());
        assertEquals("invalid_client_metadata", refused("{\"token_endpoint_auth_method\":\"tls_client_auth\","
                + "\"tls_client_auth_san_dns\":\"a.example\",\"tls_client_auth_san_uri\":\"https://a.example\"}").error().code());
        assertEquals("invalid_client_metadata", refused("{\"token_endpoint_auth_method\":\"tls_client_auth\","
                + "\"tls_client_auth_subject_dn\":\"not a dn =,\"}").error().code());
    }

    @Test
    void badFieldsAreRefusedWithTheirErrorCode() {
        assertEquals("invalid_redirect_uri", refused("{\"redirect_uris\":[\"/relative\"]}").error().code());
        assertEquals("invalid_redirect_uri", refused("{\"redirect_uris\":[\"https://a.example/#f\"]}").error().code());
        assertEquals("invalid_redirect_uri", refused("{\"redirect_uris\":\"https://a.example\"}").error().code());
        for (String bad : List.of("{\"token_endpoint_auth_method\":\"client_secret_jwt\"}", "{\"token_endpoint_auth_method\":7}",
                "{\"grant_types\":[\"password\"]}", "{\"response_types\":[\"token\"]}", "{\"scope\":\"a\\\\b\"}",
                "{\"client_name\":[\"x\"]}", "{\"client_uri\":\"http://example.com\"}", "{\"logo_uri#en\":\"ftp://x\"}",
                "{\"contacts\":[1]}", "{\"token_endpoint_auth_signing_alg\":\"HS256\"}", "{\"dpop_bound_access_tokens\":\"yes\"}",
                "{\"software_statement\":7}", "{\"token_endpoint_auth_method\":\"private_key_jwt\"}",
                "{\"jwks\":{\"keys\":[]}}", "{\"jwks\":{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}}",
                "{\"jwks\":{\"keys\":[" + ED25519 + "]},\"jwks_uri\":\"https://a.example/jwks\"}",
                "{\"jwks_uri\":\"https://127.0.0.1/jwks\"}", "{\"client_name\":\"" + "x".repeat(2049) + "\"}")) {
            assertEquals("invalid_client_metadata", refused(bad).error().code(), bad);
        }
    }

    @Test
    void theTokenPathKeepsNothingMeantForPeople() {
        ClientMetadata m = ClientMetadata.parse(json("{\"client_name\":\"x\",\"client_name#en\":\"y\",\"client_uri\":\"https://a.example\","
                + "\"redirect_uris\":[\"https://a.example/cb\"],\"contacts\":[\"c\"],\"software_version\":\"1\",\"scope\":\"a\","
                + "\"dpop_bound_access_tokens\":true}"));
        assertEquals(Map.of("scope", "a", "token_endpoint_auth_method", "client_secret_basic", "grant_types", List.of("client_credentials"),
                "dpop_bound_access_tokens", true), m.forTokenPath().toJson());
    }
}
