package clavis.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import clavis.Clavis;

/** docs/use-in-tests.md, "Dev mode": no client to register, no authorization server to configure. */
class DevModeExampleTest {
    @RegisterExtension
    static ClavisExtension clavis = ClavisExtension.builder().devMode().build();

    @Test
    void anyClientGetsATokenFromAnyAuthorizationServer(Clavis server) {
        HttpResponse<String> token = Http.postForm(server.tokenEndpoint("payments"), "checkout-service", "any-secret",
                "grant_type=client_credentials&scope=payments:write");
        assertEquals(200, token.statusCode(), token.body());
        assertEquals("payments:write", Http.json(token).get("scope"));

        HttpResponse<String> custom = Http.postJson(server.issuer("payments") + "/dev/token", "{\"sub\":\"alice\",\"roles\":[\"admin\"]}");
        assertEquals(200, custom.statusCode(), custom.body());
    }
}
