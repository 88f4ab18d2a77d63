package clavis.http;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import clavis.oauth.AuthorizationServer;
import clavis.oauth.Client;
import clavis.oauth.ClientAuthenticator;
import clavis.oauth.ClientCredentials;
import clavis.oauth.DevClients;
import clavis.oauth.OAuthException;

/**
 * The shared step of the token, introspection and revocation endpoints, whose form the Router has parsed: client
 * authentication by exactly one method, before anything else the endpoint does.
 */
final class AuthenticatedForm {
    private AuthenticatedForm() {
    }

    /**
     * The client that authenticated the request; a refusal is noted as being for the client it claimed to be.
     *
     * @param endpointUrl the URL of the endpoint called, which a client assertion may name as its audience
     */
    static Client client(Request request, AuthorizationServer as, ClientAuthenticator authenticator, String endpointUrl) {
        return client(request, as, authenticator, endpointUrl, null);
    }

    /** As above; in dev mode ({@code devClients} not null) an unregistered client_id with a secret gets a stand-in. */
    static Client client(Request request, AuthorizationServer as, ClientAuthenticator authenticator, String endpointUrl, DevClients devClients) {
        ClientCredentials credentials = ClientCredentialsParser.parse(request.header("authorization"), request.form(),
                request.clientCertificates(), endpointUrl);
        if (devClients != null) {
            try {
                Optional<Client> standIn = devClients.standIn(as, credentials, request.form().get("scope"), request.formValues("resource"));
                if (standIn.isPresent()) return standIn.get();
            } catch (OAuthException e) {
                throw e.about(credentials.clientId());
            }
        }
        try {
            return authenticator.authenticate(as, credentials, request.remoteAddress());
        } catch (OAuthException e) {
            throw e.about(credentials.clientId());
        }
    }

    /** What an authenticated client's request comes to: its response, or its refusal, noted as the client's. */
    static Response forClient(Client client, Supplier<Response> work) {
        try {
            return work.get().forClient(client.clientId());
        } catch (OAuthException e) {
            throw e.about(client.clientId());
        }
    }

    /** Whether the request tries to authenticate a client at all: an Authorization header, or client parameters. */
    static boolean hasCredentials(Request request) {
        Map<String, String> f = request.form();
        return request.header("authorization") != null || f.containsKey("client_id") || f.containsKey("client_secret")
                || f.containsKey("client_assertion") || f.containsKey("client_assertion_type");
    }

    /** Whether the form carries a client assertion, whose jti authentication stores: a commit to wait for. */
    static boolean carriesAssertion(Request request) {
        return request.form().containsKey("client_assertion");
    }
}
