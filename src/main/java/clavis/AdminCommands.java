package clavis;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.config.ConfigLoader;
import clavis.json.Json;
import clavis.oauth.Actor;
import clavis.oauth.AdminService;
import clavis.oauth.AuthMethod;
import clavis.oauth.Client;
import clavis.oauth.ClientChange;
import clavis.oauth.ClientTokens;
import clavis.oauth.InitialAccessToken;
import clavis.oauth.OAuthError;
import clavis.oauth.Scope;

/**
 * The admin commands of the command line: their options parsed, their work done by {@link Administration}, their
 * answers printed. Exit codes: 0 done, 1 no such client or another failure, 2 usage or configuration error.
 */
final class AdminCommands {
    /** Options that belong to commands, not to the configuration; those in {@link #REPEATABLE} may be given more than once. */
    private static final List<String> OPTIONS = List.of("as", "expires-in", "uses", "scope", "token-lifetime", "claim", "remove-claim",
            "grace", "auth-method", "token-exchange");
    private static final List<String> REPEATABLE = List.of("claim", "remove-claim");

    private final PrintStream out;
    private final PrintStream err;
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> configArgs = new ArrayList<>();

    private AdminCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command {@code args} name and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        AdminCommands c = new AdminCommands(out, err);
        String problem = c.parse(args);
        if (problem != null || c.positional.isEmpty()) return c.usage(problem);
        String command = String.join(" ", c.positional.subList(0, Math.min(2, c.positional.size())));
        List<String> operands = c.positional.subList(Math.min(2, c.positional.size()), c.positional.size());
        if (command.equals("help") || command.equals("-h")) {
            out.print(Main.USAGE);
            return Main.EXIT_OK;
        }
        Config config;
        try {
            config = ConfigLoader.load(c.configArgs);
        } catch (ConfigException e) {
            err.println("clavis: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try (Administration admin = Clavis.administration(config)) {
            return c.execute(admin.service(), command, operands);
        } catch (ConfigException e) { // a store in memory: nothing here to administer
            err.println("clavis: " + e.problems().get(0));
            return Main.EXIT_USAGE;
        } catch (NumberFormatException e) {
            return c.usage("--expires-in, --uses, --grace and --token-lifetime take whole numbers");
        } catch (RuntimeException e) {
            err.println("clavis: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private String parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (!OPTIONS.contains(name)) {
                configArgs.add(arg);
                continue;
            }
            String value;
            if (eq >= 0) value = arg.substring(eq + 1);
            else if (i + 1 < args.length) value = args[++i];
            else return "--" + name + " needs a value";
            List<String> values = options.computeIfAbsent(name, n -> new ArrayList<>());
            if (!values.isEmpty() && !REPEATABLE.contains(name)) return "--" + name + " is given twice";
            values.add(value);
        }
        return null;
    }

    private String option(String name) {
        List<String> values = options.get(name);
        return values == null ? null : values.get(0);
    }

