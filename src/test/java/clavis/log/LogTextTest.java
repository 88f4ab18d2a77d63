package clavis.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every character that could end a log line or drive a terminal comes out as visible text. */
class LogTextTest {
    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "POST /token client_id=b7c1-\u00e9\u4e2d";
        assertSame(plain, LogText.escape(plain));
        assertNull(LogText.escape(null));
    }

    @Test
    void lineBreaksTabsAndBackslashesAreWrittenAsEscapes() {
        assertEquals("a\\r\\nb\\tc\\\\n", LogText.escape("a\r\nb\tc\\n"));
    }

    @Test
    void otherControlCharactersAndLineSeparatorsAreWrittenAsUnicodeEscapes() {
        assertEquals("\\u001b[31mred\\u0000\\u007f\\u0080\\u0085\\u009f\\u2028\\u2029",
                LogText.escape("\u001b[31mred\u0000\u007f\u0080\u0085\u009f\u2028\u2029"));
    }

    @Test
    void noCharacterBelowSpaceOrInC1SurvivesEscaping() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) all.append(c);
        all.append('\u2028').append('\u2029');
        String escaped = LogText.escape(all.toString());
        for (char c : escaped.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F) && c != '\u2028' && c != '\u2029', "left " + (int) c);
        }
    }
}
