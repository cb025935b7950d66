package io.pointsledger.reports;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link CsvReport} as RFC 4180 CSV in UTF-8. A text cell that a spreadsheet would read
 * as a formula (starting with =, +, - or @) is prefixed with an apostrophe: partner ids and
 * campaign names are typed by people, and a downloaded report is opened in a spreadsheet.
 */
@Provider
@Produces(CsvReportWriter.TEXT_CSV)
public class CsvReportWriter implements MessageBodyWriter<CsvReport> {

    public static final String TEXT_CSV = "text/csv";

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return CsvReport.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(CsvReport report, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) throws IOException, WebApplicationException {
        out.write(csv(report).getBytes(StandardCharsets.UTF_8));
    }

    static String csv(CsvReport report) {
        StringBuilder csv = new StringBuilder();
        line(csv, List.copyOf(report.csvHeader()));
        report.csvRows().forEach(row -> line(csv, row));
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<?> cells) {
        for (int index = 0; index < cells.size(); index++) {
            if (index > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(index)));
        }
        csv.append("\r\n");
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
