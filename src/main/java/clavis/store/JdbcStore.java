package clavis.store;

import clavis.jwt.SigningKeyRepository;
import clavis.oauth.ClientRepository;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.RevokedTokenRepository;
import clavis.oauth.UsedJtiRepository;

/** The store in a SQLite or PostgreSQL database: one repository of each kind on one {@link Database}. */
public final class JdbcStore implements Store {
    private final Database database;
    private final JdbcClientRepository clients;
    private final JdbcInitialAccessTokenRepository initialAccessTokens;
    private final JdbcRevokedTokenRepository revokedTokens;
    private final JdbcUsedJtiRepository usedJtis;
    private final JdbcSigningKeyRepository signingKeys;

    public JdbcStore(Database database) {
        this.database = database;
        this.clients = new JdbcClientRepository(database);
        this.initialAccessTokens = new JdbcInitialAccessTokenRepository(database);
        this.revokedTokens = new JdbcRevokedTokenRepository(database);
        this.usedJtis = new JdbcUsedJtiRepository(database);
        this.signingKeys = new JdbcSigningKeyRepository(database);
    }

    /** The database under this store. */
    public Database database() {
        return database;
    }

    @Override
    public ClientRepository clients() {
        return clients;
    }

    @Override
    public InitialAccessTokenRepository initialAccessTokens() {
        return initialAccessTokens;
    }

    @Override
    public RevokedTokenRepository revokedTokens() {
        return revokedTokens;
    }

    @Override
    public UsedJtiRepository usedJtis() {
        return usedJtis;
    }

    @Override
    public SigningKeyRepository signingKeys() {
        return signingKeys;
    }

    @Override
    public boolean ping() {
        return database.ping();
    }

    @Override
    public void close() {
        database.close();
    }
}
