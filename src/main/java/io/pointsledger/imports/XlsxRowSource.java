package io.pointsledger.imports;

import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The first sheet of an Excel workbook (.xlsx), read as a stream of XML events: a million-row
 * sheet is never in memory. Its shared strings (where Excel keeps most text) are copied once to a
 * temporary file, indexed by their offsets, and read back as cells name them. Cells come as text:
 * a number as written in the file ({@code 45123}, {@code 1.5E3}), a date as its serial number.
 *
 * <p>A workbook is a zip: what any of its parts may inflate to is bounded (a zip bomb stops the
 * import), and the XML parser reads no DTD and no external entity.
 */
final class XlsxRowSource implements RowSource {

    /** Most a part may inflate to, per byte of the whole file: far above what spreadsheets compress to. */
    static final long INFLATION_RATIO_MAX = 200;

    /** Longest text of one cell or shared string; Excel's own limit is 32 767 characters. */
    static final int CELL_CHARS_MAX = 32_767;

    /** Most shared strings a workbook may have: their offsets are held in memory, 4 bytes each (64 MiB at most). */
    static final int SHARED_STRINGS_MAX = 16_000_000;

    /** Most text one row may hold, all its cells together: a row is held whole while it is read. */
    static final int ROW_CHARS_MAX = 256 * 1024;

    private static final String SHARED_STRINGS = "xl/sharedStrings.xml";
    private static final String FIRST_SHEET = "xl/worksheets/sheet1.xml";

    private final ZipFile zip;
    private final Path sharedStringsFile;
    private final RandomAccessFile sharedStrings;
    /** Where each shared string starts in the temporary file, which is kept under 2 GiB so that an int holds it. */
    private int[] sharedStringOffsets = new int[1024];
    private int sharedStringCount;
    private final CountingInput sheetInput;
    private final XMLStreamReader sheet;
    private final long bytesTotal;
    private final List<String> header;
    private long rowNumber;

