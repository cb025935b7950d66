# shellcheck shell=bash
# Sourced by the offline evaluations (recommendation-evaluation.sh, churn-evaluation.sh).

# run_evaluation TEST FIRST-LINE LAST-LINE -Dproperty=value...: runs TEST alone with the
# properties, against the PostgreSQL and Redis the test suite starts, and prints its report (the
# lines from the one starting FIRST-LINE to the one starting LAST-LINE); on failure, the log's end.
run_evaluation() {
    local test="$1" first="$2" last="$3"
    shift 3
    local log
    log="$(mktemp)"
    if ! ./mvnw -q ${MAVEN_OFFLINE:+-o} test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "$@" > "$log" 2>&1; then
        tail -n 60 "$log"
        rm -f "$log"
        echo "evaluation failed (above)" >&2
        return 1
    fi
    sed -n "/^$first/,/^$last/p" "$log"
    rm -f "$log"
}
