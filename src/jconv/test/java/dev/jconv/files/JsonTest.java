package dev.jconv.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    @Test
    void readsEveryValueTypeIntoPlainJavaValuesInFileOrder() {
        Object parsed =
                Json.parse("{\"z\": 1, \"a\": [2.5, -3e2, \"s\\u00e9\\n\"], \"t\": true, \"f\": false, \"n\": null,"
                        + " \"big\": 9007199254740993}");
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals(List.of("z", "a", "t", "f", "n", "big"), List.copyOf(map.keySet()));
        assertEquals(1L, map.get("z"));
        assertEquals(List.of(2.5, -300.0, "sé\n"), map.get("a"));
        assertEquals(Boolean.TRUE, map.get("t"));
        assertEquals(Boolean.FALSE, map.get("f"));
        assertNull(map.get("n"));
        assertEquals(9007199254740993L, map.get("big"), "an integer above 2^53 stays exact");
    }

    @Test
    void syntaxErrorsNameTheLineAndColumn() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": [1, }"));
        assertTrue(e.getMessage().startsWith("invalid JSON at line 2, column "), e.getMessage());
    }

    @Test
    void rejectsWhatAStrictReaderMust() {
        assertRejected("{\"a\": 1, \"a\": 2}", "Duplicate field 'a'");
        assertRejected("[1] [2]", "unexpected text after the JSON value");
        assertRejected("123456789012345678901234567890", "does not fit in 64 bits");
        assertRejected("", "the text is empty");
        assertRejected("{\"a\": NaN}", "NaN");
        assertRejected("[1,]", "invalid JSON at line 1");
    }

    @Test
    void aBadFileIsAnIOExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tuning.json");
        Files.writeString(file, "{\"a\": ");
        IOException e = assertThrows(IOException.class, () -> Json.read(file));
        assertTrue(e.getMessage().startsWith(file + ": invalid JSON at line 1"), e.getMessage());
    }

    private static void assertRejected(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        assertTrue(e.getMessage().contains(expected), text + " -> " + e.getMessage());
    }
}
