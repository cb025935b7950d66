package io.pointsledger.deploy;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How deploy/SCALING.md splits the tables over a Citus cluster, read from its
 * {@code create_distributed_table} and {@code create_reference_table} calls, and the rules of
 * Citus the migrated schema must follow for those calls to succeed: every table placed once, a
 * split table's column NOT NULL, each unique key holding it, each foreign key within a colocation
 * group through it, or to a reference table.
 */
final class DistributionLayout {

    /** Flyway's own table, which stays on the coordinator: only the migration reads it. */
    static final String MIGRATION_HISTORY = "flyway_schema_history";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern REFERENCE = Pattern.compile("create_reference_table\\('(\\w+)'\\)");
    private static final Pattern DISTRIBUTED = Pattern.compile(
            "create_distributed_table\\('(\\w+)',\\s*'(\\w+)'(?:,\\s*colocate_with\\s*=>\\s*'(\\w+)')?\\)");

    private static final String TABLES = """
            SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')""";

    private static final String COLUMNS = """
            SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull AS not_null,
                   format_type(a.atttypid, a.atttypmod) AS type
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped""";

    /** Primary keys, unique constraints and unique indexes alike: all are unique indexes. */
    private static final String UNIQUE_INDEXES = """
            SELECT t.relname AS table_name, c.relname AS index_name,
                   ARRAY(SELECT a.attname::text FROM unnest(i.indkey) AS k (attnum)
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = 'public' AND i.indisunique""";

    private static final String FOREIGN_KEYS = """
            SELECT f.conname AS name, t.relname AS table_name, r.relname AS referenced_table,
                   ARRAY(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY AS k (attnum, position)
                           JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum
                          ORDER BY k.position) AS columns,
                   ARRAY(SELECT a.attname::text FROM unnest(f.confkey) WITH ORDINALITY AS k (attnum, position)
                           JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum
                          ORDER BY k.position) AS referenced_columns
              FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = 'public' AND f.contype = 'f'""";

    /** A table split by {@code column}, co-located with {@code colocateWith} (null or "none": a group of its own). */
    record Distributed(String table, String column, String colocateWith) {
    }

    private final Set<String> references = new TreeSet<>();
    private final Map<String, Distributed> distributed = new LinkedHashMap<>();
    private final List<String> placedTwice = new ArrayList<>();

    private DistributionLayout() {
    }

    static DistributionLayout parse(String scalingDocument) {
        DistributionLayout layout = new DistributionLayout();
        Matcher reference = REFERENCE.matcher(scalingDocument);
        while (reference.find()) {
            layout.place(reference.group(1), null);
        }
        Matcher split = DISTRIBUTED.matcher(scalingDocument);
        while (split.find()) {
            layout.place(split.group(1), new Distributed(split.group(1), split.group(2), split.group(3)));
        }
        return layout;
    }

    private void place(String table, Distributed split) {
        if (references.contains(table) || distributed.containsKey(table)) {
            placedTwice.add(table);
        } else if (split == null) {
            references.add(table);
        } else {
            distributed.put(table, split);
        }
    }

    int tablesPlaced() {
        return references.size() + distributed.size();
    }

    /** Every way the schema {@code client} sees breaks the layout or the rules of Citus, one line each. */
    List<String> problems(SqlClient client) {
        List<String> problems = new ArrayList<>();
        placedTwice.forEach(table -> problems.add(table + ": placed twice"));
        Map<String, Map<String, Row>> columns = new LinkedHashMap<>();
        query(client, COLUMNS).forEach(row -> columns.computeIfAbsent(row.getString("table_name"), table -> new LinkedHashMap<>())
                .put(row.getString("column_name"), row));
        checkEveryTableIsPlaced(query(client, TABLES), problems);
        checkDistributionColumns(columns, problems);
        for (Row index : query(client, UNIQUE_INDEXES)) {
            checkUniqueIndex(index, problems);
        }
        for (Row foreignKey : query(client, FOREIGN_KEYS)) {
            checkForeignKey(foreignKey, problems);
        }
        return problems;
    }

