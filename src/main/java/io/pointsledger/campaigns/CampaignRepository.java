package io.pointsledger.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** All SQL about campaigns. A change writes the campaign's row and its new version in one transaction. */
@ApplicationScoped
class CampaignRepository {

    private static final String COLUMNS = "campaign_id, sequence, version, status, definition, created_at, updated_at";

    /** The points granted from the campaign's budget so far (beside {@link #COLUMNS} of a campaigns row). */
    private static final String BUDGET_GRANTED = """
            (SELECT b.granted FROM campaign_budgets b WHERE b.campaign_id = campaigns.campaign_id) AS budget_granted""";

    /** The definition goes as text cast to jsonb: a Java string bound to jsonb would be stored as one JSON string. */
    private static final String INSERT = """
            WITH campaign AS (
                INSERT INTO campaigns (campaign_id, version, status, definition) VALUES ($1, 1, 'DRAFT', $2::text::jsonb)
                RETURNING %s, 0::bigint AS budget_granted
            ), first_version AS (
                INSERT INTO campaign_versions (campaign_id, version, status, definition, changed_by)
                SELECT campaign_id, version, status, definition, $3 FROM campaign
            ), budget AS (
                INSERT INTO campaign_budgets (campaign_id) SELECT campaign_id FROM campaign
            )
            SELECT * FROM campaign""".formatted(COLUMNS);

    private static final String LOCK = "SELECT " + COLUMNS + ", " + BUDGET_GRANTED
            + " FROM campaigns WHERE campaign_id = $1 FOR UPDATE OF campaigns";

    private static final String CHANGE = """
            WITH campaign AS (
                UPDATE campaigns SET version = version + 1, status = $2, definition = $3::text::jsonb, updated_at = now()
                 WHERE campaign_id = $1
                RETURNING %s, %s
            ), next_version AS (
                INSERT INTO campaign_versions (campaign_id, version, status, definition, changed_by)
                SELECT campaign_id, version, status, definition, $4 FROM campaign
            )
            SELECT * FROM campaign""".formatted(COLUMNS, BUDGET_GRANTED);

    /**
     * Serialises every change of every campaign, until it commits. So revisions are handed out in
     * commit order (an identity value is taken when the row is written, and a change that took a
     * lower one but committed later would never be loaded by an instance already past it), and two
     * activations cannot both pass the count of active campaigns. Changes are an operator's: rare.
     * Statements after it take their snapshot once it is granted, and see every change before.
     */
    private static final String LOCK_CHANGES = "SELECT pg_advisory_xact_lock(hashtext('points-ledger.campaign-changes'))";

    private static final String COUNT_ACTIVE = "SELECT count(*) AS active FROM campaigns WHERE status = 'ACTIVE'";

    private static final String FIND = "SELECT " + COLUMNS + ", " + BUDGET_GRANTED + " FROM campaigns WHERE campaign_id = $1";

    private static final String PAGE = """
            SELECT %s, %s FROM campaigns
             WHERE sequence < $1 AND ($3::text IS NULL OR status = $3)
             ORDER BY sequence DESC LIMIT $2""".formatted(COLUMNS, BUDGET_GRANTED);

    private static final String VERSIONS = """
            SELECT campaign_id, version, status, definition, changed_at, changed_by FROM campaign_versions
             WHERE campaign_id = $1 AND version < $2 ORDER BY version DESC LIMIT $3""";

    /**
     * The active campaigns and the revision they are current as of, in one snapshot, in the order
     * they apply: highest priority first, then the one created first.
     */
    private static final String ACTIVE = """
            SELECT (SELECT COALESCE(max(revision), 0) FROM campaign_versions) AS revision, c.*
              FROM (SELECT 1) one
              LEFT JOIN (SELECT %s, %s FROM campaigns WHERE status = 'ACTIVE') c ON true
             ORDER BY (c.definition ->> 'priority')::integer DESC, c.sequence""".formatted(COLUMNS, BUDGET_GRANTED);

    private static final String REVISION = "SELECT COALESCE(max(revision), 0) AS revision FROM campaign_versions";

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ObjectReader storedDefinitions;

    CampaignRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
        this.storedDefinitions = mapper.readerFor(CampaignDefinition.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    Pool pool() {
        return pool;
    }

    Uni<StoredCampaign> insert(SqlClient transaction, UUID campaignId, CampaignDefinition definition, String changedBy) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(campaignId, json(definition), changedBy)).map(this::first);
    }

    /** The campaign, locked for a change until the transaction ends; null when there is none. */
    Uni<StoredCampaign> lock(SqlClient transaction, UUID campaignId) {
        return transaction.preparedQuery(LOCK).execute(Tuple.of(campaignId)).map(this::first);
    }

    Uni<StoredCampaign> change(SqlClient transaction, UUID campaignId, CampaignStatus status, CampaignDefinition definition,
            String changedBy) {
        return transaction.preparedQuery(CHANGE).execute(Tuple.of(campaignId, status.name(), json(definition), changedBy))
                .map(this::first);
    }

    /** Held until the transaction ends; to be taken first by every transaction that changes a campaign. */
    Uni<Void> lockChanges(SqlClient transaction) {
        return transaction.query(LOCK_CHANGES).execute().replaceWithVoid();
    }

    /** Counts right under {@link #lockChanges}: no other activation can land meanwhile. */
    Uni<Long> countActive(SqlClient transaction) {
        return transaction.query(COUNT_ACTIVE).execute().map(rows -> rows.iterator().next().getLong("active"));
    }

    Uni<StoredCampaign> find(UUID campaignId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(campaignId)).map(this::first);
    }

    Uni<List<StoredCampaign>> page(CampaignStatus status, long beforeSequence, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(beforeSequence, limit, status == null ? null : status.name()))
                .map(this::all);
    }

    Uni<List<CampaignVersion>> versions(UUID campaignId, long beforeVersion, int limit) {
        return pool.preparedQuery(VERSIONS).execute(Tuple.of(campaignId, beforeVersion, limit)).map(rows -> {
            List<CampaignVersion> versions = new ArrayList<>(rows.size());
            for (Row row : rows) {
                versions.add(new CampaignVersion(row.getUUID("campaign_id"), row.getLong("version"),
                        CampaignStatus.valueOf(row.getString("status")), definition(row), row.getOffsetDateTime("changed_at"),
                        row.getString("changed_by")));
            }
            return versions;
        });
    }

    Uni<ActiveCampaigns.Snapshot> active() {
        return pool.query(ACTIVE).execute().map(rows -> {
            long revision = 0;
            List<Campaign> active = new ArrayList<>();
            for (Row row : rows) {
                revision = row.getLong("revision");
                if (row.getUUID("campaign_id") != null) {
                    active.add(toStored(row).campaign());
                }
            }
            return new ActiveCampaigns.Snapshot(revision, List.copyOf(active));
        });
    }

    Uni<Long> revision() {
        return pool.query(REVISION).execute().map(rows -> rows.iterator().next().getLong("revision"));
    }

    /** A campaign row with its place in the list, for paging. */
    record StoredCampaign(long sequence, Campaign campaign) {
    }

    private String json(CampaignDefinition definition) {
        try {
            return mapper.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A campaign definition could not be written as JSON", e);
        }
    }

    /**
     * A stored definition was validated when written; a field a newer release added is skipped, so
     * that one such definition cannot stop an instance of the release before from loading them all.
     */
    private CampaignDefinition definition(Row row) {
        Object stored = row.getValue("definition");
        String json = stored instanceof JsonObject object ? object.encode() : String.valueOf(stored);
        try {
            return storedDefinitions.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored campaign definition could not be read", e);
        }
    }

    private StoredCampaign first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toStored(rows.iterator().next());
    }

    private List<StoredCampaign> all(RowSet<Row> rows) {
        List<StoredCampaign> campaigns = new ArrayList<>(rows.size());
        rows.forEach(row -> campaigns.add(toStored(row)));
        return campaigns;
    }

    private StoredCampaign toStored(Row row) {
        CampaignDefinition definition = definition(row);
        Long budgetGranted = definition.budget() == null || definition.budget().totalPoints() == null ? null
                : row.getLong("budget_granted");
        return new StoredCampaign(row.getLong("sequence"), new Campaign(row.getUUID("campaign_id"), row.getLong("version"),
                CampaignStatus.valueOf(row.getString("status")), definition, budgetGranted, row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at")));
    }
}
