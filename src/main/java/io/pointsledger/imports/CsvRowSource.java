package io.pointsledger.imports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV in UTF-8 (a byte order mark is skipped): fields separated by commas, quoted with
 * double quotes when they hold a comma, a quote (doubled) or a line break; rows end with CRLF or
 * LF. Parsed as bytes, which is exact in UTF-8 (no byte of a multi-byte character is a comma, a
 * quote or a line break), so the offset after each row is known and an import resumes there.
 */
final class CsvRowSource implements RowSource {

    /** Longest row read: a longer one is most likely a quote left open, swallowing the rest of the file. */
    static final int ROW_BYTES_MAX = 64 * 1024;

    private static final byte COMMA = ',';
    private static final byte QUOTE = '"';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private final long bytesTotal;
    private final List<String> header;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] field = new byte[ROW_BYTES_MAX];
    private long position;
    private long rowNumber;
    private int pushedBack = -1;

    /**
     * Opens {@code file}, reads its header, then goes on after {@code resumeAt} bytes and {@code
     * rowsRead} rows when both are past the header (a resumed import).
     */
    CsvRowSource(Path file, long resumeAt, long rowNumberAtResume) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.bytesTotal = channel.size();
        skipByteOrderMark();
        List<String> firstRow = readRow();
        this.header = firstRow == null ? List.of() : firstRow;
        this.rowNumber = 1;
        if (resumeAt > position) {
            channel.position(resumeAt);
            buffer.clear().flip();
            pushedBack = -1;
            this.position = resumeAt;
            this.rowNumber = rowNumberAtResume;
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public List<String> next() throws IOException {
        while (true) {
            List<String> row = readRow();
            if (row == null) {
                return null;
            }
            rowNumber++;
            // An empty line; a lone cell that is not UTF-8 is null, and is a row to refuse, not an empty one.
            if (!(row.size() == 1 && row.get(0) != null && row.get(0).isEmpty())) {
                return row;
            }
        }
    }

    @Override
    public long rowNumber() {
        return rowNumber;
    }

    @Override
    public long bytesRead() {
        return position;
    }

    @Override
    public long bytesTotal() {
        return bytesTotal;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private int read() throws IOException {
        if (pushedBack >= 0) {
            int value = pushedBack;
            pushedBack = -1;
            position++;
            return value;
        }
        if (!buffer.hasRemaining()) {
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read <= 0) {
                return -1;
            }
        }
        position++;
        return buffer.get() & 0xFF;
    }

    private void unread(int value) {
        pushedBack = value;
        position--;
    }

    private void skipByteOrderMark() throws IOException {
        int first = read();
        if (first == 0xEF) {
            if (read() != 0xBB || read() != 0xBF) {
                throw new UnreadableFile("The file starts with a broken byte order mark: it is not UTF-8");
            }
            return;
        }
        if (first >= 0) {
            unread(first);
        }
    }

    /** The fields of the next row, or null at the end of the file. */
    private List<String> readRow() throws IOException {
        int value = read();
        if (value < 0) {
            return null;
        }
        unread(value);
        List<String> fields = new ArrayList<>();
        long rowStart = position;
        int length = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            value = read();
            if (position - rowStart > ROW_BYTES_MAX) {
                throw new UnreadableFile("Row " + (rowNumber + 1) + " is longer than " + ROW_BYTES_MAX
                        + " bytes: is a quote left open?");
            }
            if (quoted) {
                if (value < 0) {
                    throw new UnreadableFile("The file ends inside a quoted field that row " + (rowNumber + 1) + " opened");
                }
                if (value == QUOTE) {
                    int following = read();
                    if (following == QUOTE) {
                        field[length++] = QUOTE;
                        continue;
                    }
                    quoted = false;
                    if (following >= 0) {
                        unread(following);
                    }
                    continue;
                }
                field[length++] = (byte) value;
                continue;
            }
            if (value < 0 || value == LF || value == CR || value == COMMA) {
                fields.add(decode(length));
                length = 0;
                wasQuoted = false;
                if (value == COMMA) {
                    continue;
                }
                if (value == CR) {
                    int following = read();
                    if (following >= 0 && following != LF) {
                        unread(following);
                    }
                }
                return fields;
            }
            if (value == QUOTE && length == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                continue;
            }
            field[length++] = (byte) value;
        }
    }

    /** The field's text; null when it is not UTF-8, which refuses its row, not the file. */
    private String decode(int length) {
        try {
            return decoder.decode(ByteBuffer.wrap(field, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
