#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/report-benchmark.sh: times every report over a large ledger on this machine.
#
# Runs ReportBenchmarkTest against the PostgreSQL and Redis the test suite starts: it seeds
# MEMBERS members and TRANSFERS transfers straight in PostgreSQL over the last 365 days (with
# their lots and lot movements), rolls every ended day up with the service's own rollup, then
# times each report through the API three times. Prints a markdown table.
#
# Usage: load-tests/report-benchmark.sh [MEMBERS [TRANSFERS]]     (default 1000000 10000000)
# -------------------------------------------------------------------------------------------------
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-1000000}"
transfers="${2:-$((members * 10))}"
source load-tests/evaluation-lib.sh
run_evaluation ReportBenchmarkTest "Reports over" "Report benchmark done" -Dreports.benchmark.members="$members" \
    -Dreports.benchmark.transfers="$transfers"
