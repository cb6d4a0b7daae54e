#!/usr/bin/env bash
# Our server against the targets of issue #8, one scenario per target, with the server pinned to one
# core and the load generator to another. Not run by CI; needs a quiet machine with 2 cores and
# about 6 minutes (see benchmarks/README.md). Prints one table; the raw generator output and the
# server's GC log stay in WORK.
#
# Settings (environment): USERS (1000) accounts and sessions of the message and login scenarios,
# IDLE_USERS (19000) sessions of the idle scenario, DURATION (20) seconds measured per run, RATE
# (20000) messages/s of the fixed-rate scenario, ARCHIVE (0: XMPP_MODULES_DISABLED=mam; 1: every
# message archived in H2), SERVER_CPU (1) and GENERATOR_CPU (0), WORK (/tmp/xmpp-targets),
# BUILD (1; 0 uses the jars as they are), HEAP (1g) the server's -Xmx.
#
# The bundled server (embedded H2, STARTTLS with an ECDSA P-256 certificate, the key type of the
# self-signed one it makes and of certbot's default; compare.sh gives all three servers RSA-2048) serves
# every scenario but the idle one, which uses InMemoryServer: 19,000 accounts take minutes to derive
# keys for, and an idle session touches no storage.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${WORK:-/tmp/xmpp-targets}
USERS=${USERS:-1000}
IDLE_USERS=${IDLE_USERS:-19000}
DURATION=${DURATION:-20}
RATE=${RATE:-20000}
ARCHIVE=${ARCHIVE:-0}
SERVER_CPU=${SERVER_CPU:-1}
GENERATOR_CPU=${GENERATOR_CPU:-0}
BUILD=${BUILD:-1}
HEAP=${HEAP:-1g}
DOMAIN=localhost
PORT=16222   # below the ephemeral range (32768-60999), which the sessions use up
SERVER_JAR=$ROOT/xmpp-server/target/xmpp-server.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
SERVER_PID=""

log() { echo "targets: $*" >&2; }

cleanup() {
    [[ -z $SERVER_PID ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
}
trap cleanup EXIT

ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < IDLE_USERS + 500 )); then
    log "open-file limit $(ulimit -n) is too low for $IDLE_USERS sessions; lower IDLE_USERS"
    exit 1
fi
if (( BUILD )); then
    mvn -B -q -o -f "$ROOT/pom.xml" -DskipTests package -pl benchmarks,xmpp-server -am
