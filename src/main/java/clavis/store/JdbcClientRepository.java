package clavis.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.json.Json;
import clavis.oauth.Client;
import clavis.oauth.ClientMetadata;
import clavis.oauth.ClientRepository;
import clavis.oauth.ClientTokens;

/** Clients in the {@code clients} table; metadata as the JSON that was answered at registration. */
public final class JdbcClientRepository implements ClientRepository {
    private static final String COLUMNS =
            "client_id, as_id, secret_hash, registration_token_hash, metadata, issued_at, secret_expires_at, dynamic, token_lifetime, token_claims, "
                    + "token_exchange, previous_secret_hash, previous_secret_expires_at, client_name";

    private final Database db;

    public JdbcClientRepository(Database db) {
        this.db = db;
    }

    @Override
    public boolean insert(Client client, int cap) {
        // Serialized here, not in the write: the one writer thread does only what must be done in the transaction.
        String metadata = Json.writeString(client.metadata().toJson());
        String claims = Json.writeString(client.tokens().claims());
        return db.write("registering a client", c -> {
            if (client.dynamic() && !countRegistration(c, client.asId(), cap)) return false;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, client.clientId());
                p.setString(2, client.asId());
                p.setString(3, client.secretHash());
                p.setString(4, client.registrationTokenHash());
                p.setString(5, metadata);
                p.setLong(6, client.issuedAt());
                p.setLong(7, client.secretExpiresAt());
                p.setInt(8, client.dynamic() ? 1 : 0);
                p.setLong(9, client.tokens().lifetimeSeconds());
                p.setString(10, claims);
                p.setInt(11, client.tokens().tokenExchange() ? 1 : 0);
                p.setString(12, client.previousSecretHash());
                p.setLong(13, client.previousSecretExpiresAt());
                p.setString(14, ClientNames.name(client));
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * Counts one more dynamic client of {@code asId}, in the transaction that inserts it; false when at the cap. One
     * statement (an upsert whose update has a condition: no row changes at the cap), since the one writer thread runs
     * every registration's statements in turn.
     */
    private static boolean countRegistration(Connection c, String asId, int cap) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO registered_clients (as_id, clients) VALUES (?, 1) ON CONFLICT (as_id) "
                + "DO UPDATE SET clients = registered_clients.clients + 1 WHERE ? = 0 OR registered_clients.clients < ?")) {
            p.setString(1, asId);
            p.setInt(2, cap);
            p.setInt(3, cap);
            return p.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<Client> find(String asId, String clientId) {
        return db.read("finding a client", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM clients WHERE client_id = ? AND as_id = ?")) {
                p.setString(1, clientId);
                p.setString(2, asId);
                return first(p);
            }
        });
    }

    @Override
    public Optional<Client> find(String clientId) {
        return db.read("finding a client", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM clients WHERE client_id = ?")) {
                p.setString(1, clientId);
                return first(p);
            }
        });
    }

    @Override
    public List<Client> all() {
        return db.read("listing clients", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM clients ORDER BY issued_at, client_id");
                 ResultSet r = p.executeQuery()) {
                List<Client> clients = new ArrayList<>();
                while (r.next()) clients.add(client(r));
                return clients;
            }
        });
    }

    @Override
    public List<Client> page(String asId, String afterAsId, String afterClientId, String text, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM clients WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (asId != null) {
            sql.append(" AND as_id = ?");
            args.add(asId);
        }
        if (afterAsId != null) {
            sql.append(" AND (as_id > ? OR (as_id = ? AND client_id > ?))");
            args.addAll(List.of(afterAsId, afterAsId, afterClientId));
        }
        if (text != null) {
            sql.append(" AND (LOWER(client_id) LIKE ? ESCAPE '\\' OR LOWER(client_name) LIKE ? ESCAPE '\\')");
            String pattern = "%" + likeEscaped(ClientNames.asciiLowerCase(text)) + "%";
            args.addAll(List.of(pattern, pattern));
        }
        sql.append(" ORDER BY as_id, client_id LIMIT ").append(limit);
        return db.read("listing clients", c -> {
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) p.setString(i + 1, args.get(i));
                List<Client> clients = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) clients.add(client(r));
                }
                return clients;
            }
        });
    }

    /** {@code text} with LIKE's wildcards and the escape character escaped. */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public boolean update(Client client) {
        String metadata = Json.writeString(client.metadata().toJson());
        String claims = Json.writeString(client.tokens().claims());
        return db.write("updating a client", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE clients SET secret_hash = ?, registration_token_hash = ?, "
                    + "metadata = ?, secret_expires_at = ?, token_lifetime = ?, token_claims = ?, token_exchange = ?, previous_secret_hash = ?, "
                    + "previous_secret_expires_at = ?, client_name = ? WHERE client_id = ? AND as_id = ?")) {
                p.setString(1, client.secretHash());
                p.setString(2, client.registrationTokenHash());
                p.setString(3, metadata);
                p.setLong(4, client.secretExpiresAt());
                p.setLong(5, client.tokens().lifetimeSeconds());
                p.setString(6, claims);
                p.setInt(7, client.tokens().tokenExchange() ? 1 : 0);
                p.setString(8, client.previousSecretHash());
                p.setLong(9, client.previousSecretExpiresAt());
                p.setString(10, ClientNames.name(client));
                p.setString(11, client.clientId());
                p.setString(12, client.asId());
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String clientId) {
        return db.write("deleting a client", c -> {
            String asId;
            boolean dynamic;
            try (PreparedStatement p = c.prepareStatement("SELECT as_id, dynamic FROM clients WHERE client_id = ?")) {
                p.setString(1, clientId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) return false;
                    asId = r.getString(1);
                    dynamic = r.getInt(2) == 1;
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM clients WHERE client_id = ?")) {
                p.setString(1, clientId);
                p.executeUpdate();
            }
            if (dynamic) {
                try (PreparedStatement p = c.prepareStatement("UPDATE registered_clients SET clients = clients - 1 WHERE as_id = ? AND clients > 0")) {
                    p.setString(1, asId);
                    p.executeUpdate();
                }
            }
            return true;
        });
    }

    private static Optional<Client> first(PreparedStatement p) throws SQLException {
        try (ResultSet r = p.executeQuery()) {
            return r.next() ? Optional.of(client(r)) : Optional.empty();
        }
    }

    private static Client client(ResultSet r) throws SQLException {
        return new Client(r.getString(1), r.getString(2), r.getString(3), r.getString(4), ClientMetadata.fromStored(object(r.getString(5))),
                r.getLong(6), r.getLong(7), r.getInt(8) == 1, new ClientTokens(r.getLong(9), object(r.getString(10)), r.getInt(11) == 1), r.getString(12),
                r.getLong(13));
    }

    private static Map<String, Object> object(String json) {
        try {
            return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new IllegalStateException("a stored client's JSON is not JSON", e);
        }
    }
}
