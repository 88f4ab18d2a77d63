package clavis.oauth;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what an access token is bound to, as its {@code cnf} claim: the key of a DPoP proof ({@code jkt},
 * RFC 9449 section 6) and the client's TLS certificate ({@code x5t#S256}, RFC 8705 section 3). An unbound token is
 * a plain Bearer token.
 */
public final class TokenBinding {
    private final DpopProofs dpop;

    public TokenBinding(DpopProofs dpop) {
        this.dpop = dpop;
    }

    /**
     * The {@code cnf} members for a token to {@code client} (null for an anonymous JWT bearer grant); empty for a
     * Bearer token.
     *
     * @param dpopHeaders the request's DPoP header values (empty when none)
     * @param chain the TLS client certificate chain, or null
     */
    public Map<String, Object> confirmation(AuthorizationServer as, Client client, List<String> dpopHeaders, X509Certificate[] chain) {
        Map<String, Object> cnf = new LinkedHashMap<>();
        if (as.tokenPolicy().dpop() && !dpopHeaders.isEmpty()) {
            cnf.put("jkt", dpop.verify(as, dpopHeaders, "POST", as.tokenEndpoint()));
        } else if (client != null && client.metadata().dpopBound()) {
            throw new OAuthException(OAuthError.INVALID_DPOP_PROOF, "this client must send a DPoP proof (dpop_bound_access_tokens)");
        }
        if (client != null && client.metadata().certificateBound()) {
            if (chain == null || chain.length == 0) {
                throw new OAuthException(OAuthError.INVALID_REQUEST,
                        "this client's tokens are bound to its TLS client certificate, and the request has none");
            }
            cnf.put("x5t#S256", ClientCertificates.thumbprint(chain[0]));
        }
        return cnf;
    }
}
