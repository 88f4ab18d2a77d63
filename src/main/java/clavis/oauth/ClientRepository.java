package clavis.oauth;

import java.util.List;
import java.util.Optional;

/** Where registered clients live; implemented by the store. Every write is durable when it returns. */
public interface ClientRepository {
    void insert(Client client);

    /**
     * A client of {@code asId}, to authenticate it and issue its tokens. An implementation may answer from a cache,
     * a little stale and with only the metadata the token path reads ({@link Client#forTokenPath}); what shows or
     * changes a registration reads it with {@link #find(String)}.
     */
    Optional<Client> find(String asId, String clientId);

    /** A client of any authorization server (client ids are unique across them), as registered, with all its metadata. */
    Optional<Client> find(String clientId);

    /** Every client, oldest first. */
    List<Client> all();

    /** Replaces a client's metadata, hashes and expiry; false when it no longer exists. */
    boolean update(Client client);

    /** Removes a client; false when there was none. */
    boolean delete(String clientId);
}