    private int execute(AdminService admin, String command, List<String> operands) {
        Actor actor = Actor.commandLine();
        switch (command) {
            case "clients list" -> {
                if (!operands.isEmpty()) return usage("clients list takes no operand");
                out.printf("%-36s  %-12s  %-19s  %-20s  %s%n", "CLIENT_ID", "AS", "AUTH_METHOD", "ISSUED_AT", "SCOPE / NAME");
                for (Client c : admin.clients()) {
                    String name = c.metadata().clientName().plain();
                    out.printf("%-36s  %-12s  %-19s  %-20s  %s%s%n", c.clientId(), c.asId(), c.authMethod(),
                            Instant.ofEpochSecond(c.issuedAt()), c.scope(), name == null ? "" : " / " + name);
                }
                return Main.EXIT_OK;
            }
            case "clients show" -> {
                if (operands.size() != 1) return usage("clients show takes one CLIENT_ID");
                Optional<Client> c = admin.client(operands.get(0));
                if (c.isEmpty()) return notFound(operands.get(0));
                out.println(Json.writeString(shown(admin, c.get())));
                return Main.EXIT_OK;
            }
            case "clients update" -> {
                if (operands.size() != 1) return usage("clients update takes one CLIENT_ID");
                Map<String, Object> claims = new LinkedHashMap<>();
                for (String claim : options.getOrDefault("claim", List.of())) {
                    int eq = claim.indexOf('=');
                    if (eq < 1) return usage("--claim takes name=value");
                    claims.put(claim.substring(0, eq), ClientTokens.valueOf(claim.substring(eq + 1)));
                }
                String lifetime = option("token-lifetime");
                String exchange = option("token-exchange");
                if (exchange != null && !exchange.equals("true") && !exchange.equals("false")) return usage("--token-exchange is true or false");
                String scope = option("scope");
                String method = option("auth-method");
                ClientChange change = new ClientChange(scope == null ? null : Scope.parse(scope, OAuthError.INVALID_SCOPE),
                        lifetime == null ? null : Long.parseLong(lifetime.trim()), claims, options.getOrDefault("remove-claim", List.of()),
                        method == null ? null : AuthMethod.of(method), exchange == null ? null : Boolean.valueOf(exchange));
                Optional<Client> updated = admin.updateClient(actor, null, operands.get(0), change);
                if (updated.isEmpty()) return notFound(operands.get(0));
                out.println(Json.writeString(shown(admin, updated.get())));
                return Main.EXIT_OK;
            }
            case "clients delete" -> {
                if (operands.size() != 1) return usage("clients delete takes one CLIENT_ID");
                if (!admin.deleteClient(actor, null, operands.get(0))) return notFound(operands.get(0));
                out.println("deleted " + operands.get(0));
                return Main.EXIT_OK;
            }
            case "clients rotate-secret" -> {
                if (operands.size() != 1) return usage("clients rotate-secret takes one CLIENT_ID");
                long grace = Long.parseLong(options.getOrDefault("grace", List.of("0")).get(0).trim());
                Optional<AdminService.WithSecret> rotated = admin.rotateSecret(actor, null, operands.get(0), grace);
                if (rotated.isEmpty()) return notFound(operands.get(0));
                out.println(rotated.get().secret());
                if (grace > 0 && rotated.get().client().previousSecretExpiresAt() > 0) {
                    err.println("clavis: the previous secret works until " + Instant.ofEpochSecond(rotated.get().client().previousSecretExpiresAt()));
                }
                return Main.EXIT_OK;
            }
            case "keys list" -> {
                if (!operands.isEmpty()) return usage("keys list takes no operand");
                out.printf("%-43s  %-12s  %-7s  %-20s  %s%n", "KID", "AS", "ALG", "CREATED_AT", "STATE");
                for (AdminService.Key k : admin.keys()) {
                    out.printf("%-43s  %-12s  %-7s  %-20s  %s%n", k.kid(), k.asId(), k.alg(), Instant.ofEpochSecond(k.createdAt()),
                            k.active() ? "active" : "retired " + Instant.ofEpochSecond(k.retiredAt()) + ", published until "
                                    + Instant.ofEpochSecond(k.publishedUntil()));
                }
                return Main.EXIT_OK;
            }
            case "keys rotate" -> {
                String as = option("as");
                if (as == null || !operands.isEmpty()) return usage("keys rotate needs --as ID");
                out.println(admin.rotateKey(actor, as));
                return Main.EXIT_OK;
            }
            case "initial-access-token create" -> {
                String as = option("as");
                if (as == null || !operands.isEmpty()) return usage("initial-access-token create needs --as ID");
                long expiresIn = Long.parseLong(options.getOrDefault("expires-in", List.of("0")).get(0).trim());
                long uses = Long.parseLong(options.getOrDefault("uses", List.of("-1")).get(0).trim());
                if (expiresIn < 0 || uses == 0 || uses < -1 || uses > Integer.MAX_VALUE) {
                    return usage("--expires-in must be 0 or more seconds, --uses 1 or more");
                }
                AdminService.NewInitialAccessToken created = admin.createInitialAccessToken(actor, as, expiresIn, uses);
                out.println(created.value());
                err.println("clavis: initial access token " + created.token().id() + " created");
                return Main.EXIT_OK;
            }
            case "initial-access-token list" -> {
                String as = option("as");
                if (as == null || !operands.isEmpty()) return usage("initial-access-token list needs --as ID");
                out.printf("%-22s  %-20s  %-20s  %s%n", "ID", "CREATED_AT", "EXPIRES_AT", "USES_LEFT");
                String after = null;
                do {
                    AdminService.Page<InitialAccessToken> page = admin.initialAccessTokens(as, AdminService.MAX_PAGE, after);
                    for (InitialAccessToken t : page.items()) {
                        out.printf("%-22s  %-20s  %-20s  %s%n", t.id(), Instant.ofEpochSecond(t.createdAt()),
                                t.expiresAt() == 0 ? "never" : Instant.ofEpochSecond(t.expiresAt()), t.usesLeft() < 0 ? "any" : t.usesLeft());
                    }
                    after = page.next();
                } while (after != null);
                return Main.EXIT_OK;
            }
            case "initial-access-token delete" -> {
                String as = option("as");
                if (as == null || operands.size() != 1) return usage("initial-access-token delete needs --as ID and one TOKEN_ID");
                if (!admin.deleteInitialAccessToken(actor, as, operands.get(0))) {
                    err.println("clavis: no initial access token " + operands.get(0) + " at " + as);
                    return Main.EXIT_FAILURE;
                }
                out.println("deleted " + operands.get(0));
                return Main.EXIT_OK;
            }
            default -> {
                return usage("unknown command '" + command + "'");
            }
        }
    }

    /** A client as {@code clients show} prints it, as the admin API shows it. */
    private static Map<String, Object> shown(AdminService admin, Client c) {
        return admin.view(c);
    }

    private int notFound(String clientId) {
        err.println("clavis: no client " + clientId);
        return Main.EXIT_FAILURE;
    }

    private int usage(String problem) {
        if (problem != null) err.println("clavis: " + problem);
        err.print(Main.USAGE);
        return Main.EXIT_USAGE;
    }
}
