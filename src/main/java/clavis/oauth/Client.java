package clavis.oauth;

/**
 * A registered client.
 *
 * @param secretHash the client secret as {@link Secrets#hash} stored it; never the secret
 * @param registrationTokenHash the RFC 7592 registration access token, hashed the same way
 * @param metadata the registered metadata, as answered at registration (without credentials)
 * @param secretExpiresAt epoch seconds, or 0 for never (RFC 7591 section 3.2.1)
 * @param dynamic whether the client registered itself through RFC 7591 (counted against the server's cap), rather
 *                than being created by an operator (configuration, admin command, embedding API)
 * @param tokens what an operator set for its tokens (lifetime, claims)
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
        ClientTokens tokens) {

    public Scope scope() {
        return metadata.scope();
    }

    public AuthMethod authMethod() {
        return metadata.tokenEndpointAuthMethod();
    }

    public Client withMetadata(ClientMetadata newMetadata, String newRegistrationTokenHash) {
        return new Client(clientId, asId, secretHash, newRegistrationTokenHash, newMetadata, issuedAt, secretExpiresAt, dynamic, tokens);
    }

    /** This client with only the metadata the token path reads ({@link ClientMetadata#forTokenPath}). */
    public Client forTokenPath() {
        ClientMetadata kept = metadata.forTokenPath();
        return kept == metadata ? this : new Client(clientId, asId, secretHash, registrationTokenHash, kept, issuedAt, secretExpiresAt, dynamic, tokens);
    }

    public Client withSecret(String newSecretHash, long newSecretExpiresAt) {
        return new Client(clientId, asId, newSecretHash, registrationTokenHash, metadata, issuedAt, newSecretExpiresAt, dynamic, tokens);
    }

    public Client withTokens(ClientTokens newTokens) {
        return new Client(clientId, asId, secretHash, registrationTokenHash, metadata, issuedAt, secretExpiresAt, dynamic, newTokens);
    }
}
