package clavis.oauth;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import clavis.jwt.Jws;
import clavis.jwt.JwtTimes;
import clavis.jwt.PublicJwk;
import clavis.jwt.SigningAlgorithm;

/**
 * Checks {@code private_key_jwt} client assertions (RFC 7523 sections 2.2 and 3, RFC 7521 section 4.2): signed by
 * one of the client's keys with a supported algorithm, not typed as another kind of JWT, {@code iss} and
 * {@code sub} the client, this server in {@code aud}, a bounded lifetime, and a {@code jti} never seen before while
 * the assertion lives. Each client holds a bounded number of live jtis, so one client cannot fill the store.
 */
public final class ClientAssertions {
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final int MAX_LENGTH = 8192;
    static final int MAX_JTI_LENGTH = 256;

    private final ClientKeys keys;
    private final UsedJtiRepository usedJtis;
    private final Clock clock;

    public ClientAssertions(ClientKeys keys, UsedJtiRepository usedJtis, Clock clock) {
        this.keys = keys;
        this.usedJtis = usedJtis;
        this.clock = clock;
    }

    /** Why {@code assertion} does not authenticate {@code client}, or null when it does (and its jti is now used). */
    String failure(AuthorizationServer as, Client client, Jws assertion, String endpointUrl) {
        long now = clock.instant().getEpochSecond();
        String id = client.clientId();
        SigningAlgorithm registeredAlg = client.metadata().tokenEndpointAuthSigningAlg();
        SigningAlgorithm alg;
        try {
            alg = assertion.algorithm();
        } catch (IllegalArgumentException e) {
            return "wrong_algorithm";
        }
        if (registeredAlg != null && registeredAlg != alg) return "wrong_algorithm";
        if (!acceptedType(assertion.header().get("typ"))) return "wrong_type";
        if (!id.equals(assertion.string("iss")) || !id.equals(assertion.string("sub"))) return "wrong_issuer";
        if (!audienceFits(assertion.claims().get("aud"), as, endpointUrl)) return "wrong_audience";
        JwtTimes times;
        try {
            times = JwtTimes.of(assertion);
        } catch (IllegalArgumentException e) {
            return "malformed_assertion";
        }
        if (times.exp() == null || times.expired(now)) return "expired";
        if (times.livesLongerThan(as.clientPolicy().assertionMaxLifetimeSeconds(), now)) return "lifetime_too_long";
        if (times.notYetValid(now)) return "not_yet_valid";
        String jti = assertion.string("jti");
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) return "missing_jti";
        if (!keys.anyKey(client.metadata(), key -> verifiedBy(key, assertion))) return "bad_signature";
        long keptUntil = times.exp() + JwtTimes.SKEW_SECONDS;
        return switch (usedJtis.firstUse(UsedJtiRepository.key("private_key_jwt", as.id() + "/" + id, jti), keptUntil, now,
                UsedJtiRepository.owner(as.id(), id), as.clientPolicy().assertionMaxLiveJtis())) {
            case FIRST -> null;
            case REPLAYED -> "replayed";
            case TOO_MANY_LIVE -> "too_many_live_jtis";
        };
    }

    /**
     * RFC 8725 section 3.11: a JWT of another kind (a DPoP proof, an access token) is no client assertion. Accepted:
     * no {@code typ}, {@code JWT}, or {@code client-authentication+jwt}, as media types: caseless, and with or without
     * the {@code application/} prefix (RFC 7515 section 4.1.9).
     */
    static boolean acceptedType(Object typ) {
        if (typ == null) return true;
        if (!(typ instanceof String s)) return false;
        String type = s.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/")) type = type.substring("application/".length());
        return type.equals("jwt") || type.equals("client-authentication+jwt");
    }

    /** RFC 7523 section 3: the issuer identifier, or the URL of the endpoint (the token endpoint, or the one called). */
    private static boolean audienceFits(Object aud, AuthorizationServer as, String endpointUrl) {
        List<?> values = aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
        for (Object v : values) {
            if (v.equals(as.issuer()) || v.equals(as.tokenEndpoint()) || v.equals(endpointUrl)) return true;
        }
        return false;
    }

    /** Whether {@code key} signed {@code jws}: only the key named by the header's kid, when there is a kid. */
    static boolean verifiedBy(PublicJwk key, Jws jws) {
        Object kid = jws.header().get("kid");
        return (kid == null || key.kid() == null || kid.equals(key.kid())) && jws.verifiedBy(key);
    }

    /** Whether one of {@code candidates} signed {@code jws}. */
    static boolean verifiedByAny(List<PublicJwk> candidates, Jws jws) {
        for (PublicJwk key : candidates) if (verifiedBy(key, jws)) return true;
        return false;
    }
}
