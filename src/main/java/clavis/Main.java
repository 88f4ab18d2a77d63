package clavis;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import clavis.config.Config;
import clavis.config.ConfigException;
import clavis.config.ConfigLoader;

/** The command line: {@code java -jar clavis.jar [serve] [--config=PATH] [--key=value ...]}. */
public final class Main {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        List<String> rest = Arrays.asList(args);
        String command = "serve";
        if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
            command = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        switch (command) {
            case "serve" -> serve(rest);
            case "help", "-h" -> usage(System.out);
            default -> {
                System.err.println("clavis: unknown command '" + command + "'");
                usage(System.err);
                System.exit(EXIT_USAGE);
            }
        }
    }

    private static void serve(List<String> args) {
        Config config;
        try {
            config = ConfigLoader.load(args);
        } catch (ConfigException e) {
            System.err.println("clavis: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        System.Logger log = System.getLogger("clavis");
        log.log(System.Logger.Level.INFO, "configuration:\n  " + String.join("\n  ", config.describe()));
        Clavis clavis;
        try {
            clavis = Clavis.start(config);
        } catch (RuntimeException e) {
            System.err.println("clavis: cannot start: " + e.getMessage());
            System.exit(EXIT_FAILURE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(clavis::close, "clavis-shutdown"));
        log.log(System.Logger.Level.INFO, "Clavis listening on " + config.host() + ":" + clavis.port());
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java -jar clavis.jar [serve] [--config=PATH] [--key=value ...]

                  serve   run the server (the default). Reads config.properties from the working
                          directory, or the file named by --config; --key=value overrides any key.
                """);
    }
}