    private void checkEveryTableIsPlaced(List<Row> tables, List<String> problems) {
        Set<String> existing = new TreeSet<>();
        tables.forEach(row -> existing.add(row.getString("table_name")));
        existing.remove(MIGRATION_HISTORY);
        for (String table : existing) {
            if (!references.contains(table) && !distributed.containsKey(table)) {
                problems.add(table + ": not placed (neither create_distributed_table nor create_reference_table)");
            }
        }
        Set<String> placed = new TreeSet<>(references);
        placed.addAll(distributed.keySet());
        placed.removeAll(existing);
        placed.forEach(table -> problems.add(table + ": placed, but no such table"));
    }

    private void checkDistributionColumns(Map<String, Map<String, Row>> columns, List<String> problems) {
        for (Distributed split : distributed.values()) {
            Row column = columns.getOrDefault(split.table(), Map.of()).get(split.column());
            if (column == null) {
                problems.add(split.table() + ": no column " + split.column());
                continue;
            }
            if (!column.getBoolean("not_null")) {
                problems.add(split.table() + "." + split.column() + ": the distribution column may be NULL");
            }
            String group = group(split.table());
            if (!group.equals(split.table())) {
                Distributed head = distributed.get(group);
                Row headColumn = head == null ? null : columns.getOrDefault(head.table(), Map.of()).get(head.column());
                if (headColumn == null) {
                    problems.add(split.table() + ": co-located with " + split.colocateWith() + ", which is not split");
                } else if (!headColumn.getString("type").equals(column.getString("type"))) {
                    problems.add(split.table() + "." + split.column() + ": " + column.getString("type")
                            + ", but its colocation group is split by " + headColumn.getString("type"));
                }
            }
        }
    }

    private void checkUniqueIndex(Row index, List<String> problems) {
        Distributed split = distributed.get(index.getString("table_name"));
        List<String> indexed = Arrays.asList(index.getArrayOfStrings("columns"));
        if (split != null && !indexed.contains(split.column())) {
            problems.add(split.table() + ": unique index " + index.getString("index_name") + " " + indexed
                    + " does not hold the distribution column " + split.column());
        }
    }

    private void checkForeignKey(Row foreignKey, List<String> problems) {
        String table = foreignKey.getString("table_name");
        String referenced = foreignKey.getString("referenced_table");
        String name = table + ": foreign key " + foreignKey.getString("name") + " to " + referenced;
        if (references.contains(referenced)) {
            return;
        }
        if (references.contains(table)) {
            problems.add(name + ": a reference table may refer only to reference tables");
            return;
        }
        Distributed from = distributed.get(table);
        Distributed to = distributed.get(referenced);
        if (from == null || to == null) {
            return;
        }
        if (!group(table).equals(group(referenced))) {
            problems.add(name + ": the tables are not co-located");
            return;
        }
        List<String> columns = Arrays.asList(foreignKey.getArrayOfStrings("columns"));
        List<String> referencedColumns = Arrays.asList(foreignKey.getArrayOfStrings("referenced_columns"));
        int position = columns.indexOf(from.column());
        if (position < 0 || !referencedColumns.get(position).equals(to.column())) {
            problems.add(name + ": " + columns + " -> " + referencedColumns + " does not join "
                    + from.column() + " to " + to.column());
        }
    }

    /** The table that heads the colocation group of {@code table}: where its colocate_with chain ends. */
    private String group(String table) {
        Set<String> seen = new TreeSet<>();
        String current = table;
        while (true) {
            Distributed split = distributed.get(current);
            if (split == null || split.colocateWith() == null || "none".equals(split.colocateWith()) || !seen.add(current)) {
                return current;
            }
            current = split.colocateWith();
        }
    }

    private static List<Row> query(SqlClient client, String sql) {
        List<Row> rows = new ArrayList<>();
        client.query(sql).execute().await().atMost(QUERY_TIMEOUT).forEach(rows::add);
        return rows;
    }
}
