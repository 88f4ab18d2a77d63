package clavis.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;

import clavis.json.Json;
import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.ClientRepository;

/** Clients in the {@code clients} table; metadata as the JSON that was answered at registration. */
public final class JdbcClientRepository implements ClientRepository {
    private final Database db;

    public JdbcClientRepository(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Client client) {
        db.write("registering a client", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO clients (client_id, as_id, secret_hash, metadata, issued_at, secret_expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, client.clientId());
                p.setString(2, client.asId());
                p.setString(3, client.secretHash());
                p.setString(4, Json.writeString(client.metadata().toJson()));
                p.setLong(5, client.issuedAt());
                p.setLong(6, client.secretExpiresAt());
                return p.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Client> find(String asId, String clientId) {
        return db.read("finding a client", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT secret_hash, metadata, issued_at, secret_expires_at FROM clients WHERE client_id = ? AND as_id = ?")) {
                p.setString(1, clientId);
                p.setString(2, asId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) return Optional.empty();
                    return Optional.of(new Client(clientId, asId, r.getString(1), metadata(r.getString(2)),
                            r.getLong(3), r.getLong(4)));
                }
            }
        });
    }

    private static ClientMetadata metadata(String json) {
        try {
            Map<String, Object> map = Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return ClientMetadata.restore(map);
        } catch (Json.MalformedJsonException e) {
            throw new IllegalStateException("stored client metadata is not JSON", e);
        }
    }
}
