package io.pointsledger.offers;

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

/** All SQL about offers. */
@ApplicationScoped
class OfferRepository {

    private static final String COLUMNS = "offer_id, sequence, definition::text AS definition, status, created_at, ended_at";

    private static final String INSERT = """
            INSERT INTO offers (offer_id, definition, created_by) VALUES ($1, $2::text::jsonb, $3) RETURNING %s"""
            .formatted(COLUMNS);

    /** Serialises the offers' creations and endings, so that two cannot both pass the count of active ones. */
    private static final String LOCK_CHANGES = "SELECT pg_advisory_xact_lock(hashtext('points-ledger.offer-changes'))";

    /** Active and not past their window: an offer whose validity ended counts no more, though nobody ended it. */
    private static final String IN_FORCE = """
            status = 'ACTIVE' AND (definition ->> 'validUntil' IS NULL OR (definition ->> 'validUntil')::timestamptz > now())""";

    private static final String COUNT_ACTIVE = "SELECT count(*) AS active FROM offers WHERE " + IN_FORCE;

    private static final String FIND = "SELECT " + COLUMNS + " FROM offers WHERE offer_id = $1";

    private static final String END = """
            UPDATE offers SET status = 'ENDED', ended_at = COALESCE(ended_at, now()) WHERE offer_id = $1 RETURNING %s"""
            .formatted(COLUMNS);

    private static final String PAGE = """
            SELECT %s FROM offers WHERE sequence < $1 AND ($3::text IS NULL OR status = $3) ORDER BY sequence DESC LIMIT $2"""
            .formatted(COLUMNS);

    private static final String ACTIVE = "SELECT " + COLUMNS + " FROM offers WHERE " + IN_FORCE
            + " ORDER BY sequence DESC LIMIT $1";

    private final Pool pool;
    private final ObjectMapper mapper;
    private final ObjectReader storedDefinitions;

    OfferRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
        // A field a newer release added is skipped: one such offer cannot stop the release before from reading them.
        this.storedDefinitions = mapper.readerFor(OfferRequest.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    Pool pool() {
        return pool;
    }

    /** An offer with its place in the list, for paging. */
    record StoredOffer(long sequence, Offer offer) {
    }

    Uni<Void> lockChanges(SqlClient transaction) {
        return transaction.query(LOCK_CHANGES).execute().replaceWithVoid();
    }

    Uni<Long> countActive(SqlClient transaction) {
        return transaction.query(COUNT_ACTIVE).execute().map(rows -> rows.iterator().next().getLong("active"));
    }

    Uni<StoredOffer> insert(SqlClient transaction, UUID offerId, OfferRequest definition, String createdBy) {
        return transaction.preparedQuery(INSERT).execute(Tuple.of(offerId, json(definition), createdBy)).map(this::first);
    }

    Uni<StoredOffer> find(UUID offerId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(offerId)).map(this::first);
    }

    Uni<StoredOffer> end(SqlClient transaction, UUID offerId) {
        return transaction.preparedQuery(END).execute(Tuple.of(offerId)).map(this::first);
    }

    Uni<List<StoredOffer>> page(OfferStatus status, long beforeSequence, int limit) {
        return pool.preparedQuery(PAGE).execute(Tuple.of(beforeSequence, limit, status == null ? null : status.name()))
                .map(this::all);
    }

    Uni<List<StoredOffer>> active(int limit) {
        return pool.preparedQuery(ACTIVE).execute(Tuple.of(limit)).map(this::all);
    }

    private StoredOffer first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : stored(rows.iterator().next());
    }

    private List<StoredOffer> all(RowSet<Row> rows) {
        List<StoredOffer> offers = new ArrayList<>(rows.size());
        rows.forEach(row -> offers.add(stored(row)));
        return offers;
    }

    private StoredOffer stored(Row row) {
        return new StoredOffer(row.getLong("sequence"), new Offer(row.getUUID("offer_id"), OfferStatus.valueOf(row.getString("status")),
                definition(row.getValue("definition")), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("ended_at")));
    }

    private OfferRequest definition(Object stored) {
        String json = stored instanceof JsonObject object ? object.encode() : String.valueOf(stored);
        try {
            return storedDefinitions.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored offer could not be read", e);
        }
    }

    private String json(OfferRequest definition) {
        try {
            return mapper.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An offer could not be written as JSON", e);
        }
    }
}
