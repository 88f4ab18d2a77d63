package clavis.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** A store URL's password is masked in the URL, in a message that quotes it, and in every cause of a failure. */
class StoreUrlsTest {
    @Test
    void thePasswordOfEitherFormIsMasked() {
        assertEquals("jdbc:postgresql://db/x?user=a&password=****", StoreUrls.masked("jdbc:postgresql://db/x?user=a&password=s3cret"));
        assertEquals("jdbc:postgresql://db/x?PASSWORD=****&ssl=true", StoreUrls.masked("jdbc:postgresql://db/x?PASSWORD=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://a:****@db/x", StoreUrls.masked("jdbc:postgresql://a:s3cret@db/x"));
        assertEquals("jdbc:postgresql://a:****@db/x", StoreUrls.masked("jdbc:postgresql://a:s3@cr@et@db/x"));
        assertEquals("jdbc:sqlite:clavis.db", StoreUrls.masked("jdbc:sqlite:clavis.db"));
    }

    @Test
    void aMessageThatQuotesTheUrlIsMasked() {
        assertEquals("Unable to parse URL jdbc:postgresql://h:99999999/x?user=u&password=****",
                StoreUrls.masked("Unable to parse URL jdbc:postgresql://h:99999999/x?user=u&password=s3cret"));
    }

    @Test
    void aFailureAndItsCausesAreMaskedWithTheirTypesAndTraces() {
        SQLException cause = new SQLException("no route for jdbc:postgresql://u:s3cret@h/x");
        SQLException failure = new SQLException("Unable to parse URL jdbc:postgresql://h/x?password=s3cret", cause);
        Throwable scrubbed = StoreUrls.scrubbed(failure);
        StringWriter trace = new StringWriter();
        new StoreException("opening " + StoreUrls.masked("jdbc:postgresql://h/x?password=s3cret"), scrubbed).printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains("s3cret"), trace.toString());
        assertTrue(trace.toString().contains("java.sql.SQLException: Unable to parse URL jdbc:postgresql://h/x?password=****"), trace.toString());
        assertTrue(trace.toString().contains("Caused by: java.sql.SQLException: no route for jdbc:postgresql://u:****@h/x"), trace.toString());
        assertEquals(failure.getStackTrace()[0], scrubbed.getStackTrace()[0]);
    }
}
