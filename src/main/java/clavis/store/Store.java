package clavis.store;

import clavis.jwt.SigningKeyRepository;
import clavis.oauth.ClientRepository;
import clavis.oauth.InitialAccessTokenRepository;
import clavis.oauth.RevokedTokenRepository;
import clavis.oauth.UsedJtiRepository;

/**
 * Where a server keeps what it must not forget: clients, initial access tokens, revocations, used jtis and signing
 * keys. A database ({@link JdbcStore}: SQLite or PostgreSQL), or the JVM's memory ({@link MemoryStore}, the default of
 * servers built in code), which starts without a database driver and dies with its server.
 */
public interface Store extends AutoCloseable {
    /** The {@code store.url} of a store in memory. */
    String MEMORY = "memory:";

    ClientRepository clients();

    InitialAccessTokenRepository initialAccessTokens();

    RevokedTokenRepository revokedTokens();

    UsedJtiRepository usedJtis();

    SigningKeyRepository signingKeys();

    /** Whether the store answers and takes writes: the readiness check. */
    boolean ping();

    @Override
    void close();

    /** Opens the store {@code url} names ({@link #MEMORY}, {@code jdbc:sqlite:} or {@code jdbc:postgresql:}); fails fast. */
    static Store open(String url) {
        return MEMORY.equals(url) ? new MemoryStore() : new JdbcStore(Database.open(url));
    }

    /** Whether everything in the store {@code url} names is lost when its server stops: memory, or an in-memory SQLite database. */
    static boolean isInMemory(String url) {
        return MEMORY.equals(url) || isSqlite(url) && (url.contains(":memory:") || url.contains("mode=memory"));
    }

    /** Whether {@code url} names a SQLite database, whose driver a start can load ahead. */
    static boolean isSqlite(String url) {
        return url.startsWith("jdbc:sqlite:");
    }
}
