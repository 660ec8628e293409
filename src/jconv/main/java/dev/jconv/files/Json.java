package dev.jconv.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document (tuning files, net.json, case specs, safetensors headers) into plain Java values: objects
 * become {@code Map} (in file order), arrays {@code List}, integers {@code Long}, other numbers {@code Double}, plus
 * {@code String}, {@code Boolean} and null. The parsing is jackson-core's streaming parser; this class only builds the
 * tree, so callers need no Jackson types. Strict: a duplicate key, an integer beyond 64 bits or text after the document
 * is an error.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    /** Parses {@code file}; a syntax error is an {@link IOException} naming the file, line and column. */
    public static Object read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses one JSON document; a syntax error is an {@link IllegalArgumentException} naming the line and column. */
    public static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("invalid JSON: the text is empty");
            }
            Object value = value(parser, first);
            if (parser.nextToken() != null) {
                throw error(parser.currentTokenLocation(), "unexpected text after the JSON value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw error(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing a String performs no I/O; anything else here is a parser failure worth its own message.
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw error(parser.currentTokenLocation(), "unexpected " + token);
        };
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> members = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            members.put(key, value(parser, parser.nextToken()));
        }
        return members;
    }

    private static List<Object> array(JsonParser parser) throws IOException {
        List<Object> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(value(parser, token));
        }
        return items;
    }

    private static Long integer(JsonParser parser) throws IOException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw error(parser.currentTokenLocation(), "the integer " + parser.getText() + " does not fit in 64 bits");
        }
        return parser.getLongValue();
    }

    private static IllegalArgumentException error(JsonLocation where, String message) {
        String place = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new IllegalArgumentException("invalid JSON" + place + ": " + message);
    }
}
