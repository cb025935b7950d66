package io.pointsledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A client switches on the code, so the README's table of errors must hold every code, with its status. */
class ErrorCodesDocumentedTest {

    private static final Pattern ROW = Pattern.compile("^\\| ((?:`[A-Z_]+`(?:, )?)+) \\| (\\d{3}) \\|", Pattern.MULTILINE);

    @Test
    void shouldListEveryErrorCodeWithItsStatusInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String errors = readme.substring(readme.indexOf("### Errors"), readme.indexOf("### Limits"));
        List<String> wrong = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            Integer documented = documentedStatus(errors, code.name());
            if (documented == null || documented != code.status()) {
                wrong.add(code + " (" + code.status() + "): " + (documented == null ? "missing" : "documented as " + documented));
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static Integer documentedStatus(String table, String code) {
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            if (row.group(1).contains("`" + code + "`")) {
                return Integer.parseInt(row.group(2));
            }
        }
        return null;
    }
}
