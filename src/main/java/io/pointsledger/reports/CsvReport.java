package io.pointsledger.reports;

import java.util.List;

/** A report that can be downloaded as CSV ({@code Accept: text/csv}): one header row, then its main table. */
public interface CsvReport {

    List<String> csvHeader();

    /** The rows, each as many values as the header names: numbers, text, days, or null for an empty cell. */
    List<List<Object>> csvRows();
}
