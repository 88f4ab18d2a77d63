package clavis.oauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What a client assertion's header may say it is (RFC 8725 section 3.11, RFC 7515 section 4.1.9). */
class ClientAssertionsTest {
    @Test
    void anAssertionIsUntypedOrTypedAsAJwtOrAClientAssertion() {
        for (String typ : List.of("JWT", "jwt", "application/jwt", "client-authentication+jwt", "Client-Authentication+JWT",
                "application/client-authentication+jwt", "APPLICATION/JWT")) {
            assertTrue(ClientAssertions.acceptedType(typ), typ);
        }
        assertTrue(ClientAssertions.acceptedType(null), "no typ");
    }

    @Test
    void otherTypesAreRefused() {
        for (Object typ : List.of("dpop+jwt", "at+jwt", "application/at+jwt", "JOSE", "secevent+jwt", "", "text/jwt",
                "application/application/jwt", "jwt ", 1, List.of("JWT"))) {
            assertFalse(ClientAssertions.acceptedType(typ), String.valueOf(typ));
        }
    }
}
