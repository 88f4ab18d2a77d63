package clavis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The key table is the one place keys are spelled: the reference page and the logged configuration follow it. */
class KeysTest {
    @Test
    void theConfigurationReferenceNamesExactlyTheKeysOfTheTable() throws Exception {
        TreeSet<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(Files.readString(Path.of("docs/configuration.md")));
        while (row.find()) assertTrue(documented.add(row.group(1)), "documented twice: " + row.group(1));
        TreeSet<String> table = new TreeSet<>();
        for (Key<?> key : Keys.ALL) assertTrue(table.add(key.name()), "in the table twice: " + key.name());
        assertEquals(table, documented);
    }

    @Test
    void everyKeyWithADefaultParsesIt() {
        for (Key<?> key : Keys.ALL) {
            if (key.defaultText() != null) key.parser().parse(key.defaultText());
        }
    }

    @Test
    void placeholdersMatchTheNamesOperatorsChooseAndNothingElse() {
        String[] names = Keys.CLIENT_SECRET.match("as.myAS.client.billing.v2.secret");
        assertEquals(List.of("myAS", "billing.v2"), List.of(names), "a client id may hold dots: the key's fixed tail decides");
        assertEquals(List.of("myAS", "a.secret"), List.of(Keys.CLIENT_SECRET.match("as.myAS.client.a.secret.secret")), "the longest first");
        assertNull(Keys.CLIENT_SECRET.match("as.myAS.client.secret"));
        assertNull(Keys.CLIENT_SECRET.match("as.my.AS.client.c.secret"), "an authorization server id takes no dot");
        assertNull(Keys.CLIENT_SECRET.match("as.myAS.client.c.secret.x"));
        assertNull(Keys.CLIENT_SECRET.match("as.myAS.client.c\nd.secret"), "no line break, as a regular expression's . took none");
        assertNull(Keys.AS_SCOPES.match("as..scopes"));
        assertEquals(List.of(), List.of(Keys.PORT.match("server.port")));
        assertNull(Keys.PORT.match("server.ports"));
        assertEquals("as.a.client.c.scope", Keys.CLIENT_SCOPE.concrete("a", "c"));
        assertEquals("server.port", Keys.PORT.concrete());
    }

    @Test
    void theLoggedConfigurationShowsEveryKeyReadAndNoSecret() {
        Config c = Config.fromProperties(Map.of("as.a.scopes", "x", "as.a.client.c.secret", "a-secret-of-some-length",
                "store.url", "jdbc:postgresql://db/clavis?user=u&password=hunter2"));
        String all = String.join("\n", c.describe());
        assertTrue(all.contains("as.a.client.c.secret=****"), all);
        assertTrue(all.contains("store.url=jdbc:postgresql://db/clavis?user=u&password=****"), all);
        assertFalse(all.contains("hunter2") || all.contains("a-secret-of-some-length"), all);
        assertTrue(all.contains("server.threads=" + Keys.DEFAULT_THREADS), all);
        assertTrue(all.contains("as.a.token-lifetime=3600"), all);
    }
}
