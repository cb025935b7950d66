# shellcheck shell=bash
# -------------------------------------------------------------------------------------------------
# load-tests/lib.sh: what benchmark.sh, crash-test.sh, database-restart-test.sh and gatling/run.sh
# share. Sourced, never run.
#
# Starts and stops, on 127.0.0.1 only and each bounded in time:
#   PostgreSQL  Debian's server binaries, initdb + pg_ctl as the postgres user (runuser), a fresh
#               data dir in the work dir, trust authentication, synchronous_commit=on,
#               max_connections=200, shared_buffers=256MB, timezone UTC, and the service's owner
#               and runtime roles                                               (pl_start_postgres)
#   Redis       redis-server --save "" --appendonly no --daemonize yes          (pl_start_redis)
#   Kafka       a single-node Kafka 4 (KRaft, broker and controller in one) as a child JVM on the
#               classpath of the service's test scope, which holds kafka_2.13   (pl_start_kafka)
#   the service java -jar target/quarkus-app/quarkus-run.jar, prod profile, built from the working
#               tree or from a `git archive` export of --ref                    (pl_build, pl_start_service)
# and seeds members through the API with parallel keep-alive curl processes   (pl_seed_members).
#
# Ports: 25432 PostgreSQL, 26379 Redis, 29092/29093 Kafka, 28090 the service, 29000 its management
# interface by default, all below Linux's ephemeral range. pl_resolve_ports settles them before
# anything starts (a port given with an option must be free; a taken default gives way to the
# next free port) and each pl_start_* probes its port again just before it starts the server.
# When a server fails to start, the error shows the last lines of its log     (pl_die_with_log).
#
# The caller sets these globals before calling (defaults below where they have one):
#   PL_NAME           prefix of error messages ("benchmark", "crash-test", ...)
#   HOST PORT MANAGEMENT_PORT PG_PORT REDIS_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT
#   REPO_DIR REF BUILD KEEP SEED_PARALLELISM
#   BENCH_ADMIN_KEY BENCH_AUTH_HEADER BENCH_JAVA_OPTS BENCH_WORK_DIR BENCH_BUILD_CACHE
#   BENCH_PG_CONF     extra postgresql.conf lines, e.g. "shared_preload_libraries = 'pg_stat_statements'"
# and the functions set WORK_DIR, PG_BIN, BUILD_DIR, JAR, REF_COMMIT, BASE_URL, MANAGEMENT_URL, SERVICE_PID,
# REDIS_PID, KAFKA_PID, KAFKA_BOOTSTRAP, MEMBERS_FILE, SEED_SECONDS.
#
# pl_install_traps installs an EXIT trap (pl_on_exit) that, whatever the outcome, calls the
# caller's `cleanup_hook` if it defines one, then stops the service, Kafka, Redis and PostgreSQL it
# started and deletes the data dirs (unless KEEP=1), and exits with the script's status.
# -------------------------------------------------------------------------------------------------

PL_NAME="${PL_NAME:-load-tests}"
# The broker's launcher, beside this file (pl_start_kafka).
PL_KAFKA_LAUNCHER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/kafka/KafkaConsoleLog.java"
HOST="${HOST:-127.0.0.1}"
# Default ports: one block below 32768, outside Linux's ephemeral range (ip_local_port_range,
# 32768-60999), from which the kernel picks the local port of every outgoing connection. A port in
# that range can be held by a client socket (a wrk or curl connection of the previous run, in
# TIME_WAIT for 60 s) and then refuses the server's bind. Away from the service's own defaults
# (8080, management 9000), Quarkus dev mode (8080, 5005) and the usual 5432/6379/9092, so that a
# development instance on the same machine is left alone. An empty PORT, MANAGEMENT_PORT, PG_PORT,
# REDIS_PORT or KAFKA_PORT (no option given) means the default, or the next free port after it
# (pl_resolve_ports); KAFKA_CONTROLLER_PORT is always KAFKA_PORT + 1.
declare -A PL_DEFAULT_PORTS=(
    [PORT]=28090              # the service's HTTP port                           --port
    [MANAGEMENT_PORT]=29000   # its management interface (health, metrics)       --management-port
    [PG_PORT]=25432           # PostgreSQL                                        --pg-port
    [REDIS_PORT]=26379        # Redis                                             --redis-port
    [KAFKA_PORT]=29092        # the Kafka broker; its controller on 29093         --kafka-port
)
PORT="${PORT:-}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-}"
PG_PORT="${PG_PORT:-}"
REDIS_PORT="${REDIS_PORT:-}"
KAFKA_PORT="${KAFKA_PORT:-}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-}"
BUILD="${BUILD:-0}"
REF="${REF:-}"
KEEP="${KEEP:-0}"
SEED_PARALLELISM="${SEED_PARALLELISM:-16}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-60}"
KAFKA_START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-90}"
pl_random_base64() {   # pl_random_base64 BYTES -> base64 of that many random bytes, on one line
    head -c "$1" /dev/urandom | base64 -w 0
}
# The production build refuses published keys (platform/ProductionSettings), so every run makes its
# own: an operator key of 48 characters and 32-byte PII keys, unless the caller sets them.
BENCH_ADMIN_KEY="${BENCH_ADMIN_KEY:-bench-$(head -c 21 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
BENCH_PII_ENCRYPTION_KEY="${BENCH_PII_ENCRYPTION_KEY:-$(pl_random_base64 32)}"
BENCH_PII_BLIND_INDEX_KEY="${BENCH_PII_BLIND_INDEX_KEY:-$(pl_random_base64 32)}"
# Every request authenticates as the program operator (no rate limit) unless told otherwise.
BENCH_AUTH_HEADER="${BENCH_AUTH_HEADER-Authorization: Bearer $BENCH_ADMIN_KEY}"

