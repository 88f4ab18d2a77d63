package clavis.oauth;

import java.util.Optional;

/** Where registered clients live; implemented by the store. */
public interface ClientRepository {
    /** Stores a new client durably: when this returns, the client survives a crash. */
    void insert(Client client);

    Optional<Client> find(String asId, String clientId);
}
