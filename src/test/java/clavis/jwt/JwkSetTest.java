package clavis.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import clavis.json.Json;

/** A JWK Set keeps the JSON it was given as it was then: the memory store keeps it as registered, as a database would. */
class JwkSetTest {
    private static Map<String, Object> ed25519() throws Exception {
        byte[] encoded = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", Base64Url.encode(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
        jwk.put("use", "sig");
        jwk.put("x5c", new ArrayList<>(List.of("a", "b")));
        return jwk;
    }

    private static Map<String, Object> set(Object keys) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", keys);
        return set;
    }

    @Test
    void theSetIsCopiedWholeSoThatChangingTheCallersMapsChangesNothing() throws Exception {
        Map<String, Object> jwk = ed25519();
        List<Object> keys = new ArrayList<>(List.of(jwk));
        Map<String, Object> given = set(keys);
        JwkSet set = JwkSet.strict(given);
        String before = Json.writeString(set.json());

        jwk.put("use", "enc");
        ((List<Object>) jwk.get("x5c")).add("c");
        keys.add(Map.of("kty", "oct"));
        given.put("extra", true);
        assertEquals(before, Json.writeString(set.json()), "the set as it was given, not as the caller's maps are now");
        assertEquals(1, set.keys().size());
        List<?> stored = (List<?>) set.json().get("keys");
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) stored).add("more"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) stored.get(0)).put("use", "enc"));
    }

    @Test
    void whatIsNotJsonIsRefused() throws Exception {
        Map<String, Object> jwk = ed25519();
        jwk.put("x5c", List.of(new Object()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JwkSet.strict(set(List.of(jwk))));
        assertTrue(e.getMessage().contains("JSON values only"), e.getMessage());

        Map<Object, Object> numberedNames = new LinkedHashMap<>(ed25519());
        numberedNames.put(7, "seven");
        e = assertThrows(IllegalArgumentException.class, () -> JwkSet.strict(set(List.of(numberedNames))));
        assertTrue(e.getMessage().contains("string member names"), e.getMessage());

        Object deep = "bottom";
        for (int i = 0; i < JwkSet.MAX_DEPTH; i++) deep = List.of(deep);
        Map<String, Object> nested = ed25519();
        nested.put("x5c", deep);
        e = assertThrows(IllegalArgumentException.class, () -> JwkSet.strict(set(List.of(nested))));
        assertTrue(e.getMessage().contains("nested at most"), e.getMessage());
    }
}
