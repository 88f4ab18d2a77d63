package clavis;

import clavis.oauth.AdminService;
import clavis.ops.AuditLog;
import clavis.store.Database;

/**
 * The admin commands' handle on the configured database: the {@link AdminService} the admin API also uses, on a
 * database connection and an audit trail of its own, closed together. It works while a server runs on the same
 * database: SQLite's WAL lets both write, one at a time, and a server sees a change within {@code store.cache-seconds}.
 */
public final class Administration implements AutoCloseable {
    private final Database database;
    private final AuditLog audit;
    private final AdminService service;

    Administration(Database database, AuditLog audit, AdminService service) {
        this.database = database;
        this.audit = audit;
        this.service = service;
    }

    /** What the commands do: every change in it is audited. */
    public AdminService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            audit.close();
        } finally {
            database.close();
        }
    }
}
