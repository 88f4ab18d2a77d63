package clavis.oauth;

/**
 * A registered client.
 *
 * @param secretHash the client secret as {@link Secrets#hash} stored it; never the secret
 * @param registrationTokenHash the RFC 7592 registration access token, hashed the same way
 * @param metadata the registered metadata, as answered at registration (without credentials)
 * @param secretExpiresAt epoch seconds, or 0 for never (RFC 7591 section 3.2.1)
 * @param dynamic whether the client registered itself through RFC 7591 (counted against the server's cap), rather
 *                than being created by an operator (configuration, admin command, admin API, embedding API)
 * @param tokens what an operator set for its tokens (lifetime, claims)
 * @param previousSecretHash the secret a rotation with a grace period replaced, hashed; "" for none
 * @param previousSecretExpiresAt epoch seconds until which the previous secret still works; 0 for none
 */
public record Client(
        String clientId,
        String asId,
        String secretHash,
        String registrationTokenHash,
        ClientMetadata metadata,
        long issuedAt,
        long secretExpiresAt,
        boolean dynamic,
        ClientTokens tokens,
        String previousSecretHash,
        long previousSecretExpiresAt) {

    /** A client without a previous secret. */
    public Client(String clientId, String asId, String secretHash, String registrationTokenHash, ClientMetadata metadata, long issuedAt,
                  long secretExpiresAt, boolean dynamic, ClientTokens tokens) {
        this(clientId, asId, secretHash, registrationTokenHash, metadata, issuedAt, secretExpiresAt, dynamic, tokens, "", 0);
    }

    public Scope scope() {
        return metadata.scope();
    }

    public AuthMethod authMethod() {
        return metadata.tokenEndpointAuthMethod();
    }

    /** Whether the previous secret still works at {@code now} (epoch seconds). */
    public boolean previousSecretValidAt(long now) {
        return !previousSecretHash.isEmpty() && now < previousSecretExpiresAt;
    }

    public Client withMetadata(ClientMetadata newMetadata, String newRegistrationTokenHash) {
        return new Client(clientId, asId, secretHash, newRegistrationTokenHash, newMetadata, issuedAt, secretExpiresAt, dynamic, tokens,
                previousSecretHash, previousSecretExpiresAt);
    }

    /** This client with only the metadata the token path reads ({@link ClientMetadata#forTokenPath}). */
    public Client forTokenPath() {
        ClientMetadata kept = metadata.forTokenPath();
        return kept == metadata ? this : withMetadata(kept, registrationTokenHash);
    }

    /** This client with a new secret and no previous one. */
    public Client withSecret(String newSecretHash, long newSecretExpiresAt) {
        return withSecret(newSecretHash, newSecretExpiresAt, "", 0);
    }

    /** This client with a new secret, and the secret it replaces still working until {@code previousExpiresAt}. */
    public Client withSecret(String newSecretHash, long newSecretExpiresAt, String previousHash, long previousExpiresAt) {
        return new Client(clientId, asId, newSecretHash, registrationTokenHash, metadata, issuedAt, newSecretExpiresAt, dynamic, tokens,
                previousHash, previousExpiresAt);
    }

    public Client withTokens(ClientTokens newTokens) {
        return new Client(clientId, asId, secretHash, registrationTokenHash, metadata, issuedAt, secretExpiresAt, dynamic, newTokens,
                previousSecretHash, previousSecretExpiresAt);
    }
}
