package clavis.oauth;

import java.util.List;
import java.util.Optional;

/** Where registered clients live; implemented by the store. Every write is durable when it returns. */
public interface ClientRepository {
    void insert(Client client);

    Optional<Client> find(String asId, String clientId);

    /** A client of any authorization server (client ids are unique across them). */
    Optional<Client> find(String clientId);

    /** Every client, oldest first. */
    List<Client> all();

    /** Replaces a client's metadata, hashes and expiry; false when it no longer exists. */
    boolean update(Client client);

    /** Removes a client; false when there was none. */
    boolean delete(String clientId);
}
