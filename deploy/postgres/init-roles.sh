#!/usr/bin/env bash
# Creates the two roles of README.md ("Database roles") and the database, on the first start of
# the compose PostgreSQL (an empty data directory): the migration owner owns the database, and so
# schema public (PostgreSQL 15 and later); the runtime role owns nothing and receives its grants
# from migration V12 when the service first migrates.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set owner_password="$POINTS_LEDGER_DB_MIGRATION_PASSWORD" \
    --set runtime_password="$POINTS_LEDGER_DB_PASSWORD" <<'SQL'
CREATE ROLE points_ledger_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE points_ledger_runtime LOGIN PASSWORD :'runtime_password';
CREATE DATABASE ledger OWNER points_ledger_owner;
SQL
