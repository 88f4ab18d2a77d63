package clavis.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads {@code config.properties} (from the working directory, or {@code --config=PATH}) and applies
 * {@code --key=value} command-line overrides, which win.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "config.properties";

    private ConfigLoader() {
    }

    /** Loads the configuration named by the arguments; every argument must have the form {@code --key=value}. */
    public static Config load(List<String> args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        String file = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new ConfigException(List.of("argument '" + arg + "': expected --key=value"));
            }
            String key = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            if (key.equals("config")) file = value;
            else overrides.put(key, value);
        }
        Map<String, String> props = new LinkedHashMap<>();
        Path path = Path.of(file == null ? DEFAULT_FILE : file);
        if (Files.exists(path)) {
            props.putAll(readProperties(path));
        } else if (file != null) {
            throw new ConfigException(List.of("--config: no such file: " + path));
        }
        props.putAll(overrides);
        return Config.fromProperties(props);
    }

    static Map<String, String> readProperties(Path path) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(List.of(path + ": cannot be read: " + e.getMessage()));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) map.put(name, p.getProperty(name));
        return map;
    }
}
