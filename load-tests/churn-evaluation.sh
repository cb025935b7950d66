#!/usr/bin/env bash
# -------------------------------------------------------------------------------------------------
# load-tests/churn-evaluation.sh: evaluates churn risk on real purchases.
#
# Loads a purchase history in the Online Retail shape (customer,invoice,date,sku,quantity,
# unit_price_minor; gzipped or not) as members' purchase history, then runs the service's own
# evaluation (POST /v1/admin/churn-models/evaluations does the same): a model trained on what was
# known at the cutoff scores every member with a purchase before it, against whether they bought
# in the 90 days after. Prints ROC AUC of the model next to days-since-last-purchase alone. It runs
# as a test against the real PostgreSQL and Redis the test suite starts (ChurnEvaluationTest).
#
# Usage: load-tests/churn-evaluation.sh [purchases.csv.gz] [cutoff YYYY-MM-DD]
#   defaults: the committed half A (src/test/resources/online-retail-a/purchases.csv.gz), 2011-09-01
# -------------------------------------------------------------------------------------------------
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:-}"
cutoff="${2:-2011-09-01}"
if [[ -n "$file" ]]; then
    file="$(realpath "$file")"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! ./mvnw -q test -Dtest=ChurnEvaluationTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dchurn.evaluation.purchases="$file" -Dchurn.evaluation.cutoff="$cutoff" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "evaluation failed (above)" >&2
    exit 1
fi
sed -n '/^Churn risk on/,/^ROC AUC/p' "$log"