fi
mkdir -p "$WORK/tls" "$WORK/results"
rm -f "$WORK"/results/*
if [[ ! -f $WORK/tls/cert.pem ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=$DOMAIN" \
        -addext "subjectAltName=DNS:$DOMAIN" \
        -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
fi
# Accounts once per WORK and USERS: deriving SCRAM keys costs ~10 ms per account.
if [[ ! -f $WORK/accounts-$USERS/mu-xmpp.mv.db ]]; then
    rm -rf "$WORK/accounts-$USERS"
    for ((i = 1; i <= USERS; i++)); do echo "load$i@$DOMAIN load-password"; done \
        | XMPP_DATA_DIR="$WORK/accounts-$USERS" XMPP_DOMAIN=$DOMAIN java -jar "$SERVER_JAR" adduser --bulk >&2
fi

await_port() {
    for ((i = 0; i < 120; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; see $WORK/server.log"; exit 1; }
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.5
    done
    log "nothing listens on $PORT"; exit 1
}

# start_server bundled|memory <name> [options file]: a fresh server with its GC log in
# $WORK/gc-<name>.log, run with the JVM flags of the options file (the README's recommended
# xmpp-server/jvm.options by default).
start_server() {
    local kind=$1 options=${3:-$ROOT/xmpp-server/jvm.options} modules=()
    (( ARCHIVE )) || modules=(XMPP_MODULES_DISABLED=mam)
    rm -rf "$WORK/data" && cp -r "$WORK/accounts-$USERS" "$WORK/data"
    # The heap bound from HEAP; gc+phases for ZGC, which logs its pauses there; each line stamped with
    # the wall clock in ms, which the generator's phase bounds (logins_to_ms, measured_to_ms) use too.
    local jvm=(java "@$options" "-Xmx$HEAP" "-Xlog:gc,gc+phases:file=$WORK/gc-$2.log:timemillis,uptime,level,tags")
    if [[ $kind == bundled ]]; then
        env -u XMPP_DATABASE_URL XMPP_DATA_DIR="$WORK/data" XMPP_DOMAIN=$DOMAIN XMPP_PORT=$PORT XMPP_TLS_PORT=off \
            XMPP_S2S_PORT=off XMPP_BIND=127.0.0.1 XMPP_ALLOW_PLAINTEXT_AUTH=true XMPP_SASL_PLAIN_WITH_SCRAM=true \
            XMPP_MAX_CONNECTIONS_PER_IP=1000000 XMPP_C2S_RATE_BYTES=1000000000 "${modules[@]}" \
            XMPP_CERT_FILE="$WORK/tls/cert.pem" XMPP_KEY_FILE="$WORK/tls/key.pem" \
            taskset -c "$SERVER_CPU" "${jvm[@]}" -jar "$SERVER_JAR" serve > "$WORK/server.log" 2>&1 &
    else
        XMPP_MAX_CONNECTIONS_PER_IP=1000000 XMPP_C2S_RATE_BYTES=1000000000 \
            taskset -c "$SERVER_CPU" "${jvm[@]}" -cp "$BENCH_JAR" dev.mu.xmpp.benchmarks.load.InMemoryServer \
            --port $PORT --domain $DOMAIN --users "$IDLE_USERS" --threads 1 > "$WORK/server.log" 2>&1 &
    fi
    SERVER_PID=$!
    await_port
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# generate <name> <generator options...>: one run; its RESULT line is kept in $WORK/results/<name>.txt.
generate() {
    local name=$1; shift
    log "$name"
    taskset -c "$GENERATOR_CPU" java "@$HERE/generator-jvm.options" -cp "$BENCH_JAR" dev.mu.xmpp.benchmarks.load.LoadGenerator \
        --host 127.0.0.1 --port $PORT --domain $DOMAIN --password load-password --server-pid "$SERVER_PID" \
        --login-timeout 300 "$@" > "$WORK/results/$name.txt" 2>&1 || true
    grep '^RESULT ' "$WORK/results/$name.txt" | tail -1 > "$WORK/results/$name.result" \
        || log "$name: no RESULT line; see $WORK/results/$name.txt"
}

start_server bundled messages
generate warmup --scenario max --users "$USERS" --warmup 10 --duration 10
generate max-tls --scenario max --users "$USERS" --warmup 5 --duration "$DURATION"
generate max-plain --scenario max --users "$USERS" --no-tls --warmup 5 --duration "$DURATION"
generate rate-tls --scenario chat --rate "$RATE" --users "$USERS" --warmup 10 --duration "$DURATION"
stop_server
# The same fixed rate with the flags for latency (ZGC), after the same warm-up.
start_server bundled latency "$ROOT/xmpp-server/jvm-latency.options"
generate latency-warmup --scenario max --users "$USERS" --warmup 10 --duration 10
generate rate-tls-zgc --scenario chat --rate "$RATE" --users "$USERS" --warmup 10 --duration "$DURATION"
stop_server
start_server bundled logins
generate login-warmup --scenario login --users "$USERS" --concurrency 50 --warmup 5 --duration 10
generate login-scram-tls --scenario login --users "$USERS" --concurrency 50 --warmup 2 --duration "$DURATION"
generate login-plain --scenario login --users "$USERS" --concurrency 50 --no-tls --mechanism PLAIN --warmup 2 \
    --duration "$DURATION"
stop_server
start_server memory idle
generate idle --scenario idle --users "$IDLE_USERS" --concurrency 200 --warmup 0 --duration "$DURATION"
stop_server

python3 - "$WORK" "$ARCHIVE" <<'EOF'
import re, sys
work, archive = sys.argv[1], sys.argv[2]
def result(name):
    try:
        line = open(f"{work}/results/{name}.result").read().split()
    except OSError:
        return {}
    return dict(kv.split("=", 1) for kv in line[1:] if "=" in kv)
def max_pause(log, run, start, end):
    # The longest pause logged between two of the run's wall-clock bounds. -Xlog lines carry the wall
    # clock in ms and end with the pause: "[12.3s][1795674606263ms]... Pause Young (Normal) ... 2.345ms"
    r = result(run)
    try:
        t0, t1 = int(r[start]), int(r[end])
        pauses = (float(m.group(2)) for l in open(log)
                  if (m := re.search(r"\[(\d+)ms\].*Pause.* ([0-9.]+)ms$", l)) and t0 <= int(m.group(1)) <= t1)
        return max(pauses, default=0.0)
    except (OSError, KeyError, ValueError):
        return None
rows = [
    ("CPU per routed message, STARTTLS", "≤ 20 µs", result("max-tls").get("server_cpu_us_per_msg"), "µs"),
    ("CPU per routed message, no TLS", "≤ 20 µs", result("max-plain").get("server_cpu_us_per_msg"), "µs"),
    ("messages/s sustained, STARTTLS", "≥ 40,000", result("max-tls").get("delivered_per_s"), "/s"),
    ("messages/s sustained, no TLS", "≥ 40,000", result("max-plain").get("delivered_per_s"), "/s"),
    ("at the fixed rate: delivered/s", "= rate", result("rate-tls").get("delivered_per_s"), "/s"),
    ("at the fixed rate: p50", "< 0.5 ms", result("rate-tls").get("latency_p50_ms"), "ms"),
    ("at the fixed rate: p99", "< 5 ms", result("rate-tls").get("latency_p99_ms"), "ms"),
    ("at the fixed rate: longest GC pause", "≤ 10 ms",
     max_pause(f"{work}/gc-messages.log", "rate-tls", "measured_from_ms", "measured_to_ms"), "ms"),
    ("longest GC pause from its logins to the measurement (copying the new sessions)", "",
     max_pause(f"{work}/gc-messages.log", "rate-tls", "logins_from_ms", "measured_from_ms"), "ms"),
    ("the same with jvm-latency.options (ZGC): p50", "< 0.5 ms", result("rate-tls-zgc").get("latency_p50_ms"), "ms"),
    ("the same with jvm-latency.options (ZGC): p99", "< 5 ms", result("rate-tls-zgc").get("latency_p99_ms"), "ms"),
    ("the same with jvm-latency.options (ZGC): longest GC pause", "≤ 10 ms",
     max_pause(f"{work}/gc-latency.log", "rate-tls-zgc", "measured_from_ms", "measured_to_ms"), "ms"),
    ("the same with jvm-latency.options (ZGC): from its logins to the measurement", "",
     max_pause(f"{work}/gc-latency.log", "rate-tls-zgc", "logins_from_ms", "measured_from_ms"), "ms"),
    ("live heap per idle session", "≤ 6 KB", result("idle").get("heap_per_session_bytes"), "B"),
    ("idle sessions online", "≥ 19,000", result("idle").get("online"), ""),
    ("RSS per idle session", "≤ 10 KB", result("idle").get("rss_per_session_kib"), "KiB"),
    ("CPU per PLAIN login, no TLS", "≤ 0.3 ms", result("login-plain").get("server_cpu_us_per_login"), "µs"),
    ("logins/s, STARTTLS + SCRAM-SHA-1", "≥ 1,500", result("login-scram-tls").get("logins_per_s"), "/s"),
    ("CPU per STARTTLS + SCRAM-SHA-1 login", "", result("login-scram-tls").get("server_cpu_us_per_login"), "µs"),
]
print(f"| target (archive {'on' if archive != '0' else 'off'}) | wanted | measured |")
print("| --- | --- | ---: |")
for what, wanted, value, unit in rows:
    shown = "–" if value is None else f"{float(value):,.2f} {unit}".strip()
    print(f"| {what} | {wanted} | {shown} |")
errors = {n: r.get("errors") for n in ("max-tls", "max-plain", "rate-tls", "rate-tls-zgc", "login-scram-tls",
                                      "login-plain", "idle")
          if (r := result(n)).get("errors", "0") != "0"}
if errors:
    print("\nRuns with errors: " + ", ".join(f"{n} errors={e}" for n, e in errors.items()))
EOF
