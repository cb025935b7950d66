package io.pointsledger.imports;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The rows of a file, read one at a time and never held whole. Row numbers are the file's own (the
 * header is row 1), as a spreadsheet program shows them; empty rows are skipped but counted.
 */
interface RowSource extends Closeable {

    /** The cells of row 1. */
    List<String> header();

    /** The cells of the next non-empty row, or null at the end of the file. */
    List<String> next() throws IOException;

    /** The number of the row {@link #next()} returned last (1 before the first data row). */
    long rowNumber();

    /** How much of the data is read, in bytes: where a CSV import resumes, and what progress is estimated from. */
    long bytesRead();

    /** How many bytes the data has in all. */
    long bytesTotal();

    /** A file that cannot be read on: the import fails with this reason, at the row where it stopped. */
    final class UnreadableFile extends IOException {
        UnreadableFile(String message) {
            super(message);
        }
    }
}
