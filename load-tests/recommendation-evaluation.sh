#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/recommendation-evaluation.sh: offline evaluation of recommendations on real baskets.
#
# Replays a purchase history in the Online Retail shape (customer,invoice,date,sku,quantity,
# unit_price_minor; gzipped or not) through the production counting statement, holding out each
# regular customer's last invoice, and prints hit-rate@10 and coverage for popularity, the previous
# scorer (raw co-occurrence sums) and the cosine scorer the service serves. It runs as a test
# against the real PostgreSQL and Redis the test suite starts (RecommendationEvaluationTest).
#
# Usage: load-tests/recommendation-evaluation.sh [purchases.csv.gz]
#   default: the committed half A, src/test/resources/online-retail-a/purchases.csv.gz
# -------------------------------------------------------------------------------------------------
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-}"
if [[ -n "$file" ]]; then
    file="$(realpath "$file")"
fi
source load-tests/evaluation-lib.sh
run_evaluation RecommendationEvaluationTest "Recommendations on" "cosine" -Drecommendations.evaluation.previous=true -Drecommendations.evaluation.purchases="$file"
