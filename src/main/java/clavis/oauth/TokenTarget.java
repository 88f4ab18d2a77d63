package clavis.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who a token is for and what it allows: its {@code aud} and {@code scope}. Without {@code resource}, the audience
 * is the authorization server's; with one or more (RFC 8707 section 2), each must be the URI of one of its APIs that
 * the caller may reach, the audience is those URIs, and the scope is narrowed to those APIs' scopes.
 *
 * @param audience a string, or a list of strings for several resources
 */
public record TokenTarget(Object audience, Scope scope) {
    /** Resources one request may name, at most. */
    static final int MAX_RESOURCES = 10;

    /**
     * @param allowed the most the caller may be given (the client's registered scope)
     * @param allowedIs what {@code allowed} is, for error descriptions ("the client's registered scope")
     * @param requested the {@code scope} parameter, or null for all of {@code allowed} (within the resources)
     * @param resources the {@code resource} parameters, possibly empty
     */
    static TokenTarget of(AuthorizationServer as, Scope allowed, String allowedIs, String requested, List<String> resources) {
        Scope asked = requested == null ? null : Scope.parse(requested, OAuthError.INVALID_SCOPE);
        if (asked != null && !allowed.containsAll(asked)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "the requested scope exceeds " + allowedIs);
        }
        if (resources.isEmpty()) return new TokenTarget(as.tokenPolicy().audience(), asked != null ? asked : allowed);
        if (resources.size() > MAX_RESOURCES) throw invalidTarget("at most " + MAX_RESOURCES + " resources in one request");
        if (as.tokenPolicy().anyScope()) return anyApi(resources, asked != null ? asked : allowed);
        Set<Api> apis = new LinkedHashSet<>();
        for (String resource : resources) {
            if (!absoluteWithoutFragment(resource)) throw invalidTarget("a resource must be an absolute URI without a fragment (RFC 8707 section 2)");
            Api api = as.tokenPolicy().api(resource);
            if (api == null) throw invalidTarget("no API of this authorization server has the URI " + shown(resource));
            if (allowed.intersect(api.scopes()).isEmpty()) throw invalidTarget("a token for " + api.uri() + " needs one of its scopes, and " + allowedIs + " has none");
            apis.add(api);
        }
        Set<String> union = new LinkedHashSet<>();
        for (Api api : apis) union.addAll(api.scopes().tokens());
        Scope within = Scope.of(union);
        Scope scope;
        if (asked != null) {
            if (!within.containsAll(asked)) throw new OAuthException(OAuthError.INVALID_SCOPE, "the requested scope is not all of the requested resources'");
            scope = asked;
        } else {
            scope = allowed.intersect(within);
        }
        if (scope.isEmpty()) throw new OAuthException(OAuthError.INVALID_SCOPE, "nothing in " + allowedIs + " belongs to the requested resources");
        List<String> uris = new ArrayList<>();
        for (Api api : apis) uris.add(api.uri());
        return new TokenTarget(uris.size() == 1 ? uris.get(0) : List.copyOf(uris), scope);
    }

    /** Dev mode's servers made on first use know no APIs and allow any scope: any URI the test names is one. */
    private static TokenTarget anyApi(List<String> resources, Scope scope) {
        Set<String> uris = new LinkedHashSet<>();
        for (String resource : resources) {
            if (!absoluteWithoutFragment(resource)) throw invalidTarget("a resource must be an absolute URI without a fragment (RFC 8707 section 2)");
            uris.add(resource);
        }
        return new TokenTarget(uris.size() == 1 ? uris.iterator().next() : List.copyOf(uris), scope);
    }

    private static boolean absoluteWithoutFragment(String resource) {
        try {
            URI uri = new URI(resource);
            return uri.isAbsolute() && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String shown(String resource) {
        return resource.length() <= 200 ? resource : resource.substring(0, 200) + "...";
    }

    private static OAuthException invalidTarget(String description) {
        return new OAuthException(OAuthError.INVALID_TARGET, description);
    }
}
