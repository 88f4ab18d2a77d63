package clavis.oauth;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.jwt.Jws;
import clavis.jwt.JwtTimes;

/**
 * Token exchange (RFC 8693): a client that received a token trades it for one to call the next API on behalf of the
 * token's subject, with no more rights than it needs. The subject token is an active access token of this server or
 * a JWT of an issuer trusted for exchange; the new token's {@code sub} is the subject's, its {@code client_id} the
 * exchanging client's, and its {@code act} names who acts (RFC 8693 section 4.1), nested over any earlier actor.
 */
public final class TokenExchange {
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    public static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    /** Longer than any token Clavis signs or accepts from a trusted issuer. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final AccessTokenValidator validator;
    private final TokenService tokens;
    private final Clock clock;

    public TokenExchange(AccessTokenValidator validator, TokenService tokens, Clock clock) {
        this.validator = validator;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * The parameters of an exchange (RFC 8693 section 2.1).
     *
     * @param resources the {@code resource} parameters (API URIs)
     * @param audiences the {@code audience} parameters (API names or URIs)
     * @param requestedTokenType null, or the one type Clavis issues
     */
    public record Request(String subjectToken, String subjectTokenType, String actorToken, String actorTokenType, List<String> resources,
                          List<String> audiences, String scope, String requestedTokenType) {
        public Request {
            resources = List.copyOf(resources);
            audiences = List.copyOf(audiences);
        }
    }

    /** What a subject or actor token says, once checked. */
    private record Party(String subject, Scope scope, Object act, Map<?, ?> cnf, long exp) {
    }

    /**
     * @param confirmation the new token's binding (a DPoP proof the request presented), also the proof a bound
     *                     subject token needs
     * @param chain the TLS client certificate chain of the request, or null
     */
    public TokenResponse exchange(AuthorizationServer as, Client client, Request request, Map<String, Object> confirmation,
                                  X509Certificate[] chain) {
        if (!as.delegation().tokenExchange()) throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "token exchange is not on here");
        TokenService.checkGrant(as, client, GrantType.TOKEN_EXCHANGE);
        if (!client.tokens().tokenExchange()) throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "this client may not exchange tokens");
        if (request.requestedTokenType() != null && !request.requestedTokenType().equals(ACCESS_TOKEN_TYPE)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "requested_token_type may only be " + ACCESS_TOKEN_TYPE);
        }
        Party subject = party(as, request.subjectToken(), request.subjectTokenType(), "subject_token");
        if (request.actorToken() == null && request.actorTokenType() != null) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, "actor_token_type without actor_token");
        }
        Party actor = request.actorToken() == null ? null : party(as, request.actorToken(), request.actorTokenType(), "actor_token");
        presented(subject.cnf(), confirmation, chain, "subject_token");
        if (actor != null) presented(actor.cnf(), confirmation, chain, "actor_token");

        List<String> resources = new ArrayList<>(request.resources());
        for (String audience : request.audiences()) resources.add(apiUri(as, audience));
        TokenTarget target = TokenTarget.of(as, subject.scope().intersect(client.scope()),
                "the subject token's scope within the client's", request.scope(), resources);
        if (target.scope().isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "the subject token and the client have no scope in common");
        }
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actor != null ? actor.subject() : client.clientId());
        if (subject.act() != null) act.put("act", subject.act());
        return tokens.mint(as, client.clientId(), client.tokens(), subject.subject(), target, Map.of("act", act), subject.exp(), confirmation)
                .issuedAs(ACCESS_TOKEN_TYPE);
    }

    /** A subject or actor token: this server's active access token, or a JWT of an issuer trusted for exchange. */
    private Party party(AuthorizationServer as, String token, String type, String name) {
        if (token == null) throw new OAuthException(OAuthError.INVALID_REQUEST, name + " is required");
        if (type == null) throw new OAuthException(OAuthError.INVALID_REQUEST, name + "_type is required");
        if (!type.equals(ACCESS_TOKEN_TYPE) && !type.equals(JWT_TYPE)) {
            throw new OAuthException(OAuthError.INVALID_REQUEST, name + "_type must be " + ACCESS_TOKEN_TYPE + " or " + JWT_TYPE);
        }
        Jws jws;
        try {
            jws = Jws.parse(token, MAX_TOKEN_LENGTH);
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the " + name + " is not a JWT");
        }
        if (as.issuer().equals(jws.string("iss"))) {
            Optional<Map<String, Object>> claims = validator.active(as, token);
            if (claims.isEmpty()) throw invalidGrant("the " + name + " is not an active token of this authorization server");
            Map<String, Object> c = claims.get();
            Scope scope = c.get("scope") instanceof String s && !s.isBlank() ? Scope.parse(s, OAuthError.INVALID_GRANT) : Scope.of(List.of());
            return new Party((String) c.get("sub"), scope, c.get("act"), c.get("cnf") instanceof Map<?, ?> m ? m : null,
                    ((Number) c.get("exp")).longValue());
        }
        TrustedIssuer trusted = null;
        for (TrustedIssuer t : as.delegation().exchangeIssuers()) {
            if (t.issuer().equals(jws.string("iss"))) {
                trusted = t;
                break;
            }
        }
        if (trusted == null) throw invalidGrant("the " + name + " is neither this server's nor from an issuer trusted for exchange");
        try {
            jws.algorithm();
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the " + name + " is not signed with a supported algorithm");
        }
        if (!ClientAssertions.verifiedByAny(trusted.keys(), jws)) throw invalidGrant("the " + name + "'s signature does not verify");
        long now = clock.instant().getEpochSecond();
        JwtTimes times;
        try {
            times = JwtTimes.of(jws);
        } catch (IllegalArgumentException e) {
            throw invalidGrant("the " + name + "'s " + e.getMessage());
        }
        if (times.exp() == null || times.expired(now)) throw invalidGrant("the " + name + " has expired or has no exp");
        if (times.notYetValid(now)) throw invalidGrant("the " + name + " is not valid yet");
        String sub = jws.string("sub");
        if (sub == null || sub.isEmpty()) throw invalidGrant("the " + name + " has no sub");
        return new Party(sub, trusted.scopes(), jws.claims().get("act"), jws.claims().get("cnf") instanceof Map<?, ?> m ? m : null, times.exp());
    }

    /** A token bound to a key or certificate (RFC 9449, RFC 8705) is exchanged only by whoever presents that binding. */
    private static void presented(Map<?, ?> cnf, Map<String, Object> confirmation, X509Certificate[] chain, String name) {
        if (cnf == null) return;
        if (cnf.get("jkt") != null && !cnf.get("jkt").equals(confirmation.get("jkt"))) {
            throw invalidGrant("the " + name + " is bound to a DPoP key, and the request has no proof by that key");
        }
        if (cnf.get("x5t#S256") != null
                && (chain == null || chain.length == 0 || !cnf.get("x5t#S256").equals(ClientCertificates.thumbprint(chain[0])))) {
            throw invalidGrant("the " + name + " is bound to a TLS certificate, and the request does not present it");
        }
    }

    /** An API named by {@code audience}: its name or its URI (RFC 8693 section 2.1). */
    private static String apiUri(AuthorizationServer as, String audience) {
        for (Api api : as.tokenPolicy().apis()) if (api.name().equals(audience) || api.uri().equals(audience)) return api.uri();
        throw new OAuthException(OAuthError.INVALID_TARGET, "no API of this authorization server is called " + audience);
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }
}
