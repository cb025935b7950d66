package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every SQL statement of the service fits the prepared-statement cache: one that does not is
 * parsed and planned by PostgreSQL on every execution (Vert.x caches statements of up to 2 048
 * characters unless told otherwise, and the write path's are longer).
 */
class CachedStatementsTest {

    @Test
    void shouldKeepEveryStatementOfEveryRepositoryWithinTheCachedLength() throws Exception {
        List<String> tooLong = new ArrayList<>();
        int statements = 0;
        for (Class<?> repository : repositories()) {
            for (Field field : repository.getDeclaredFields()) {
                if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())
                        && Modifier.isFinal(field.getModifiers())) {
                    field.setAccessible(true);
                    String sql = (String) field.get(null);
                    statements++;
                    if (sql.length() > DatabasePoolCreator.CACHED_STATEMENT_LENGTH_MAX) {
                        tooLong.add(repository.getSimpleName() + "." + field.getName() + ": " + sql.length());
                    }
                }
            }
        }
        assertTrue(statements > 20, "found the statements: " + statements);
        assertTrue(tooLong.isEmpty(), "longer than the cache takes: " + tooLong);
    }

    @Test
    void shouldCacheStatementsLongerThanTheWritePathsLongest() throws Exception {
        Field apply = Class.forName("io.pointsledger.ledger.LedgerWriteRepository").getDeclaredField("APPLY");
        apply.setAccessible(true);
        int length = ((String) apply.get(null)).length();
        assertTrue(length > 2_048, "the apply statement is past Vert.x's default limit, so the setting matters: " + length);
        assertTrue(length <= DatabasePoolCreator.CACHED_STATEMENT_LENGTH_MAX);
    }

    private static List<Class<?>> repositories() throws Exception {
        Path classes = Path.of("target/classes");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith("Repository.class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                found.add(Class.forName(name));
            }
        }
        return found;
    }
}
