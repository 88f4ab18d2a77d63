package clavis.oauth;

import java.time.Clock;
import java.util.Optional;

/**
 * Authenticates a client before any grant logic runs, by the one method the request used: a secret (RFC 6749
 * section 2.3.1), a signed assertion (RFC 7523) or a TLS client certificate (RFC 8705). The method must be the
 * client's registered one and turned on for the authorization server. Every failure is the same
 * {@code invalid_client}, and an unknown client still costs one hash comparison, so the answer tells an attacker
 * nothing; the reason goes to the metrics only. Repeated failures are throttled per client_id and address, and per
 * address ({@link FailureThrottle}).
 */
public final class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";
    private static final String WRONG_METHOD = "wrong_method";

    private final ClientRepository clients;
    private final Secrets secrets;
    private final ClientAssertions assertions;
    private final ClientCertificates certificates;
    private final FailureThrottle throttle;
    private final Events events;
    private final Audit audit;
    private final Clock clock;

    public ClientAuthenticator(ClientRepository clients, Secrets secrets, ClientAssertions assertions, ClientCertificates certificates,
                               FailureThrottle throttle, Events events, Audit audit, Clock clock) {
        this.audit = audit;
        this.clients = clients;
        this.secrets = secrets;
        this.assertions = assertions;
        this.certificates = certificates;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
    }

    /** The authenticated client; {@code invalid_client} on any failure, 429 while throttled. */
    public Client authenticate(AuthorizationServer as, ClientCredentials credentials, String address) {
        FailureThrottle.Ticket ticket;
        try {
            ticket = throttle.check(as.id(), credentials.clientId(), address);
        } catch (OAuthException e) {
            events.throttled(as.id());
            throw e;
        }
        try (ticket) {
            Optional<Client> found = clients.find(as.id(), credentials.clientId());
            String failure = failure(as, found, credentials);
            if (failure == null) return found.get();
            if (!rightSecretByAnotherMethod(credentials, failure) && ticket.failed()) {
                audit.record(Audit.Event.THROTTLING_STARTED, as.id(), Actor.unauthenticated(address), "client_id", credentials.clientId(),
                        "reason", "failed_client_authentication");
            }
            events.authenticationFailed(as.id(), failure);
            throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED);
        }
    }

    /** Why authentication fails, or null when it succeeds. */
    private String failure(AuthorizationServer as, Optional<Client> found, ClientCredentials credentials) {
        if (credentials instanceof ClientCredentials.Basic basic) {
            return secretFailure(as, found, basic.secret(), AuthMethod.CLIENT_SECRET_BASIC);
        }
        if (credentials instanceof ClientCredentials.Post post) {
            return secretFailure(as, found, post.secret(), AuthMethod.CLIENT_SECRET_POST);
        }
        if (credentials instanceof ClientCredentials.Assertion a && a.assertion() == null) return "malformed_assertion";
        if (found.isEmpty()) return "unknown_client";
        Client client = found.get();
        if (!as.clientPolicy().allows(client.authMethod())) return WRONG_METHOD;
        if (credentials instanceof ClientCredentials.Assertion a) {
            if (client.authMethod() != AuthMethod.PRIVATE_KEY_JWT) return WRONG_METHOD;
            return assertions.failure(as, client, a.assertion(), a.endpointUrl());
        }
        return certificates.failure(client, ((ClientCredentials.Certificate) credentials).chain());
    }

    /**
     * Whether the client sent its right secret, only by a method it may not use. That guesses nothing, so the
     * throttle does not count it: Go's golang.org/x/oauth2 (its default, AuthStyleAutoDetect) sends the secret by
     * Basic first and then in the body, once in every process, and a client_secret_post client started more than
     * {@code throttle.client-failures} times a minute from one address was otherwise held back with its right
     * secret. A secret method fails with wrong_method only once the secret has matched ({@link #secretFailure}).
     */
    private static boolean rightSecretByAnotherMethod(ClientCredentials credentials, String failure) {
        return failure.equals(WRONG_METHOD) && (credentials instanceof ClientCredentials.Basic || credentials instanceof ClientCredentials.Post);
    }

    /**
     * The hashes are compared even for an unknown client, and the previous secret's even when there is none, so that
     * every case costs the same; the method is judged last. A secret replaced by a rotation with a grace period
     * ({@link Client#previousSecretHash}) works until the period ends.
     */
    private String secretFailure(AuthorizationServer as, Optional<Client> found, String secret, AuthMethod method) {
        String decoy = secrets.decoyHash();
        String current = found.map(Client::secretHash).orElse(decoy);
        String previous = found.map(Client::previousSecretHash).filter(h -> !h.isEmpty()).orElse(decoy);
        int matched = Secrets.whichMatches(secret, current, previous);
        if (found.isEmpty()) return "unknown_client";
        if (matched == 0) return "wrong_secret";
        Client client = found.get();
        if (client.authMethod() != method || !as.clientPolicy().allows(method)) return WRONG_METHOD;
        long now = clock.instant().getEpochSecond();
        if (matched == 2) return client.previousSecretValidAt(now) ? null : "expired_secret";
        long expiresAt = client.secretExpiresAt();
        if (expiresAt != 0 && now >= expiresAt) return "expired_secret";
        return null;
    }
}
