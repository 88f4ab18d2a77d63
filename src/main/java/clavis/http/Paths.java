package clavis.http;

/**
 * The URL layout, the same as Airlock IAM's so that its documented requests work unchanged. {@code {as}} is the
 * authorization server id.
 */
public final class Paths {
    static final String AS = "{as}";
    public static final String ISSUER = "/auth-login/rest/oauth2/authorization-servers/" + AS;
    public static final String TOKEN = ISSUER + "/token";
    public static final String JWKS = ISSUER + "/jwks";
    public static final String INTROSPECTION = ISSUER + "/introspect";
    public static final String REVOCATION = ISSUER + "/revoke";
    public static final String REGISTRATION = "/auth-login/rest/public/tech-client-registration/oauth2/" + AS + "/register";
    /** RFC 7592 client configuration endpoint: the registration endpoint plus the client_id. */
    public static final String CLIENT_CONFIGURATION = REGISTRATION + "/{client_id}";
    /** Where many client libraries and Airlock IAM look for the metadata. */
    public static final String METADATA_UNDER_ISSUER = ISSUER + "/.well-known/oauth-authorization-server";
    /** Where RFC 8414 section 3.1 puts it: the well-known segment between host and the issuer's path. */
    public static final String METADATA_WELL_KNOWN = "/.well-known/oauth-authorization-server" + ISSUER;

    /** OpenID Connect Discovery's place after the issuer, for clients that only know OIDC discovery (.NET's Authority, ...). */
    public static final String OPENID_UNDER_ISSUER = ISSUER + "/.well-known/openid-configuration";
    /** The same, inserted before the issuer's path as RFC 8414 section 5 describes for OIDC-minded clients. */
    public static final String OPENID_WELL_KNOWN = "/.well-known/openid-configuration" + ISSUER;
    /** Dev mode only: a token with any claims a test sends. */
    public static final String DEV_TOKEN = ISSUER + "/dev/token";
    /** The admin API (off unless {@code admin.authorization-server} is set); {@code {as}} appears in some of its paths. */
    public static final String ADMIN = "/admin/api/v1";
    /** The admin console's page (its script and style below it), served with the admin API. */
    public static final String CONSOLE = "/admin";

    /** Process-wide operations endpoints, outside every authorization server. */
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";

    private Paths() {
    }

    /** The absolute URL of {@code path} for authorization server {@code asId}. */
    public static String url(String baseUrl, String path, String asId) {
        return baseUrl + path.replace(AS, asId);
    }
}
