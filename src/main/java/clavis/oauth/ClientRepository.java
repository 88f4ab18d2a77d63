package clavis.oauth;

import java.util.List;
import java.util.Optional;

/** Where registered clients live; implemented by the store. Every write is durable when it returns. */
public interface ClientRepository {
    /**
     * Stores a new client. A {@link Client#dynamic() dynamic} one only while its authorization server has fewer than
     * {@code cap} dynamic clients (0: no cap); false, and nothing stored, when it has that many already.
     */
    boolean insert(Client client, int cap);

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

    /**
     * Up to {@code limit} clients ordered by authorization server and client_id, as registered: those of {@code asId}
     * (null for every server) after the position ({@code afterAsId}, {@code afterClientId}) (nulls for the start),
     * whose client_id or client_name holds {@code text} regardless of case (null for any).
     */
    List<Client> page(String asId, String afterAsId, String afterClientId, String text, int limit);

    /** Replaces a client's metadata, hashes and expiry; false when it no longer exists. */
    boolean update(Client client);

    /** Removes a client; false when there was none. */
    boolean delete(String clientId);
}