SERVICE_PID=""
PG_STARTED=0
REDIS_PID=""
KAFKA_PID=""
KAFKA_BOOTSTRAP=""
KAFKA_DIR=""
BUILD_DIR=""

pl_usage() {   # pl_usage SCRIPT -> its header comment, from line 3 to the closing dashes
    sed -n '3,/^# ----/p' "$1" | sed -e '$d' -e 's/^# \{0,1\}//'
}

die() {
    echo "$PL_NAME: error: $*" >&2
    exit 1
}

log() {
    echo "[$(date +%H:%M:%S)] $*" >&2
}

require_number() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive integer, got '$2'"
}

# ------------------------------------------------------------------------------ dependencies
find_pg_bin() {   # the bin dir of the highest PostgreSQL major version installed, if any
    local dir version best=0 found=""
    for dir in /usr/lib/postgresql/*/bin; do
        version="$(basename "$(dirname "$dir")")"
        [[ "$version" =~ ^[0-9]+$ && -x "$dir/pg_ctl" && -x "$dir/initdb" ]] || continue
        if (( version > best )); then best=$version; found=$dir; fi
    done
    [[ -z "$found" ]] || echo "$found"
}

# pl_install_missing COMMAND:PACKAGE... installs from Debian the packages whose command is missing,
# plus `postgresql` when no server binaries are installed; then sets PG_BIN and checks for java.
pl_install_missing() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [[ -n "$(find_pg_bin)" ]] || missing+=(postgresql)
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]} from Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        apt-get install -y --no-install-recommends "${missing[@]}" >&2
    fi
    PG_BIN="$(find_pg_bin)"
    [[ -n "$PG_BIN" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    command -v java >/dev/null 2>&1 || die "java (17+) is not on the PATH"
}

# pl_port_holder PORT -> nothing when HOST:PORT can be bound, else why not. The probe binds a
# listening socket with SO_REUSEADDR, as PostgreSQL, Redis, Kafka and Vert.x do, so it fails
# exactly when their bind would: a listener, or a client socket on that port (even one in
# TIME_WAIT), but not the TIME_WAIT left by a server of an earlier run. Without perl: a listener
# (ss), or a connect probe where ss is unavailable.
pl_port_holder() {
    local port="$1" error="" sockets
    if command -v perl >/dev/null 2>&1; then
        # shellcheck disable=SC2016  # perl's own variables
        error="$(perl -MIO::Socket::INET -e '
            IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => $ARGV[1], Proto => "tcp",
                                  Listen => 1, ReuseAddr => 1) or do { print "$!"; exit 1 }' \
            "$HOST" "$port" 2>&1)" && return 0
    elif command -v ss >/dev/null 2>&1; then
        ss -Htln "sport = :$port" 2>/dev/null | grep -q . || return 0
        error="a process listens on it"
    else
        (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null || return 0
        error="a process accepts connections on it"
    fi
    # What holds it: state, local and peer address, and the process when ss can tell (root).
    sockets="$(ss -Htanp "sport = :$port" 2>/dev/null \
        | awk '{ line = $1 " " $4 " -> " $5; if ($6 != "") line = line " " $6; print line }' | head -n 3 \
        | paste -sd ';' - | sed 's/;/; /g' || true)"
    echo "${error:-in use}${sockets:+ (${sockets})}"
}

# pl_require_port NAME PORT OPTION: dies, naming OPTION, unless HOST:PORT can be bound now.
pl_require_port() {
    local holder
    holder="$(pl_port_holder "$2")"
    [[ -z "$holder" ]] || die "port $2 on $HOST for $1 is taken: $holder; choose another with $3 P"
}

# pl_resolve_ports NAME:VARIABLE:OPTION[:WIDTH]...: settles each port before anything starts. A
# port given with its OPTION (VARIABLE set) must be free, or the script dies naming OPTION. An
# unset one gets PL_DEFAULT_PORTS[VARIABLE], or, when that is taken (another run, another program, a
# client socket), the next port after it that is free, below 32768 (logged). WIDTH ports from the
# port on must be free (2 for Kafka: broker and controller). No two ports may coincide.
pl_resolve_ports() {
    local spec name variable option width port p holder default pass taken=" " ok
    for pass in given default; do
        for spec in "$@"; do
            IFS=: read -r name variable option width <<<"$spec"
            width="${width:-1}"
            port="${!variable}"
            if [[ $pass == given && -n "$port" ]]; then
                for (( p = port; p < port + width; p++ )); do
                    [[ "$taken" != *" $p "* ]] || die "port $p for $name is already given to another server; choose another with $option P"
                    pl_require_port "$name" "$p" "$option"
                    taken+="$p "
                done
            elif [[ $pass == default && -z "$port" ]]; then
                default="${PL_DEFAULT_PORTS[$variable]}"
                for (( port = default; port + width <= 32768; port += width )); do
                    ok=1
                    for (( p = port; p < port + width; p++ )); do
                        if [[ "$taken" == *" $p "* ]]; then ok=0; break; fi
                        holder="$(pl_port_holder "$p")"
                        if [[ -n "$holder" ]]; then
                            log "$name: port $p on $HOST is taken: $holder"
                            ok=0
                            break
                        fi
                    done
                    [[ $ok -eq 0 ]] || break
                    (( port - default < 100 )) || die "no free port for $name in $default-$((default + 99)); choose one with $option P"
                done
                (( port + width <= 32768 )) || die "no free port for $name from $default up; choose one with $option P"
                [[ $port -eq $default ]] || log "$name: using port $port instead of $default (set $option to choose)"
                printf -v "$variable" '%s' "$port"
                for (( p = port; p < port + width; p++ )); do taken+="$p "; done
            fi
        done
    done
}

# pl_die_with_log FILE MESSAGE: prints the last 30 lines of FILE (a server's log) and dies.
pl_die_with_log() {
    if [[ -s "$1" ]]; then
        echo "---- the last 30 lines of $1:" >&2
        tail -n 30 "$1" >&2
        echo "----" >&2
    else
        echo "---- $1 is empty" >&2
    fi
    die "$2 (log: $1)"
}

# ------------------------------------------------------------------------------ work dir, cleanup
pl_make_work_dir() {   # pl_make_work_dir PREFIX -> WORK_DIR (BENCH_WORK_DIR or a new /tmp/PREFIX.XXXXXX)
    if [[ -n "${BENCH_WORK_DIR:-}" ]]; then
        WORK_DIR="$BENCH_WORK_DIR"
        mkdir -p "$WORK_DIR"
    else
        WORK_DIR="$(mktemp -d "/tmp/$1.XXXXXX")"
    fi
    WORK_DIR="$(cd "$WORK_DIR" && pwd)"
    chmod 0755 "$WORK_DIR"   # the postgres user must reach its data dir inside
    PG_DATA="$WORK_DIR/pgdata"
    PG_SOCKET_DIR="$WORK_DIR/pgsocket"
    PG_LOG="$WORK_DIR/postgres.log"
    REDIS_PID_FILE="$WORK_DIR/redis.pid"
    REDIS_LOG="$WORK_DIR/redis.log"
    MEMBERS_FILE="$WORK_DIR/members.txt"
}

pl_on_exit() {
    local status=$?
    trap - EXIT INT TERM
    set +e
    if declare -F cleanup_hook >/dev/null; then cleanup_hook; fi
    pl_stop_service
    pl_stop_kafka
    if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        log "stopping Redis (pid $REDIS_PID)"
        kill -TERM "$REDIS_PID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ $PG_STARTED -eq 1 ]]; then
        log "stopping PostgreSQL"
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1
    fi
    if [[ $KEEP -eq 0 ]]; then
        [[ -z "${PG_DATA:-}" || ! -f "$PG_DATA/PG_VERSION" ]] || rm -rf -- "$PG_DATA"
        [[ -z "$KAFKA_DIR" || ! -f "$KAFKA_DIR/server.properties" ]] || rm -rf -- "$KAFKA_DIR/data"
        # A --ref export is removed unless it lives in the BENCH_BUILD_CACHE.
        if [[ -n "$REF" && -n "$BUILD_DIR" && "$BUILD_DIR" != "$REPO_DIR" && "$BUILD_DIR" == "${WORK_DIR:-/nonexistent}/"* ]]; then
            rm -rf -- "$BUILD_DIR"
        fi
    fi
    [[ -z "${WORK_DIR:-}" ]] || log "logs: $WORK_DIR"
    exit "$status"
}

pl_install_traps() {
    trap pl_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# ------------------------------------------------------------------------------ PostgreSQL, Redis
pl_start_postgres() {
    if [[ -e "$PG_DATA" ]]; then
        [[ -f "$PG_DATA/PG_VERSION" ]] || die "$PG_DATA exists and is not a PostgreSQL data dir"
        rm -rf -- "$PG_DATA"
    fi
    mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
    chown postgres:postgres "$PG_DATA" "$PG_SOCKET_DIR"
    chmod 0700 "$PG_DATA"
    touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
    log "initdb $PG_DATA ($PG_BIN)"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=trust >"$WORK_DIR/initdb.log" 2>&1 \
        || pl_die_with_log "$WORK_DIR/initdb.log" "initdb failed"
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# load-tests/lib.sh ($PL_NAME)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
synchronous_commit = on
max_connections = 200
shared_buffers = 256MB
timezone = 'UTC'
${BENCH_PG_CONF:-}
EOF
    pl_require_port PostgreSQL "$PG_PORT" --pg-port
    log "starting PostgreSQL on $HOST:$PG_PORT"
    PG_STARTED=1
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
        || pl_die_with_log "$PG_LOG" "PostgreSQL did not start on $HOST:$PG_PORT"
    # psql over TCP, like the service; trust authentication on 127.0.0.1.
    PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres -d postgres)
    pl_create_database_roles
}

# The service's two roles, as in production (README, "Database roles"): Flyway migrates as the
# owner of the database, the service runs as the runtime role that V12 grants. Trust
# authentication ignores the passwords; the service requires a migration password all the same.
PL_DB_OWNER="points_ledger_owner"
PL_DB_OWNER_PASSWORD="bench-owner-password"
PL_DB_RUNTIME="points_ledger_runtime"
PL_DB_RUNTIME_PASSWORD="bench-runtime-password"

pl_create_database_roles() {
    log "creating the roles $PL_DB_OWNER (owns database postgres) and $PL_DB_RUNTIME"
    timeout 60 "${PSQL[@]}" <<SQL || die "cannot create the database roles"
CREATE ROLE $PL_DB_OWNER LOGIN PASSWORD '$PL_DB_OWNER_PASSWORD';
CREATE ROLE $PL_DB_RUNTIME LOGIN PASSWORD '$PL_DB_RUNTIME_PASSWORD';
ALTER DATABASE postgres OWNER TO $PL_DB_OWNER;
SQL
}

pl_sql() {   # pl_sql SQL -> the rows it selects, unaligned, | between columns (bounded: 300 s)
    timeout 300 "${PSQL[@]}" -A -t -c "$1"
}

# pl_start_redis: daemonized; waits up to 10 s for its pid file and for HOST:REDIS_PORT to accept
# a connection. A daemonized redis-server that cannot bind exits after the fork, with its error
# only in its log file.
pl_start_redis() {
    pl_require_port Redis "$REDIS_PORT" --redis-port
    log "starting Redis on $HOST:$REDIS_PORT"
    rm -f -- "$REDIS_PID_FILE"
    redis-server --bind "$HOST" --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
        --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" --dir "$WORK_DIR" \
        || pl_die_with_log "$REDIS_LOG" "redis-server did not start"
    for _ in $(seq 1 100); do
        if [[ -s "$REDIS_PID_FILE" ]]; then
            REDIS_PID="$(cat "$REDIS_PID_FILE")"
            kill -0 "$REDIS_PID" 2>/dev/null || pl_die_with_log "$REDIS_LOG" "Redis (pid $REDIS_PID) exited during startup"
            if (exec 3<>"/dev/tcp/$HOST/$REDIS_PORT") 2>/dev/null; then return 0; fi
        fi
        sleep 0.1
    done
    [[ -s "$REDIS_PID_FILE" ]] || pl_die_with_log "$REDIS_LOG" "Redis wrote no pid file within 10 s"
    pl_die_with_log "$REDIS_LOG" "Redis does not accept connections on $HOST:$REDIS_PORT after 10 s"
}

# ------------------------------------------------------------------------------ build
# pl_build: sets BUILD_DIR and JAR. Without REF: the working tree's jar, built when missing or
# BUILD=1. With REF: `git archive` of that commit into BENCH_BUILD_CACHE/build-<commit> (kept) or
# WORK_DIR/build-<commit> (removed on exit unless KEEP=1), built there when its jar is missing.
pl_build() {
    BUILD_DIR="$REPO_DIR"
    JAR="$REPO_DIR/target/quarkus-app/quarkus-run.jar"
    if [[ -n "$REF" ]]; then
        REF_COMMIT="$(git -C "$REPO_DIR" rev-parse --verify --short "$REF^{commit}")" || die "no commit '$REF'"
        if [[ -n "${BENCH_BUILD_CACHE:-}" ]]; then
            mkdir -p "$BENCH_BUILD_CACHE"
            BUILD_DIR="$(cd "$BENCH_BUILD_CACHE" && pwd)/build-$REF_COMMIT"
        else
            BUILD_DIR="$WORK_DIR/build-$REF_COMMIT"
        fi
        JAR="$BUILD_DIR/target/quarkus-app/quarkus-run.jar"
        if [[ ! -f "$JAR" || $BUILD -eq 1 ]]; then
            log "exporting $REF ($REF_COMMIT) to $BUILD_DIR"
            rm -rf -- "$BUILD_DIR"
            mkdir -p "$BUILD_DIR"
            git -C "$REPO_DIR" archive --format=tar "$REF_COMMIT" | tar -x -C "$BUILD_DIR"
            BUILD=1
        else
            log "using the existing build of $REF ($REF_COMMIT) in $BUILD_DIR"
        fi
    fi
    if [[ $BUILD -eq 1 || ! -f "$JAR" ]]; then
        log "building: ./mvnw -B -q package -DskipTests (in $BUILD_DIR)"
        (cd "$BUILD_DIR" && timeout 1800 ./mvnw -B -q package -DskipTests) >&2 || die "the build failed"
    fi
    [[ -f "$JAR" ]] || die "$JAR is missing after the build"
}

pl_commit_text() {   # what was measured: the --ref commit, or HEAD and whether src/ was dirty
    local commit
    if [[ -n "$REF" ]]; then
        echo "$REF_COMMIT (--ref $REF, built from a clean export)"
    else
        commit="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        if [[ -n "$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null)" ]]; then
            commit="$commit (working tree, with uncommitted changes in src/ or pom.xml)"
        fi
        echo "$commit"
    fi
}

# ------------------------------------------------------------------------------ Kafka
# pl_kafka_classpath -> KAFKA_CLASSPATH: the test-scope classpath of the build's pom (which holds
# org.apache.kafka:kafka_2.13 and its dependencies), made once with
#   ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=FILE
# in BUILD_DIR and kept next to the --ref export (or in the work dir for the working tree).
pl_kafka_classpath() {
    local file
    if [[ "$BUILD_DIR" != "$REPO_DIR" ]]; then file="$BUILD_DIR/target/kafka-classpath.txt"; else file="$WORK_DIR/kafka-classpath.txt"; fi
    if [[ -s "$file" ]] && tr ':' '\n' <"$file" | while read -r entry || [[ -n "$entry" ]]; do [[ -e "$entry" ]] || exit 1; done; then
        KAFKA_CLASSPATH="$(cat "$file")"
    else
        log "resolving the test-scope classpath for Kafka (./mvnw dependency:build-classpath in $BUILD_DIR)"
        mkdir -p "$(dirname "$file")"
        (cd "$BUILD_DIR" && timeout 900 ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$file") >"$WORK_DIR/kafka-classpath.log" 2>&1 \
            || pl_die_with_log "$WORK_DIR/kafka-classpath.log" "cannot resolve the test classpath for Kafka"
        KAFKA_CLASSPATH="$(cat "$file")"
    fi
    [[ "$KAFKA_CLASSPATH" == *kafka_2.13-* ]] || die "the test classpath ($file) has no kafka_2.13 jar"
}

# pl_start_kafka: formats a fresh KRaft storage dir in WORK_DIR/kafka and starts the broker
# (kafka.Kafka server.properties, -Xmx512m, its log in WORK_DIR/kafka/broker.log) on
# HOST:KAFKA_PORT, controller on KAFKA_CONTROLLER_PORT; waits up to KAFKA_START_TIMEOUT_S for its
# "Kafka Server started" and its port, and dies with the tail of broker.log if the broker exits
# first. Sets KAFKA_BOOTSTRAP.
pl_start_kafka() {
    pl_kafka_classpath
    KAFKA_DIR="$WORK_DIR/kafka"
    rm -rf -- "$KAFKA_DIR"
    mkdir -p "$KAFKA_DIR"
    # The server.properties of src/test/java/io/pointsledger/support/KafkaProcess.java.
    cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
    # The test classpath routes Kafka's slf4j logging to JBoss LogManager, whose root logger
    # Quarkus's initial configurator gives a handler that only buffers until a Quarkus application
    # configures logging: kafka.Kafka alone would log nothing, not even the fatal error it exits
    # with. KafkaConsoleLog (load-tests/kafka/, run as a single source file) replaces that handler with one
    # that writes INFO and above to stderr, i.e. broker.log, then calls kafka.Kafka.main. Setting
    # the log manager property avoids its "LogManager accessed before ..." complaint.
    # shellcheck disable=SC2016  # the format's $ are java.util.Formatter's
    KAFKA_JAVA=(java -Xmx512m -Xms128m -Djava.util.logging.manager=org.jboss.logmanager.LogManager
        '-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT,%1$tL %4$s [%3$s] %5$s%6$s%n'
        -cp "$KAFKA_CLASSPATH")
    local cluster_id
    cluster_id="$(cd "$KAFKA_DIR" && timeout 120 "${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>"$KAFKA_DIR/format.log" | tail -n 1)"
    [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || pl_die_with_log "$KAFKA_DIR/format.log" "kafka.tools.StorageTool random-uuid printed '$cluster_id'"
    log "formatting Kafka storage (cluster $cluster_id) in $KAFKA_DIR"
    (cd "$KAFKA_DIR" && timeout 120 "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
        -c "$KAFKA_DIR/server.properties") >>"$KAFKA_DIR/format.log" 2>&1 \
        || pl_die_with_log "$KAFKA_DIR/format.log" "Kafka storage format failed"
    log "starting Kafka (KRaft broker+controller) on $HOST:$KAFKA_PORT"
    pl_require_port Kafka "$KAFKA_PORT" --kafka-port
    pl_require_port "Kafka controller" "$KAFKA_CONTROLLER_PORT" "--kafka-port (the controller uses P+1)"
    (cd "$KAFKA_DIR" && exec "${KAFKA_JAVA[@]}" "$PL_KAFKA_LAUNCHER" "$KAFKA_DIR/server.properties") \
        >"$KAFKA_DIR/broker.log" 2>&1 </dev/null &
    KAFKA_PID=$!
    local deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT_S )) kafka_status=0
    # Ready once it logged that it started and its port accepts connections (the port alone could
    # be another program's that took it after the probe).
    until grep -q 'Kafka Server started' "$KAFKA_DIR/broker.log" && (exec 3<>"/dev/tcp/$HOST/$KAFKA_PORT") 2>/dev/null; do
        if ! kill -0 "$KAFKA_PID" 2>/dev/null; then
            wait "$KAFKA_PID" || kafka_status=$?
            KAFKA_PID=""
            pl_die_with_log "$KAFKA_DIR/broker.log" "Kafka exited during startup with status $kafka_status"
        fi
        (( $(date +%s) <= deadline )) \
            || pl_die_with_log "$KAFKA_DIR/broker.log" "Kafka was not ready on $HOST:$KAFKA_PORT within ${KAFKA_START_TIMEOUT_S}s"
        sleep 0.5
    done
    KAFKA_BOOTSTRAP="$HOST:$KAFKA_PORT"
    log "Kafka ready (pid $KAFKA_PID)"
}

pl_stop_kafka() {
    if [[ -n "$KAFKA_PID" ]] && kill -0 "$KAFKA_PID" 2>/dev/null; then
        log "stopping Kafka (pid $KAFKA_PID)"
        kill -TERM "$KAFKA_PID" 2>/dev/null
        for _ in $(seq 1 150); do kill -0 "$KAFKA_PID" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$KAFKA_PID" 2>/dev/null; then kill -KILL "$KAFKA_PID" 2>/dev/null || true; fi
        wait "$KAFKA_PID" 2>/dev/null || true
    fi
    KAFKA_PID=""
    return 0
}

# ------------------------------------------------------------------------------ the service
# pl_start_service LOG [JVM option...]: starts the jar on HOST:PORT, its management interface on
# HOST:MANAGEMENT_PORT, with the prod profile's environment (and KAFKA_BOOTSTRAP_SERVERS when Kafka
# runs) and waits up to READY_TIMEOUT_S for GET /q/health/ready to answer 200 (or, without Kafka,
# 503 with only the messaging check DOWN). Builds from before the management interface serve /q/*
# on PORT: MANAGEMENT_URL is then BASE_URL. Sets SERVICE_PID, BASE_URL, MANAGEMENT_URL and
# SERVICE_READINESS.
pl_start_service() {
    local service_log="$1"; shift
    pl_require_port service "$PORT" --port
    pl_require_port "the service's management interface" "$MANAGEMENT_PORT" --management-port
    BASE_URL="http://$HOST:$PORT"
    MANAGEMENT_URL="http://$HOST:$MANAGEMENT_PORT"
    local kafka_env=()
    [[ -z "$KAFKA_BOOTSTRAP" ]] || kafka_env=(KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP")
    log "starting the service on $BASE_URL ($JAR${KAFKA_BOOTSTRAP:+, Kafka $KAFKA_BOOTSTRAP}${*:+, $*})"
    # A build from before the two roles (its jar holds no V12 grants) migrates and runs as its
    # only user, which must then be the owner. Zip entry names are stored uncompressed.
    local runtime_user="$PL_DB_RUNTIME" runtime_password="$PL_DB_RUNTIME_PASSWORD"
    if ! grep -qa "db/migration/V12__runtime_role_grants.sql" "$(dirname "$JAR")"/app/*.jar; then
        runtime_user="$PL_DB_OWNER"; runtime_password="$PL_DB_OWNER_PASSWORD"
    fi
    # shellcheck disable=SC2086  # BENCH_JAVA_OPTS is a list of options
    env POINTS_LEDGER_DB="$HOST:$PG_PORT/postgres" \
        POINTS_LEDGER_DB_USER="$runtime_user" \
        POINTS_LEDGER_DB_PASSWORD="$runtime_password" \
        POINTS_LEDGER_DB_MIGRATION_USER="$PL_DB_OWNER" \
        POINTS_LEDGER_DB_MIGRATION_PASSWORD="$PL_DB_OWNER_PASSWORD" \
        POINTS_LEDGER_DB_SSL_MODE=disable \
        POINTS_LEDGER_REDIS="redis://$HOST:$REDIS_PORT" \
        POINTS_LEDGER_ADMIN_KEY="$BENCH_ADMIN_KEY" \
        POINTS_LEDGER_PII_ENCRYPTION_KEYS="bench1:$BENCH_PII_ENCRYPTION_KEY" \
        POINTS_LEDGER_PII_ACTIVE_KEY_ID=bench1 \
        POINTS_LEDGER_PII_BLIND_INDEX_KEY="$BENCH_PII_BLIND_INDEX_KEY" \
        "${kafka_env[@]}" \
        java ${BENCH_JAVA_OPTS:-} "$@" -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$PORT" \
        -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$MANAGEMENT_PORT" \
        -jar "$JAR" >"$service_log" 2>&1 </dev/null &
    SERVICE_PID=$!
    local ready=0 answer code
    SERVICE_READINESS="UP"
    for _ in $(seq 1 $(( READY_TIMEOUT_S * 2 ))); do   # every 0.5 s
        kill -0 "$SERVICE_PID" 2>/dev/null || break
        answer="$(curl -s -w '\n%{http_code}' --max-time 2 "$MANAGEMENT_URL/q/health/ready" || true)"
        code="${answer##*$'\n'}"
        if [[ "$code" == "000" ]] && curl -sf -o /dev/null --max-time 2 "$BASE_URL/q/health/live"; then
            MANAGEMENT_URL="$BASE_URL"   # an older build: no management interface
            continue
        fi
        if [[ "$code" == "200" ]]; then ready=1; break; fi
        # Builds before 849cecf never report ready without a broker: SmallRye Reactive Messaging's
        # readiness check stays DOWN (ledger-events [KO]). Accept that one check when no Kafka was
        # started, as long as every other check (PostgreSQL, Redis) is UP.
        if [[ -z "$KAFKA_BOOTSTRAP" && "$code" == "503" ]] && jq -e '
                ([.checks[] | select(.name | test("Reactive Messaging")) | .status] | length > 0) and
                ([.checks[] | select(.name | test("Reactive Messaging") | not) | .status] | all(. == "UP"))' \
                >/dev/null 2>&1 <<<"${answer%$'\n'*}"; then
            SERVICE_READINESS="DOWN only for the messaging readiness check (no broker); every other check UP"
            ready=1
            break
        fi
        sleep 0.5
    done
    if [[ $ready -ne 1 ]]; then
        if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
            local service_status=0
            wait "$SERVICE_PID" || service_status=$?
            SERVICE_PID=""
            pl_die_with_log "$service_log" "the service exited during startup with status $service_status"
        fi
        pl_die_with_log "$service_log" "the service did not become ready within ${READY_TIMEOUT_S} s"
    fi
    log "service ready (pid $SERVICE_PID): $MANAGEMENT_URL/q/health/ready $SERVICE_READINESS"
}

pl_stop_service() {   # SIGTERM, then SIGKILL after 20 s
    if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        log "stopping the service (pid $SERVICE_PID)"
        kill -TERM "$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$SERVICE_PID" 2>/dev/null; then
            log "the service did not stop within 20 s of SIGTERM: SIGKILL"
            kill -KILL "$SERVICE_PID" 2>/dev/null || true
        fi
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    SERVICE_PID=""
    return 0
}

pl_auth_args() {   # -> AUTH_ARGS: curl arguments for BENCH_AUTH_HEADER (none when it is empty)
    AUTH_ARGS=()
    [[ -z "${BENCH_AUTH_HEADER:-}" ]] || AUTH_ARGS=(-H "$BENCH_AUTH_HEADER")
}

pl_metric() {   # pl_metric NAME -> the value of an unlabelled gauge in GET /q/metrics, or empty
    curl -s --max-time 5 "$MANAGEMENT_URL/q/metrics" 2>/dev/null | awk -v name="$1" '$1 == name { print $2; exit }' || true
}

# ------------------------------------------------------------------------------ seeding
# Seeding runs SEED_PARALLELISM curl processes, each sending its share of the requests one after
# another over one keep-alive connection (curl config files with one block per request, joined by
# "next"), so that it neither forks a process nor opens a connection per request.

# write_curl_configs PREFIX: reads "url<TAB>idempotency key or -<TAB>body<TAB>write-out" lines
# on stdin and spreads them over SEED_PARALLELISM curl config files PREFIX-NNN.curl.
write_curl_configs() {
    awk -F '\t' -v p="$SEED_PARALLELISM" -v prefix="$1" -v auth="${BENCH_AUTH_HEADER:-}" '
        function quoted(text) { gsub(/\\/, "\\\\", text); gsub(/"/, "\\\"", text); return "\"" text "\"" }
        {
            file = sprintf("%s-%03d.curl", prefix, (NR - 1) % p)
            if (file in used) print "next" > file
            used[file] = 1
            print "url = " quoted($1) > file
            print "request = \"POST\"" > file
            print "header = \"Content-Type: application/json\"" > file
            if ($2 != "-") print "header = " quoted("Idempotency-Key: " $2) > file
            if (auth != "") print "header = " quoted(auth) > file
            print "data = " quoted($3) > file
            print "write-out = " quoted($4) > file
            print "silent\nshow-error\nmax-time = 30" > file
        }'
}

run_curl_configs() {   # run_curl_configs PREFIX -> every response on stdout
    # Each curl writes to its own file: parallel writers to one pipe could interleave mid-line.
    local status=0
    # shellcheck disable=SC2016  # $1 is expanded by sh -c, not here
    printf '%s\0' "$1"-*.curl | xargs -0 -P "$SEED_PARALLELISM" -I{} sh -c 'curl -K "$1" >"$1.out"' sh {} \
        || status=$?
    cat "$1"-*.curl.out
    return "$status"
}

# pl_seed_members N [FILE]: enrols N members through the API ({"name":"Bench i","channel":"ONLINE"})
# and earns USD 10 000.00 (10 000 points at the BASIC rate) for each; every enrolment must answer
# 201 with a memberId and every earn 201. The ids go to FILE (default MEMBERS_FILE), one a line.
# Sets SEED_SECONDS.
pl_seed_members() {
    local members="$1" file="${2:-$MEMBERS_FILE}" seed_dir="$WORK_DIR/seed" seed_start enrolled earn_codes earned
    local run_id="${RUN_ID:-$(date -u +%Y%m%d%H%M%S)-$$}"
    rm -rf -- "$seed_dir"
    mkdir -p "$seed_dir"
    log "enrolling $members members ($SEED_PARALLELISM keep-alive connections)"
    seed_start=$(date +%s.%N)
    for i in $(seq 1 "$members"); do
        printf '%s\t-\t{"name":"Bench %d","channel":"ONLINE"}\t\\n\n' "$BASE_URL/v1/members" "$i"
    done | write_curl_configs "$seed_dir/enroll"
    { run_curl_configs "$seed_dir/enroll" || true; } \
        | { grep -o '"memberId":"[0-9a-fA-F-]\{36\}"' || true; } | cut -d'"' -f4 >"$file"
    enrolled=$(wc -l <"$file")
    [[ "$enrolled" -eq "$members" ]] || die "enrolled $enrolled of $members members (see the service log)"

    log "earning 10000 points for each member"
    local earn_seed_body='{"orderId":"seed-1","amount":{"value":1000000,"currency":"USD"},"channel":"POS"}'
    while read -r member; do
        printf '%s\t%s\t%s\t%s\n' "$BASE_URL/v1/members/$member/earn" "seed-$run_id-$member" \
            "$earn_seed_body" '%{http_code}\n'
    done <"$file" | write_curl_configs "$seed_dir/earn"
    # -o /dev/null for every request: "output" is per URL in a config, so add it to each block.
    sed -i 's|^url = .*|&\noutput = "/dev/null"|' "$seed_dir"/earn-*.curl
    earn_codes="$(run_curl_configs "$seed_dir/earn" || true)"
    earned=$(grep -c '^201$' <<<"$earn_codes" || true)
    if [[ "$earned" -ne "$members" ]]; then
        sort <<<"$earn_codes" | uniq -c >&2
        die "seed earn: $earned of $members answered 201 (see the service log)"
    fi
    SEED_SECONDS=$(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    log "seeded $members members in ${SEED_SECONDS}s"
}

# pl_seed_members_sql N [FILE]: the state pl_seed_members leaves (N members, each with one EARN of
# USD 10 000.00 = 10 000 points in a lot expiring in 12 months), written straight into PostgreSQL
# in one transaction, for member counts the API would take an hour to enrol (1 000 000 in about a
# minute). The ledger reconciles afterwards; no events are written, so tiers and recommendations
# do not see the seed purchases, and no balance is cached until it is read or written. The ids go
# to FILE (default MEMBERS_FILE). Needs the service's schema (start the service first). Sets
# SEED_SECONDS.
pl_seed_members_sql() {
    local members="$1" file="${2:-$MEMBERS_FILE}" seed_start
    log "inserting $members members with 10000 points each straight into PostgreSQL"
    seed_start=$(date +%s.%N)
    timeout 1800 "${PSQL[@]}" >/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE seed ON COMMIT DROP AS
    SELECT i, gen_random_uuid() AS member_id, gen_random_uuid() AS transfer_id FROM generate_series(1, $members) i;
INSERT INTO members (member_id, name, enrollment_channel) SELECT member_id, 'Bench ' || i, 'ONLINE' FROM seed;
INSERT INTO member_accounts (member_id, posted, version) SELECT member_id, 10000, 1 FROM seed;
INSERT INTO transfers (transfer_id, kind, member_id, points, posted_delta, held_delta, partner_id, channel, order_id,
                       amount_minor_units, currency, occurred_at, metadata)
SELECT transfer_id, 'EARN', member_id, 10000, 10000, 0, 'operator', 'POS', 'seed-1', 1000000, 'USD', now(),
       '{"items": []}'::jsonb
  FROM seed ORDER BY i;
INSERT INTO point_lots (member_id, source_transfer_id, expires_at, remaining, credited)
SELECT member_id, transfer_id, now() + interval '12 months', 10000, 10000 FROM seed ORDER BY i;
\copy (SELECT member_id FROM seed ORDER BY i) TO '$file'
COMMIT;
ANALYZE;
SQL
    [[ "$(wc -l <"$file")" -eq "$members" ]] || die "seeded $(wc -l <"$file") of $members members in PostgreSQL"
    SEED_SECONDS=$(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    log "seeded $members members in ${SEED_SECONDS}s"
}

# ------------------------------------------------------------------------------ machine
pl_cpu_model() {
    # No early exit in these pipelines: a SIGPIPE upstream would fail them under pipefail.
    lscpu 2>/dev/null | awk -F: '/^Model name/ && !seen { sub(/^[ \t]+/, "", $2); print $2; seen = 1 }' || true
}

pl_mem_total() {
    awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo
}
