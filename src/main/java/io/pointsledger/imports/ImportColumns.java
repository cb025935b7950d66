package io.pointsledger.imports;

import io.pointsledger.platform.ErrorCode;
import io.pointsledger.platform.PrintableText;
import io.pointsledger.platform.ProblemException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column of a file holds which field of its kind of import, from its header row, in English
 * or Korean. A header is compared without case, spaces, underscores or hyphens ({@code Birth Date},
 * {@code birth_date} and {@code birthDate} are one). Every column must be known, so that a
 * misspelt one is refused rather than dropped.
 */
final class ImportColumns<F extends Enum<F> & ImportColumns.Field> {

    /** A field of a kind of import: its name in errors, and every header it may have (normalised). */
    interface Field {
        String fieldName();

        List<String> headers();
    }

    private final Map<F, Integer> columns;

    private ImportColumns(Map<F, Integer> columns) {
        this.columns = columns;
    }

    /** The columns a header row names. Fails with IMPORT_HEADER_INVALID, naming every fault. */
    static <F extends Enum<F> & Field> ImportColumns<F> of(List<String> header, Class<F> fields, List<F> required, String kind) {
        Map<F, Integer> columns = new EnumMap<>(fields);
        List<String> faults = new ArrayList<>();
        for (int index = 0; index < header.size(); index++) {
            String name = header.get(index);
            if (name != null && name.isBlank()) {
                continue; // a column without a name (a spreadsheet's styled empty cell): data under it is refused
            }
            F field = name == null ? null : fieldOf(name, fields);
            if (field == null) {
                faults.add("column " + (index + 1) + " (\"" + (name == null ? "not UTF-8" : name) + "\") is not " + kind + " field");
            } else if (columns.putIfAbsent(field, index) != null) {
                faults.add("column " + (index + 1) + " repeats " + field.fieldName());
            }
        }
        for (F field : required) {
            if (!columns.containsKey(field)) {
                faults.add("no " + field.fieldName() + " column");
            }
        }
        if (!faults.isEmpty()) {
            throw new ProblemException(ErrorCode.IMPORT_HEADER_INVALID, "The file's first row must name its columns ("
                    + "README, Imports): " + String.join("; ", faults));
        }
        return new ImportColumns<>(columns);
    }

    private static <F extends Enum<F> & Field> F fieldOf(String header, Class<F> fields) {
        String normalised = header.strip().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
        for (F field : fields.getEnumConstants()) {
            if (field.headers().contains(normalised)) {
                return field;
            }
        }
        return null;
    }

    /** The cell of {@code field} in a row: null when the file has no such column or the row stops short of it. */
    String cell(List<String> row, F field) {
        Integer column = columns.get(field);
        return column == null || column >= row.size() ? null : row.get(column);
    }

    /** The column of {@code field}, or null when the file has none. */
    Integer indexOf(F field) {
        return columns.get(field);
    }

    /** The cell's text, trimmed; null when empty or absent; null with an error when not UTF-8 or not printable. */
    String text(long rowNumber, List<String> cells, F field, List<ImportRowError> errors) {
        String cell = cell(cells, field);
        if (cell == null) {
            if (indexOf(field) != null && indexOf(field) < cells.size()) {
                // Present, yet null: the CSV reader's mark of a cell that is not UTF-8.
                errors.add(new ImportRowError(rowNumber, field.fieldName(), ImportRowError.INVALID, "is not UTF-8 text"));
            }
            return null;
        }
        String trimmed = cell.strip();
        if (!PrintableText.isPrintable(trimmed)) {
            errors.add(new ImportRowError(rowNumber, field.fieldName(), ImportRowError.INVALID, PrintableText.VIOLATION));
            return null;
        }
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** {@link #text} of at most {@code lengthMax} characters; an empty or missing cell is refused as REQUIRED. */
    String required(long rowNumber, List<String> cells, F field, int lengthMax, List<ImportRowError> errors) {
        int before = errors.size();
        String text = text(rowNumber, cells, field, errors);
        if (text == null && errors.size() == before) {
            errors.add(new ImportRowError(rowNumber, field.fieldName(), ImportRowError.REQUIRED, "is required"));
        }
        return bounded(rowNumber, text, field, lengthMax, errors);
    }

    /** {@link #text} of at most {@code lengthMax} characters; null when there is none. */
    String optional(long rowNumber, List<String> cells, F field, int lengthMax, List<ImportRowError> errors) {
        return bounded(rowNumber, text(rowNumber, cells, field, errors), field, lengthMax, errors);
    }

    private static String bounded(long rowNumber, String text, Field field, int lengthMax, List<ImportRowError> errors) {
        if (text != null && text.length() > lengthMax) {
            errors.add(new ImportRowError(rowNumber, field.fieldName(), ImportRowError.TOO_LONG, "at most " + lengthMax + " characters"));
            return null;
        }
        return text;
    }

    /** Whether the row has text in a column the header does not name (a stray comma, a shifted row). */
    boolean overflows(List<String> row) {
        for (int index = 0; index < row.size(); index++) {
            if (!columns.containsValue(index) && row.get(index) != null && !row.get(index).isBlank()) {
                return true;
            }
        }
        return false;
    }
}
