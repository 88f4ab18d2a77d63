package clavis.oauth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Who may call the admin API: a request with an access token of the admin authorization server, checked as
 * introspection checks it (signature, issuer, expiry, revocation, its client still registered), meant for that
 * server's default audience, whose scope holds the admin scope, and with the proof its binding needs: for a
 * {@code cnf.jkt} token the {@code DPoP} scheme and a proof of this request by that key (RFC 9449 section 7), for a
 * {@code cnf["x5t#S256"]} token the TLS client certificate it names (RFC 8705 section 3). Each refusal is audited
 * and counted by the failure throttle like a failed client authentication, so one address cannot flood the trail.
 */
public final class AdminAccess {
    /** The throttle's client key for admin calls: a space is in no client_id, so it stands for no client. */
    static final String THROTTLE_KEY = " admin-api";

    private final AuthorizationServer as;
    private final String scope;
    private final AccessTokenValidator validator;
    private final DpopProofs dpop;
    private final FailureThrottle throttle;
    private final Events events;
    private final Audit audit;

    /**
     * What a request presents.
     *
     * @param authorization the Authorization header, or null
     * @param dpopHeaders the DPoP header values
     * @param url the URL as the client addressed it (the base URL and the path)
     * @param chain the client's certificate chain (TLS, or forwarded by a trusted proxy), or null
     * @param address the client address
     */
    public record Call(String authorization, List<String> dpopHeaders, String method, String url, String path, X509Certificate[] chain,
                       String address) {
    }

    public AdminAccess(AuthorizationServer as, String scope, AccessTokenValidator validator, DpopProofs dpop, FailureThrottle throttle,
                       Events events, Audit audit) {
        this.as = as;
        this.scope = scope;
        this.validator = validator;
        this.dpop = dpop;
        this.throttle = throttle;
        this.events = events;
        this.audit = audit;
    }

    /**
     * The client_id of the admin making {@code call}; otherwise 401 {@code invalid_token} (no, bad or unusable token),
     * 401 {@code invalid_dpop_proof}, 403 {@code insufficient_scope}, or 429 while the address is throttled.
     */
    public String authorize(Call call) {
        FailureThrottle.Ticket ticket;
        try {
            ticket = throttle.check(as.id(), THROTTLE_KEY, call.address());
        } catch (OAuthException e) {
            events.throttled(as.id());
            throw e;
        }
        try (ticket) {
            String[] clientId = new String[1];
            try {
                return check(call, clientId);
            } catch (OAuthException e) {
                boolean started = ticket.failed();
                Actor actor = clientId[0] == null ? Actor.unauthenticated(call.address()) : Actor.admin(clientId[0], call.address());
                audit.record(Audit.Event.ADMIN_CALL_REFUSED, as.id(), actor, "method", call.method(), "path", call.path(),
                        "reason", e.error().code());
                if (started) audit.record(Audit.Event.THROTTLING_STARTED, as.id(), actor, "reason", "admin_call_refused");
                throw e;
            }
        }
    }

    /** @param clientId receives the token's client_id once the token is known to be valid */
    private String check(Call call, String[] clientId) {
        String authorization = call.authorization();
        if (authorization == null) throw invalidToken("an access token is required: Authorization: Bearer <token> (or DPoP <token>)");
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String token = space < 0 ? "" : authorization.substring(space + 1).trim();
        boolean dpopScheme = scheme.equalsIgnoreCase("DPoP");
        if (!dpopScheme && !scheme.equalsIgnoreCase("Bearer")) throw invalidToken("use the Bearer or DPoP authorization scheme");
        if (token.isEmpty()) throw invalidToken("the access token is missing");
        Map<String, Object> claims = validator.active(as, token).filter(this::forThisServer).orElseThrow(() -> invalidToken(
                "the access token is not valid here: not issued by " + as.issuer() + ", expired, revoked, or its client is deleted"));
        clientId[0] = (String) claims.get("client_id");
        Map<?, ?> cnf = claims.get("cnf") instanceof Map<?, ?> m ? m : Map.of();
        if (cnf.get("jkt") instanceof String jkt) {
            if (!dpopScheme) throw invalidToken("this access token is bound to a DPoP key: send it as Authorization: DPoP, with a DPoP proof");
            String thumbprint;
            try {
                thumbprint = dpop.verifyForResource(as, call.dpopHeaders(), call.method(), call.url(), token);
            } catch (OAuthException e) {
                throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, 401, e.description());
            }
            if (!thumbprint.equals(jkt)) throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, 401, "the DPoP proof is not signed by the token's key");
        } else if (dpopScheme) {
            throw invalidToken("this access token is not bound to a DPoP key: send it as Authorization: Bearer");
        }
        if (cnf.get("x5t#S256") instanceof String x5t) {
            X509Certificate[] chain = call.chain();
            if (chain == null || chain.length == 0 || !x5t.equals(ClientCertificates.thumbprint(chain[0]))) {
                throw invalidToken("this access token is bound to a TLS client certificate the request does not present");
            }
        }
        if (!(claims.get("scope") instanceof String granted) || !Scope.parse(granted, OAuthError.INSUFFICIENT_SCOPE).tokens().contains(scope)) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "the access token's scope does not hold " + scope);
        }
        return clientId[0];
    }

    /** Whether the token is meant for the server itself (its default audience), not for one of its APIs (RFC 8707). */
    private boolean forThisServer(Map<String, Object> claims) {
        Object aud = claims.get("aud");
        String audience = as.tokenPolicy().audience();
        return audience.equals(aud) || (aud instanceof List<?> list && list.contains(audience));
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(OAuthError.INVALID_TOKEN, description);
    }
}
