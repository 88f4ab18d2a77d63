package clavis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import clavis.config.Config;
import clavis.oauth.AuthorizationServer;

/** The start-up's log lines: how long each step took, where each authorization server answers, and dev mode's warning. */
final class StartupLog {
    private static final System.Logger LOG = System.getLogger("clavis");

    private final long started = System.nanoTime();
    private long bound;
    private long databaseOpen;
    private long wired;

    /** The port is bound. */
    void bound() {
        bound = System.nanoTime();
    }

    void databaseOpen() {
        databaseOpen = System.nanoTime();
    }

    /** The keys are loaded and the services made. */
    void wired() {
        wired = System.nanoTime();
    }

    void serving(Config config, int port, Collection<AuthorizationServer> servers) {
        List<String> urls = new ArrayList<>();
        for (AuthorizationServer as : servers) {
            urls.add(as.id() + ": issuer " + as.issuer() + " token " + as.tokenEndpoint() + " registration " + as.registrationEndpoint());
        }
        if (config.devMode()) {
            LOG.log(System.Logger.Level.WARNING, "DEV MODE: any client_id with any secret gets a token, and any authorization server id "
                    + "exists on first use. A test double for development, never for production.");
        }
        // Concatenation, not String.format: the formatter would load locale data while the first request arrives.
        LOG.log(System.Logger.Level.INFO, "Clavis serving on port " + port + " after " + millis(started, System.nanoTime())
                + " ms (port " + millis(started, bound) + " ms, database " + millis(bound, databaseOpen) + " ms, keys and clients "
                + millis(databaseOpen, wired) + " ms); " + String.join("; ", urls));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