    XlsxRowSource(Path file) throws IOException {
        this.zip = new ZipFile(file.toFile());
        long inflatedMax = Math.max(Files.size(file), 1) * INFLATION_RATIO_MAX;
        this.sharedStringsFile = Files.createTempFile("points-ledger-import-", ".strings");
        try {
            this.sharedStrings = copySharedStrings(inflatedMax);
            ZipEntry sheetEntry = firstSheet();
            this.bytesTotal = Math.max(sheetEntry.getSize(), 0);
            this.sheetInput = new CountingInput(zip.getInputStream(sheetEntry), inflatedMax, sheetEntry.getName());
            this.sheet = xmlReader(sheetInput);
            List<String> firstRow = next();
            this.header = firstRow == null ? List.of() : firstRow;
            if (rowNumber != 1 && firstRow != null) {
                throw new UnreadableFile("The sheet's first row is row " + rowNumber + ": the header must be row 1");
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public List<String> next() throws IOException {
        try {
            while (sheet.hasNext()) {
                if (sheet.next() == XMLStreamConstants.START_ELEMENT && "row".equals(sheet.getLocalName())) {
                    String number = sheet.getAttributeValue(null, "r");
                    rowNumber = number == null ? rowNumber + 1 : Long.parseLong(number);
                    List<String> cells = readRow();
                    if (cells.stream().anyMatch(cell -> !cell.isEmpty())) {
                        return cells;
                    }
                }
            }
            return null;
        } catch (XMLStreamException | NumberFormatException e) {
            throw new UnreadableFile("The sheet cannot be read after row " + rowNumber + ": " + e.getMessage());
        }
    }

    @Override
    public long rowNumber() {
        return rowNumber;
    }

    @Override
    public long bytesRead() {
        return sheetInput.count;
    }

    @Override
    public long bytesTotal() {
        return bytesTotal;
    }

    @Override
    public void close() throws IOException {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Closing a read-only file: nothing is lost.
        }
        try {
            if (sharedStrings != null) {
                sharedStrings.close();
            }
        } catch (IOException ignored) {
            // Likewise.
        }
        try {
            Files.deleteIfExists(sharedStringsFile);
        } catch (IOException ignored) {
            // A temporary file left behind; the system cleans its temporary directory.
        }
    }

    /** The cells of the current row, by column letter: a missing cell is empty text. */
    private List<String> readRow() throws XMLStreamException, IOException {
        List<String> cells = new ArrayList<>();
        long rowChars = 0;
        while (sheet.hasNext()) {
            int event = sheet.next();
            if (event == XMLStreamConstants.END_ELEMENT && "row".equals(sheet.getLocalName())) {
                return cells;
            }
            if (event == XMLStreamConstants.START_ELEMENT && "c".equals(sheet.getLocalName())) {
                String reference = sheet.getAttributeValue(null, "r");
                String type = sheet.getAttributeValue(null, "t");
                int column = reference == null ? cells.size() : columnIndex(reference);
                if (column > CsvRowSource.ROW_BYTES_MAX) {
                    throw new UnreadableFile("Row " + rowNumber + " has a cell in column " + reference);
                }
                String value = cellValue(type);
                rowChars += value.length();
                if (rowChars > ROW_CHARS_MAX) {
                    throw new UnreadableFile("Row " + rowNumber + " holds more than " + ROW_CHARS_MAX + " characters");
                }
                while (cells.size() < column) {
                    cells.add("");
                }
                cells.add(value);
            }
        }
        return cells;
    }

    /** The text of the cell the reader is at, read to its end. */
    private String cellValue(String type) throws XMLStreamException, IOException {
        StringBuilder text = new StringBuilder();
        String raw = null;
        int depth = 1;
        while (depth > 0 && sheet.hasNext()) {
            int event = sheet.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if ("v".equals(sheet.getLocalName())) {
                    raw = boundedText(sheet);
                    depth--;
                } else if ("t".equals(sheet.getLocalName())) {
                    text.append(boundedText(sheet));
                    if (text.length() > CELL_CHARS_MAX) {
                        throw new UnreadableFile("A cell of row " + rowNumber + " is longer than " + CELL_CHARS_MAX + " characters");
                    }
                    depth--;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        if ("inlineStr".equals(type)) {
            return text.toString();
        }
        if (raw == null) {
            return "";
        }
        if ("s".equals(type)) {
            return sharedString(Integer.parseInt(raw.trim()));
        }
        if ("b".equals(type)) {
            return "1".equals(raw.trim()) ? "TRUE" : "FALSE";
        }
        return raw;
    }

    /** 0 for A, 25 for Z, 26 for AA, from a reference such as {@code AB12}. */
    static int columnIndex(String reference) {
        int column = 0;
        for (int index = 0; index < reference.length(); index++) {
            char letter = reference.charAt(index);
            if (letter < 'A' || letter > 'Z') {
                break;
            }
            column = column * 26 + (letter - 'A' + 1);
            if (column > CsvRowSource.ROW_BYTES_MAX + 1) {
                break;
            }
        }
        return column - 1;
    }

    /**
     * The first tab of the workbook, as {@code xl/workbook.xml} orders its sheets and its
     * relationships name their parts; when those cannot be followed, sheet1.xml or the lowest
     * numbered sheet.
     */
    private ZipEntry firstSheet() throws IOException {
        ZipEntry named = firstSheetByWorkbook();
        if (named != null) {
            return named;
        }
        ZipEntry sheetEntry = zip.getEntry(FIRST_SHEET);
        if (sheetEntry != null) {
            return sheetEntry;
        }
        List<String> sheets = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.startsWith("xl/worksheets/sheet") && name.endsWith(".xml")) {
                sheets.add(name);
            }
        }
        if (sheets.isEmpty()) {
            throw new UnreadableFile("The file is not an Excel workbook: it has no worksheet");
        }
        sheets.sort(java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder()));
        return zip.getEntry(sheets.get(0));
    }

    private static final String RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private ZipEntry firstSheetByWorkbook() throws IOException {
        ZipEntry workbook = zip.getEntry("xl/workbook.xml");
        ZipEntry relationships = zip.getEntry("xl/_rels/workbook.xml.rels");
        if (workbook == null || relationships == null) {
            return null;
        }
        long inflatedMax = 16L * 1024 * 1024;
        try (CountingInput input = new CountingInput(zip.getInputStream(workbook), inflatedMax, workbook.getName())) {
            String relationshipId = firstAttribute(xmlReader(input), "sheet", RELATIONSHIPS_NAMESPACE, "id", null);
            if (relationshipId == null) {
                return null;
            }
            try (CountingInput rels = new CountingInput(zip.getInputStream(relationships), inflatedMax, relationships.getName())) {
                String target = firstAttribute(xmlReader(rels), "Relationship", null, "Target", relationshipId);
                if (target == null) {
                    return null;
                }
                return zip.getEntry(target.startsWith("/") ? target.substring(1) : "xl/" + target);
            }
        } catch (XMLStreamException e) {
            return null;
        }
    }

    /** The attribute of the first element so named (whose Id is {@code withId}, when given). */
    private static String firstAttribute(XMLStreamReader reader, String element, String namespace, String attribute, String withId)
            throws XMLStreamException {
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT && element.equals(reader.getLocalName())
                    && (withId == null || withId.equals(reader.getAttributeValue(null, "Id")))) {
                return reader.getAttributeValue(namespace, attribute);
            }
        }
        return null;
    }

    /** Copies every shared string, in order, to the temporary file: its UTF-8 bytes, length first. */
    private RandomAccessFile copySharedStrings(long inflatedMax) throws IOException {
        ZipEntry entry = zip.getEntry(SHARED_STRINGS);
        if (entry != null) {
            try (CountingInput input = new CountingInput(zip.getInputStream(entry), inflatedMax, SHARED_STRINGS);
                    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                            Files.newOutputStream(sharedStringsFile), 64 * 1024))) {
                XMLStreamReader strings = xmlReader(input);
                long offset = 0;
                while (strings.hasNext()) {
                    if (strings.next() == XMLStreamConstants.START_ELEMENT && "si".equals(strings.getLocalName())) {
                        byte[] bytes = stringItem(strings).getBytes(StandardCharsets.UTF_8);
                        remember(offset);
                        out.writeInt(bytes.length);
                        out.write(bytes);
                        offset += 4 + bytes.length;
                    }
                }
            } catch (XMLStreamException e) {
                throw new UnreadableFile("The workbook's shared strings cannot be read: " + e.getMessage());
            }
        }
        return new RandomAccessFile(sharedStringsFile.toFile(), "r");
    }

    /** The text of a shared string: its runs' text, without phonetic guides (rPh). */
    private static String stringItem(XMLStreamReader strings) throws XMLStreamException, UnreadableFile {
        StringBuilder text = new StringBuilder();
        int depth = 1;
        boolean phonetic = false;
        while (depth > 0 && strings.hasNext()) {
            int event = strings.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = strings.getLocalName();
                if ("rPh".equals(name)) {
                    phonetic = true;
                }
                if ("t".equals(name)) {
                    String value = boundedText(strings);
                    if (!phonetic) {
                        text.append(value);
                        if (text.length() > CELL_CHARS_MAX) {
                            throw new UnreadableFile("A shared string of the workbook is longer than " + CELL_CHARS_MAX + " characters");
                        }
                    }
                } else {
                    depth++;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if ("rPh".equals(strings.getLocalName())) {
                    phonetic = false;
                }
                depth--;
            }
        }
        return text.toString();
    }

    /** The text of the element the reader is at, up to its end, refused past {@link #CELL_CHARS_MAX}. */
    private static String boundedText(XMLStreamReader reader) throws XMLStreamException, UnreadableFile {
        StringBuilder text = new StringBuilder();
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return text.toString();
            }
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE || event == XMLStreamConstants.ENTITY_REFERENCE) {
                text.append(reader.getText());
                if (text.length() > CELL_CHARS_MAX) {
                    throw new UnreadableFile("A cell of the workbook is longer than " + CELL_CHARS_MAX + " characters");
                }
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                throw new UnreadableFile("A cell's text holds an element (" + reader.getLocalName() + "): not a workbook this reads");
            }
        }
    }

    private void remember(long offset) throws UnreadableFile {
        if (sharedStringCount == SHARED_STRINGS_MAX) {
            throw new UnreadableFile("The workbook has more than " + SHARED_STRINGS_MAX + " shared strings");
        }
        if (offset > Integer.MAX_VALUE) {
            throw new UnreadableFile("The workbook's shared strings take more than 2 GiB");
        }
        if (sharedStringCount == sharedStringOffsets.length) {
            sharedStringOffsets = Arrays.copyOf(sharedStringOffsets, sharedStringOffsets.length * 2);
        }
        sharedStringOffsets[sharedStringCount++] = (int) offset;
    }

    private String sharedString(int index) throws IOException {
        if (index < 0 || index >= sharedStringCount) {
            throw new UnreadableFile("Row " + rowNumber + " names shared string " + index + ", which the workbook lacks");
        }
        sharedStrings.seek(sharedStringOffsets[index]);
        int length = sharedStrings.readInt();
        byte[] bytes = new byte[length];
        sharedStrings.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static XMLStreamReader xmlReader(InputStream input) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            return factory.createXMLStreamReader(input, StandardCharsets.UTF_8.name());
        } catch (XMLStreamException e) {
            throw new UnreadableFile("The workbook's XML cannot be read: " + e.getMessage());
        }
    }

    /** Counts the inflated bytes of a part, and stops one that inflates past what a spreadsheet would. */
    private static final class CountingInput extends FilterInputStream {

        private final long maximum;
        private final String part;
        long count;

        CountingInput(InputStream input, long maximum, String part) {
            super(input);
            this.maximum = maximum;
            this.part = part;
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0) {
                counted(1);
            }
            return value;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = super.read(bytes, offset, length);
            if (read > 0) {
                counted(read);
            }
            return read;
        }

        private void counted(int bytes) throws IOException {
            count += bytes;
            if (count > maximum) {
                throw new UnreadableFile(part + " inflates past " + maximum + " bytes: not a spreadsheet this import reads");
            }
        }
    }

}
