package io.pointsledger.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowSourceTest {

    @TempDir
    Path directory;

    private Path csv(String content) throws IOException {
        Path file = directory.resolve("rows.csv");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void shouldReadQuotedFieldsCrlfAndAByteOrderMark() throws IOException {
        try (CsvRowSource source = new CsvRowSource(csv("\uFEFFa,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\n"), 0, 1)) {
            assertEquals(List.of("a", "b"), source.header());
            assertEquals(List.of("x, y", "say \"hi\""), source.next());
            assertEquals(2, source.rowNumber());
            assertEquals(List.of("two\nlines", ""), source.next());
            assertNull(source.next());
        }
    }

    @Test
    void shouldSkipEmptyRowsButCountThem() throws IOException {
        try (CsvRowSource source = new CsvRowSource(csv("a\n1\n\n\n2"), 0, 1)) {
            assertEquals(List.of("1"), source.next());
            assertEquals(List.of("2"), source.next());
            assertEquals(5, source.rowNumber());
            assertNull(source.next());
        }
    }

    @Test
    void shouldResumeAtTheOffsetAfterARow() throws IOException {
        Path file = csv("id,name\n1,one\n2,two\n3,three\n");
        long offset;
        try (CsvRowSource source = new CsvRowSource(file, 0, 1)) {
            source.next();
            offset = source.bytesRead();
        }
        try (CsvRowSource resumed = new CsvRowSource(file, offset, 2)) {
            assertEquals(List.of("id", "name"), resumed.header());
            assertEquals(List.of("2", "two"), resumed.next());
            assertEquals(3, resumed.rowNumber());
        }
    }

    @Test
    void shouldMarkACellThatIsNotUtf8AndFailOnAQuoteLeftOpen() throws IOException {
        Path file = directory.resolve("latin1.csv");
        Files.write(file, new byte[] {'a', ',', 'b', '\n', (byte) 0xE9, ',', 'x', '\n'});
        try (CsvRowSource source = new CsvRowSource(file, 0, 1)) {
            List<String> row = source.next();
            assertNull(row.get(0));
            assertEquals("x", row.get(1));
        }
        Path lone = directory.resolve("lone.csv");
        Files.write(lone, new byte[] {'a', '\n', (byte) 0xB0, (byte) 0xA1, '\n'});
        try (CsvRowSource source = new CsvRowSource(lone, 0, 1)) {
            List<String> row = source.next();
            assertEquals(1, row.size(), "a line of one cell that is not UTF-8 is a row to refuse, not an empty one");
            assertNull(row.get(0));
        }
        try (CsvRowSource open = new CsvRowSource(csv("a\n\"never closed\n1\n"), 0, 1)) {
            assertThrows(RowSource.UnreadableFile.class, open::next);
        }
    }

    @Test
    void shouldReadAWorkbookMadeByASpreadsheetProgram() throws IOException {
        Path file = directory.resolve("members-ko.xlsx");
        try (InputStream workbook = getClass().getResourceAsStream("/imports/members-ko.xlsx")) {
            Files.copy(workbook, file);
        }
        try (XlsxRowSource source = new XlsxRowSource(file)) {
            assertEquals(List.of("회원번호", "이름", "이메일", "휴대폰번호", "생년월일", "지역", "성별"), source.header());
            assertEquals(List.of("ko-0001", "김민지", "minji.kim@example.com", "821012340001", "32964", "서울", "여"), source.next());
            assertEquals(2, source.rowNumber());
            source.next();
            source.next();
            assertEquals(List.of("ko-0004", "", "jiwoo@example.com", "821012340004"), source.next(), "cells missing at the end");
        }
    }

    @Test
    void shouldStopAWorkbookThatInflatesLikeABomb() throws IOException {
        Path file = directory.resolve("bomb.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] spaces = new byte[1024 * 1024];
            java.util.Arrays.fill(spaces, (byte) ' ');
            zip.write("<worksheet><sheetData>".getBytes(StandardCharsets.UTF_8));
            for (int megabyte = 0; megabyte < 64; megabyte++) {
                zip.write(spaces);
            }
            zip.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThrows(RowSource.UnreadableFile.class, () -> new XlsxRowSource(file).close());
    }

    @Test
    void shouldNumberColumnsAsSpreadsheetsLetterThem() {
        assertEquals(0, XlsxRowSource.columnIndex("A1"));
        assertEquals(25, XlsxRowSource.columnIndex("Z9"));
        assertEquals(26, XlsxRowSource.columnIndex("AA10"));
        assertEquals(27, XlsxRowSource.columnIndex("AB3"));
    }
}
