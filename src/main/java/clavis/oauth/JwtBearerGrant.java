package clavis.oauth;

import java.time.Clock;
import java.util.List;

import clavis.jwt.Jws;
import clavis.jwt.JwtTimes;

/**
 * The JWT bearer grant (RFC 7523 sections 2.1 and 3): a workload that holds a signed identity (a Kubernetes service
 * account token, a CI system's OIDC token) trades it for an access token, without a shared secret. The JWT must come
 * from an issuer the server trusts for this grant, name this server in {@code aud}, be within its time window and
 * lifetime, and be about a subject that issuer may speak for. Every refusal is {@code invalid_grant} (section 3.1), with
 * a description that names no secret.
 */
public final class JwtBearerGrant {
    /** Longer than the identity tokens of the usual issuers (Kubernetes, GitHub, GitLab). */
    static final int MAX_ASSERTION_LENGTH = 16 * 1024;

    private final ClientKeys keys;
    private final UsedJtiRepository usedJtis;
    private final TokenService tokens;
    private final Clock clock;

    /** @param keys fetches trusted issuers' JWK Sets (operators' URLs: internal hosts allowed) */
    public JwtBearerGrant(ClientKeys keys, UsedJtiRepository usedJtis, TokenService tokens, Clock clock) {
        this.keys = keys;
        this.usedJtis = usedJtis;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The trusted issuer of the assertion, or {@code invalid_grant}. */
    private static TrustedIssuer issuer(AuthorizationServer as, Jws jws) {
        for (TrustedIssuer t : as.delegation().bearerIssuers()) if (t.issuer().equals(jws.string("iss"))) return t;
        throw invalidGrant("the assertion is not from an issuer trusted for this grant");
    }

    /**
     * @param client the authenticated client, or null for an anonymous request (then the issuer must allow it)
     * @param confirmation the new token's binding (a DPoP proof the request presented), empty for a Bearer token
     */
    public TokenResponse grant(AuthorizationServer as, Client client, String assertion, String scope, List<String> resources,
                               java.util.Map<String, Object> confirmation) {
        if (as.delegation().bearerIssuers().isEmpty()) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "no issuer is trusted for the JWT bearer grant here");
        }
        TokenService.checkGrant(as, client, GrantType.JWT_BEARER);
        Jws jws = parse(assertion);
        TrustedIssuer trusted = issuer(as, jws);
        if (client == null && !trusted.anonymous()) throw new OAuthException(OAuthError.INVALID_CLIENT, "client authentication required");
        try {
            jws.algorithm();
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the assertion is not signed with a supported algorithm");
        }
        boolean signed = trusted.jwksUri() != null
                ? keys.anyKeyAt(trusted.jwksUri(), key -> ClientAssertions.verifiedBy(key, jws))
                : ClientAssertions.verifiedByAny(trusted.keys(), jws);
        if (!signed) throw invalidGrant("the assertion's signature does not verify");
        if (!namesThisServer(jws.claims().get("aud"), as)) throw invalidGrant("the assertion's aud does not name this authorization server");
        long now = clock.instant().getEpochSecond();
        JwtTimes times;
        try {
            times = JwtTimes.of(jws);
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the assertion's " + e.getMessage());
        }
        if (times.exp() == null) throw invalidGrant("the assertion has no exp");
        if (times.expired(now)) throw invalidGrant("the assertion has expired");
        if (times.notYetValid(now)) throw invalidGrant("the assertion is not valid yet");
        if (times.livesLongerThan(trusted.maxLifetimeSeconds(), now)) {
            throw invalidGrant("the assertion lives longer than " + trusted.maxLifetimeSeconds() + " seconds");
        }
        String subject = jws.string("sub");
        if (subject == null || subject.isEmpty()) throw invalidGrant("the assertion has no sub");
        if (!trusted.trusts(subject)) throw invalidGrant("the assertion's issuer may not speak for this sub");
        if (trusted.singleUse()) {
            String jti = jws.string("jti");
            if (jti == null || jti.isEmpty() || jti.length() > ClientAssertions.MAX_JTI_LENGTH) throw invalidGrant("the assertion has no jti");
            String key = UsedJtiRepository.key("jwt-bearer", as.id() + "/" + trusted.issuer(), jti);
            if (!usedJtis.firstUse(key, times.exp() + JwtTimes.SKEW_SECONDS, now)) throw invalidGrant("the assertion was already used");
        }
        Scope allowed = client == null ? trusted.scopes() : trusted.scopes().intersect(client.scope());
        TokenTarget target = TokenTarget.of(as, allowed, client == null ? "the trusted issuer's scopes" : "the trusted issuer's scopes within the client's", scope, resources);
        if (target.scope().isEmpty()) throw new OAuthException(OAuthError.INVALID_SCOPE, "no scope may be granted for this assertion");
        String clientId = client == null ? trusted.label() : client.clientId();
        ClientTokens settings = client == null ? ClientTokens.NONE : client.tokens();
        return tokens.mint(as, clientId, settings, subject, target, java.util.Map.of(), Long.MAX_VALUE, confirmation);
    }

    /** RFC 7523 section 3: the audience is this server, by its issuer identifier or its token endpoint. */
    private static boolean namesThisServer(Object aud, AuthorizationServer as) {
        List<?> values = aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
        for (Object v : values) if (as.issuer().equals(v) || as.tokenEndpoint().equals(v)) return true;
        return false;
    }

    private static Jws parse(String assertion) {
        try {
            return Jws.parse(assertion, MAX_ASSERTION_LENGTH);
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the assertion is not a JWT");
        }
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }
}
