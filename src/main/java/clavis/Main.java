package clavis;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.config.ConfigLoader;
import clavis.json.Json;
import clavis.oauth.Client;

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
              clients rotate-secret CLIENT_ID     give a client a new secret, printed once
              keys list                           list the signing keys of every authorization server
              keys rotate --as ID                 make a new signing key active; the old one stays
                                                  published until its tokens have expired
              hash-secret                         read a secret on standard input, print the
                                                  as.<id>.client.<client_id>.secret-hash value for it
              initial-access-token create --as ID [--expires-in SECONDS] [--uses N]
                                                  create a token that allows registration where
                                                  as.<ID>.registration=initial-access-token

            Configuration comes from ./config.properties, or the file named by --config; any key can be
            given as --key=value. The admin commands work on the configured database, also while a server
            runs on it.
            """;

    /** Options that belong to commands, not to the configuration. */
    private static final List<String> COMMAND_OPTIONS = List.of("as", "expires-in", "uses");

    private Main() {
    }

    public static void main(String[] args) {
        boolean serve = args.length == 0 || args[0].startsWith("--") || args[0].equals("serve");
        if (serve) Clavis.warmUp(); // first: it runs while the logging and the configuration load
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
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        List<String> configArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (COMMAND_OPTIONS.contains(name)) {
                if (eq >= 0) options.put(name, arg.substring(eq + 1));
                else if (i + 1 < args.length) options.put(name, args[++i]);
                else return usage(err, "--" + name + " needs a value");
            } else {
                configArgs.add(arg);
            }
        }
        if (positional.isEmpty()) return usage(err, null);
        String command = String.join(" ", positional.subList(0, Math.min(2, positional.size())));
        List<String> operands = positional.subList(Math.min(2, positional.size()), positional.size());
        if (command.equals("help") || command.equals("-h")) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (command.equals("hash-secret")) return hashSecret(out, err);
        Config config;
        try {
            config = ConfigLoader.load(configArgs);
        } catch (ConfigException e) {
            err.println("clavis: " + e.getMessage());
            return EXIT_USAGE;
        }
        try (Administration admin = Clavis.administration(config)) {
            switch (command) {
                case "clients list" -> {
                    if (!operands.isEmpty()) return usage(err, "clients list takes no operand");
                    out.printf("%-36s  %-12s  %-19s  %-20s  %s%n", "CLIENT_ID", "AS", "AUTH_METHOD", "ISSUED_AT", "SCOPE / NAME");
                    for (Client c : admin.clients()) {
                        Object name = c.metadata().toJson().get("client_name");
                        out.printf("%-36s  %-12s  %-19s  %-20s  %s%s%n", c.clientId(), c.asId(), c.authMethod(),
                                Instant.ofEpochSecond(c.issuedAt()), c.scope(), name == null ? "" : " / " + name);
                    }
                    return EXIT_OK;
                }
                case "clients show" -> {
                    if (operands.size() != 1) return usage(err, "clients show takes one CLIENT_ID");
                    Optional<Client> c = admin.client(operands.get(0));
                    if (c.isEmpty()) return notFound(err, operands.get(0));
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("client_id", c.get().clientId());
                    json.put("authorization_server", c.get().asId());
                    json.put("client_id_issued_at", c.get().issuedAt());
                    json.put("client_secret_expires_at", c.get().secretExpiresAt());
                    json.putAll(c.get().metadata().toJson());
                    out.println(Json.writeString(json));
                    return EXIT_OK;
                }
                case "clients delete" -> {
                    if (operands.size() != 1) return usage(err, "clients delete takes one CLIENT_ID");
                    if (!admin.deleteClient(operands.get(0))) return notFound(err, operands.get(0));
                    out.println("deleted " + operands.get(0));
                    return EXIT_OK;
                }
                case "clients rotate-secret" -> {
                    if (operands.size() != 1) return usage(err, "clients rotate-secret takes one CLIENT_ID");
                    Optional<String> secret = admin.rotateSecret(operands.get(0));
                    if (secret.isEmpty()) return notFound(err, operands.get(0));
                    out.println(secret.get());
                    return EXIT_OK;
                }
                case "keys list" -> {
                    if (!operands.isEmpty()) return usage(err, "keys list takes no operand");
                    out.printf("%-43s  %-12s  %-6s  %-20s  %s%n", "KID", "AS", "ALG", "CREATED_AT", "STATE");
                    for (clavis.jwt.StoredKey k : admin.keys()) {
                        out.printf("%-43s  %-12s  %-6s  %-20s  %s%n", k.kid(), k.asId(), k.algorithm(), Instant.ofEpochSecond(k.createdAt()),
                                k.active() ? "active" : "retired " + Instant.ofEpochSecond(k.retiredAt()));
                    }
                    return EXIT_OK;
                }
                case "keys rotate" -> {
                    String as = options.get("as");
                    if (as == null || !operands.isEmpty()) return usage(err, "keys rotate needs --as ID");
                    out.println(admin.rotateKey(as));
                    return EXIT_OK;
                }
                case "initial-access-token create" -> {
                    String as = options.get("as");
                    if (as == null || !operands.isEmpty()) return usage(err, "initial-access-token create needs --as ID");
                    long expiresIn = number(options.getOrDefault("expires-in", "0"));
                    long uses = number(options.getOrDefault("uses", "-1"));
                    if (expiresIn < 0 || uses == 0 || uses < -1 || uses > Integer.MAX_VALUE) {
                        return usage(err, "--expires-in must be 0 or more seconds, --uses 1 or more");
                    }
                    out.println(admin.createInitialAccessToken(as, expiresIn, (int) uses));
                    return EXIT_OK;
                }
                default -> {
                    return usage(err, "unknown command '" + command + "'");
                }
            }
        } catch (NumberFormatException e) {
            return usage(err, "--expires-in and --uses take whole numbers");
        } catch (RuntimeException e) {
            err.println("clavis: " + e.getMessage());
            return EXIT_FAILURE;
        }
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

    private static long number(String text) {
        return Long.parseLong(text.trim());
    }

    private static int notFound(PrintStream err, String clientId) {
        err.println("clavis: no client " + clientId);
        return EXIT_FAILURE;
    }

    private static int usage(PrintStream err, String problem) {
        if (problem != null) err.println("clavis: " + problem);
        err.print(USAGE);
        return EXIT_USAGE;
    }
}
