#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/segment-benchmark.sh: times a segment attribute run over many members on this machine.
#
# Runs SegmentRunBenchmarkTest against the PostgreSQL and Redis the test suite starts: it seeds
# MEMBERS members straight in PostgreSQL (each with an encrypted birth date, a region and 0 to 6
# purchases over the last 400 days), measures them all with the service's own run (pages of
# points-ledger.segments.run-page-size members: one read, decryption on a worker thread, one
# write with the run's progress), then times a count and a first page of the segment
# R >= 4 AND F >= 4 AND age 20-39 over them. Prints a markdown table.
#
# Usage: load-tests/segment-benchmark.sh [MEMBERS]     (default 1000000)
# -------------------------------------------------------------------------------------------------
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-1000000}"
source load-tests/evaluation-lib.sh
run_evaluation SegmentRunBenchmarkTest "Segment attribute run on" "Segment benchmark done" -Dsegments.benchmark.members="$members"
