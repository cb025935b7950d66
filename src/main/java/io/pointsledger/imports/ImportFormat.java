package io.pointsledger.imports;

/** How a file is written: RFC 4180 CSV in UTF-8, or an Excel workbook (its first sheet). */
public enum ImportFormat {
    CSV,
    XLSX;

    /** The format a file name's extension says, or null. */
    static ImportFormat ofFileName(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        return lower.endsWith(".xlsx") ? XLSX : null;
    }
}
