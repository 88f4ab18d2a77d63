package clavis.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;

/**
 * The one place that reads and writes JSON. Reading is bounded: nesting depth, string and number lengths,
 * duplicate member names and trailing content are all refused, so a hostile document costs no more than its
 * (already capped) size.
 */
public final class Json {
    public static final int MAX_NESTING_DEPTH = 16;
    public static final int MAX_STRING_LENGTH = 64 * 1024;
    public static final int MAX_NUMBER_LENGTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();
    private static final JSON JSON_ = JSON.builder(FACTORY)
            .enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS, JSON.Feature.PRESERVE_FIELD_ORDERING)
            .disable(JSON.Feature.USE_DEFERRED_MAPS)
            .build();

    private Json() {
    }

    /** Thrown for a document that is not one well-formed JSON object within the bounds; carries no input. */
    public static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses exactly one JSON object; anything else (another type, trailing content, bad syntax) is refused. */
    public static Map<String, Object> parseObject(byte[] utf8) throws MalformedJsonException {
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) throw new MalformedJsonException("the body must be a JSON object");
            Map<String, Object> map = JSON_.mapFrom(parser);
            if (parser.nextToken() != null) throw new MalformedJsonException("trailing content after the JSON object");
            return map;
        } catch (IOException e) {
            throw new MalformedJsonException("the body is not well-formed JSON");
        }
    }

    /** Parses exactly one JSON value of any type (an object becomes a Map, an array a List), within the same bounds. */
    public static Object parseValue(String text) throws MalformedJsonException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) throw new MalformedJsonException("no JSON value");
            Object value = JSON_.anyFrom(parser);
            if (parser.nextToken() != null) throw new MalformedJsonException("trailing content after the JSON value");
            return value;
        } catch (IOException e) {
            throw new MalformedJsonException("not well-formed JSON");
        }
    }

    /** Serializes maps, lists, strings, numbers and booleans as UTF-8 JSON. */
    public static byte[] write(Object value) {
        try {
            return JSON_.asBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writeString(Object value) {
        try {
            return JSON_.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
