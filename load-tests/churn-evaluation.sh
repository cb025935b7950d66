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
source load-tests/evaluation-lib.sh
run_evaluation ChurnEvaluationTest "Churn risk on" "ROC AUC" -Dchurn.evaluation.purchases="$file" -Dchurn.evaluation.cutoff="$cutoff"
