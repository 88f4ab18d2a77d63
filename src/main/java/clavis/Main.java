package clavis;

import java.io.PrintStream;
import java.util.Arrays;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.config.ConfigLoader;

/**
 * The command line: {@code serve} (the default) and the admin commands. Every command reads the same
 * configuration: {@code config.properties}, {@code --config=PATH}, {@code --key=value} overrides.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: java -jar clavis.jar [COMMAND] [--config=PATH] [--key=value ...]

            commands:
              serve                               run the server (the default)
              clients list                        list registered clients
              clients show CLIENT_ID              show a client's registration
              clients delete CLIENT_ID            delete a client: its secret and tokens stop working
              clients rotate-secret CLIENT_ID [--grace SECONDS]
                                                  give a client a new secret, printed once; with --grace the
                                                  old one keeps working that long (at most 30 days)
              clients update CLIENT_ID [--scope "..."] [--token-lifetime SECONDS]
                             [--claim NAME=VALUE ...] [--remove-claim NAME ...] [--auth-method METHOD]
                             [--token-exchange true|false]
                                                  set what an operator decides for a client: its scope, the
                                                  lifetime of its tokens, claims of its own (a VALUE is a JSON
                                                  literal such as true, 42 or ["a","b"], else a string), its
                                                  authentication method, whether it may exchange tokens
              keys list                           list the signing keys of every authorization server
              keys rotate --as ID                 make a new signing key active; the old one stays
                                                  published until its tokens have expired
              hash-secret                         read a secret on standard input, print the
                                                  as.<id>.client.<client_id>.secret-hash value for it
              initial-access-token create --as ID [--expires-in SECONDS] [--uses N]
                                                  create a token that allows registration where
                                                  as.<ID>.registration=initial-access-token
              initial-access-token list --as ID   list them (ids, expiry, uses left; never the tokens)
              initial-access-token delete --as ID TOKEN_ID
                                                  delete one: it allows no more registrations

            Configuration comes from ./config.properties, or the file named by --config; any key can be
            given as --key=value. The admin commands work on the configured database, also while a server
            runs on it, and write their changes to the audit trail (server.audit-log).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        boolean serve = args.length == 0 || args[0].startsWith("--") || args[0].equals("serve");
        if (serve) { // first: it runs while the logging and the configuration load
            Clavis.warmUp();
            // The shipped configuration's store, unless the command line names another or turns dev mode on (whose
            // store is memory); should the store be SQLite after all, start loads the driver itself.
            boolean otherStore = Arrays.stream(args).anyMatch(a -> a.equals("--server.dev-mode=true")
                    || a.startsWith("--store.url=") && !a.startsWith("--store.url=jdbc:sqlite:"));
            if (!otherStore) Warmup.sqlite();
        }
        clavis.ops.LogFormat.install();
        if (serve) {
            int code = serve(args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args);
            if (code != EXIT_OK) System.exit(code);
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs an admin command and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("hash-secret")) return hashSecret(out, err);
        return AdminCommands.run(args, out, err);
    }

    private static int serve(String[] args) {
        Config config;
        try {
            config = ConfigLoader.load(Arrays.asList(args));
        } catch (ConfigException e) {
            System.err.println("clavis: " + e.getMessage());
            return EXIT_USAGE;
        }
        System.Logger log = System.getLogger("clavis");
        log.log(System.Logger.Level.INFO, "configuration:\n  " + String.join("\n  ", config.describe()));
        Clavis clavis;
        try {
            clavis = Clavis.start(config);
        } catch (RuntimeException e) {
            System.err.println("clavis: cannot start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(clavis::close, "clavis-shutdown"));
        log.log(System.Logger.Level.INFO, "Clavis listening on " + config.host() + ":" + clavis.port());
        return EXIT_OK;
    }

    private static int hashSecret(PrintStream out, PrintStream err) {
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) return usage(err, "hash-secret reads the secret from standard input");
            out.println(clavis.oauth.Secrets.hash(line));
            return EXIT_OK;
        } catch (java.io.IOException e) {
            err.println("clavis: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private static int usage(PrintStream err, String problem) {
        if (problem != null) err.println("clavis: " + problem);
        err.print(USAGE);
        return EXIT_USAGE;
    }
}
