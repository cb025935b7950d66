package io.pointsledger.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Real retail invoices (the Online Retail data set, columns
 * {@code customer,invoice,date,sku,quantity,unit_price_minor}) read into baskets: for the
 * evaluations that must be judged on real behaviour. Lines whose stock code does not start with
 * five digits (postage, manual entries, bank charges) are dropped, as the data's notes say.
 */
public final class RetailPurchases {

    /** The committed copy of customer half A (CC BY 4.0, see the README beside it). */
    public static final String HALF_A = "/online-retail-a/purchases.csv.gz";
    /** The shop's local time, in which the file's dates are written. */
    public static final ZoneId SHOP_ZONE = ZoneId.of("Europe/London");
    private static final Pattern PRODUCT = Pattern.compile("^\\d{5}.*");

    /** One invoice: its distinct products in line order, and what it cost in minor units. */
    public record Invoice(String customer, String invoice, OffsetDateTime occurredAt, List<String> skus, long amountMinorUnits) {
    }

    private RetailPurchases() {
    }

    /**
     * The invoices of the file the system property {@code property} names (gzipped or not), or of
     * the committed half A when it is unset, ordered by time then invoice.
     */
    public static List<Invoice> read(String property) {
        String path = System.getProperty(property, "");
        try (InputStream input = path.isBlank() ? RetailPurchases.class.getResourceAsStream(HALF_A) : Files.newInputStream(Path.of(path))) {
            boolean gzipped = path.isBlank() || path.endsWith(".gz");
            return read(gzipped ? new GZIPInputStream(input) : input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@link #read(String)} reads from, for a report. */
    public static String source(String property) {
        String path = System.getProperty(property, "");
        return path.isBlank() ? "src/test/resources" + HALF_A : path;
    }

    private static List<Invoice> read(InputStream input) throws IOException {
        Map<String, Builder> invoices = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("customer,invoice,date,sku,quantity,unit_price_minor")) {
                throw new IllegalArgumentException("Not an Online Retail purchases file: " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] fields = line.split(",");
                if (fields.length < 6 || !PRODUCT.matcher(fields[3]).matches()) {
                    continue;
                }
                Builder invoice = invoices.computeIfAbsent(fields[1], number -> new Builder(fields[0], number,
                        LocalDateTime.parse(fields[2]).atZone(SHOP_ZONE).toOffsetDateTime()));
                invoice.skus.add(fields[3]);
                invoice.amount += Long.parseLong(fields[4]) * Long.parseLong(fields[5]);
            }
        }
        List<Invoice> ordered = new ArrayList<>(invoices.size());
        invoices.values().forEach(invoice -> ordered.add(invoice.build()));
        ordered.sort(Comparator.comparing(Invoice::occurredAt).thenComparing(Invoice::invoice));
        return ordered;
    }

    private static final class Builder {
        private final String customer;
        private final String invoice;
        private final OffsetDateTime occurredAt;
        private final Set<String> skus = new LinkedHashSet<>();
        private long amount;

        Builder(String customer, String invoice, OffsetDateTime occurredAt) {
            this.customer = customer;
            this.invoice = invoice;
            this.occurredAt = occurredAt;
        }

        Invoice build() {
            return new Invoice(customer, invoice, occurredAt, List.copyOf(skus), amount);
        }
    }
}
