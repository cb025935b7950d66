-- audit_log and lot_movements refused UPDATE and DELETE row by row but not TRUNCATE, which fires
-- no row trigger: one statement could empty either. Each append-only table now refuses all three,
-- with a message naming the table (the shared function named transfers only).
CREATE FUNCTION append_only_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'LDG00';
END;
$$;

CREATE TRIGGER audit_log_append_only_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();

CREATE TRIGGER lot_movements_append_only_truncate
    BEFORE TRUNCATE ON lot_movements
    FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();
