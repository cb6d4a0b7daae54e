#!/usr/bin/env bash
# Side by side: our server, Prosody and ejabberd under the same load, on loopback, each server
# pinned to its own core and the load generator to another. Not run by CI; needs root (apt-get, and
# Prosody and ejabberd run as their own users), a quiet machine with at least 2 cores, and about
# 25-35 minutes with the defaults (see benchmarks/README.md).
#
#   benchmarks/compare.sh              install, configure, run everything, update RESULTS.md
#   benchmarks/compare.sh --dry-run    write the configurations and print the commands only
#
# Settings (environment): USERS (1000) accounts and sessions per run, IDLE_USERS ($USERS) sessions
# of the idle scenario, RUNS (3) runs per scenario and server, DURATION (20) seconds measured per
# run, CHAT_RATE (5000) messages/s of the steady-chat scenario, SERVERS ("ours prosody ejabberd"),
# TLS (1: STARTTLS; 0: no TLS), MECHANISM (SCRAM-SHA-1; or SCRAM-SHA-256, PLAIN), SERVER_CPU (1)
# and GENERATOR_CPU (0) the cores, ARCHIVE (1: all three archive every message; 0: none does), WORK (/tmp/xmpp-compare) for configurations, data, logs and raw
# results, BUILD (1; 0 uses the jars as they are), RESULTS_MD (benchmarks/RESULTS.md) the file
# whose "Side by side" section is replaced.
#
# What is compared: every scenario of dev.mu.xmpp.benchmarks.load.LoadGenerator (login storm, idle
# sessions, steady chat, maximum throughput) against each server in turn, RUNS times; the medians
# of the figures the generator prints, including server CPU per delivered message and per login
# (utime+stime from /proc/<pid>/stat) and RSS per idle session (VmRSS from /proc/<pid>/status),
# and their ratios to ours, go to the "Side by side" section of RESULTS_MD.
#
# With ARCHIVE=1 all three archive every message (XEP-0313, our default): mod_mam is enabled for
# Prosody and ejabberd with archiving on by default, so that each server does the same work per
# message. With ARCHIVE=0 none archives (ours with XMPP_MODULES_DISABLED=mam, the others without
# mod_mam): routing alone. Each uses its default storage (ours: embedded H2; Prosody: internal
# files; ejabberd: Mnesia); each ARCHIVE setting has its own section in RESULTS_MD. None has
# a traffic shaper or connection limit in the way: the generator's sessions all come from 127.0.0.1.
#
# Every invocation starts from empty server data and an empty results directory. Whatever happens,
# the servers are stopped on exit and the script checks that nothing listens on its ports.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${WORK:-/tmp/xmpp-compare}
DOMAIN=${DOMAIN:-bench.localhost}
USERS=${USERS:-1000}
IDLE_USERS=${IDLE_USERS:-$USERS}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
CHAT_RATE=${CHAT_RATE:-5000}
SERVERS=${SERVERS:-"ours prosody ejabberd"}
TLS=${TLS:-1}
MECHANISM=${MECHANISM:-SCRAM-SHA-1}
ARCHIVE=${ARCHIVE:-1}
SERVER_CPU=${SERVER_CPU:-1}
GENERATOR_CPU=${GENERATOR_CPU:-0}
BUILD=${BUILD:-1}
RESULTS_MD=${RESULTS_MD:-$HERE/RESULTS.md}
PREFIX=load
PASSWORD=load-password
DRY_RUN=0
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=1

# Below the ephemeral range (32768-60999), which thousands of sessions use up.
declare -A PORT=([ours]=15222 [prosody]=25222 [ejabberd]=26222)
# ejabberdctl reaches the node over Erlang distribution on this port (loopback), instead of epmd.
EJABBERD_DIST_PORT=26999
SERVER_JAR=$ROOT/xmpp-server/target/xmpp-server.jar
# The main README's recommended flags.
OURS_JVM=("@$ROOT/xmpp-server/jvm.options")
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar

run() {
    if (( DRY_RUN )); then echo "+ $*"; else "$@"; fi
}

log() { echo "compare: $*" >&2; }

if (( IDLE_USERS < USERS )); then
    log "IDLE_USERS ($IDLE_USERS) must be at least USERS ($USERS): accounts are created for IDLE_USERS"
    exit 1
fi

# Every session is a socket in the server and one in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < IDLE_USERS + 1000 )); then
    log "open-file limit $(ulimit -n) is too low for $IDLE_USERS sessions; lower IDLE_USERS or raise it"
    exit 1
fi

# The server running now, for the exit trap: its name, the process to measure, the background job.
SERVER=""
SERVER_PID=""
SERVER_JOB=""
GENERATOR_PID=""

install_servers() {
    if ! command -v prosody >/dev/null || ! command -v ejabberdctl >/dev/null; then
        run apt-get install -y prosody ejabberd
    fi
    # The packaged services would hold the CPU: stop them if they run (only then: the init
    # script's "stop" of an ejabberd that is not running leaves an epmd behind).
    if pgrep -u prosody >/dev/null; then
        run systemctl stop prosody 2>/dev/null || run service prosody stop || true
    fi
    if pgrep -f 'beam.*ejabberd@' >/dev/null; then
        run systemctl stop ejabberd 2>/dev/null || run service ejabberd stop || true
    fi
    if (( BUILD )); then
        run mvn -B -q -o -f "$ROOT/pom.xml" -DskipTests package -pl benchmarks,xmpp-server -am
    fi
    for jar in "$SERVER_JAR" "$BENCH_JAR"; do
        [[ -f $jar ]] || { log "missing $jar: build first (BUILD=1)"; exit 1; }
    done
}

write_configs() {
    if (( ! DRY_RUN )); then
        # Fresh data and results for every invocation: archives of earlier runs would slow the
        # servers down, and stale raw results would enter the medians.
        rm -rf "$WORK"/{ours,prosody,ejabberd,results}
    fi
    mkdir -p "$WORK"/{tls,ours,prosody/data,ejabberd/db,ejabberd/log,results}
    if [[ ! -f $WORK/tls/cert.pem ]]; then
        run openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$DOMAIN" \
            -addext "subjectAltName=DNS:$DOMAIN" -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
    fi
    (( DRY_RUN )) || cat "$WORK/tls/cert.pem" "$WORK/tls/key.pem" > "$WORK/tls/combined.pem"

    cat > "$WORK/prosody/prosody.cfg.lua" <<EOF
-- Written by benchmarks/compare.sh: one virtual host on loopback, no s2s, ARCHIVE=$ARCHIVE.
pidfile = "$WORK/prosody/prosody.pid"
data_path = "$WORK/prosody/data"
certificates = "$WORK/tls"
log = { warn = "$WORK/prosody/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { ${PORT[prosody]} }
c2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }
network_settings = { tcp_backlog = 1024 }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "posix"; $( (( ARCHIVE )) && echo '"mam";') "carbons" }
modules_disabled = { "s2s" }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
default_archive_policy = true
archive_expires_after = "1d"
VirtualHost "$DOMAIN"
ssl = { certificate = "$WORK/tls/cert.pem"; key = "$WORK/tls/key.pem" }
EOF

    # ejabberd 23.01 (Debian 12): carbons are mod_carboncopy; the listener's default backlog is 5,
    # too short for a login storm.
    cat > "$WORK/ejabberd/ejabberd.yml" <<EOF
# Written by benchmarks/compare.sh: one virtual host on loopback, ARCHIVE=$ARCHIVE.
hosts:
  - "$DOMAIN"
loglevel: warning
# The default, 1,000 entries, is below the number of accounts: the auth cache would thrash.
cache_size: 1000000
certfiles:
  - "$WORK/tls/combined.pem"
auth_method: internal
auth_password_format: scram
listen:
  -
    port: ${PORT[ejabberd]}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    backlog: 1024
    starttls: true
    starttls_required: false
    max_stanza_size: 262144
shaper: {}
shaper_rules: {}
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
modules:
  mod_roster: {}
  mod_disco: {}
  mod_ping: {}
  mod_carboncopy: {}
EOF
    (( ! ARCHIVE )) || cat >> "$WORK/ejabberd/ejabberd.yml" <<EOF
  mod_mam:
    default: always
EOF
    # Read by ejabberdctl (--config-dir): no epmd, distribution on loopback only.
    cat > "$WORK/ejabberd/ejabberdctl.cfg" <<EOF
ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"
ERL_DIST_PORT=$EJABBERD_DIST_PORT
INET_DIST_INTERFACE=127.0.0.1
EJABBERD_BYPASS_WARNINGS=true
EOF
    cat > "$WORK/ejabberd/inetrc" <<EOF
{lookup,["file","native"]}.
{host,{127,0,0,1}, ["localhost"]}.
EOF
    run chmod 0755 "$WORK" "$WORK/tls"
    run chmod 0644 "$WORK/tls/combined.pem" "$WORK/tls/key.pem"
    # Prosody refuses to run as root and ejabberdctl switches to its user: each owns its directory.
    run chown -R prosody:prosody "$WORK/prosody"
    run chown -R ejabberd:ejabberd "$WORK/ejabberd"
}

accounts() {
    local i
    for ((i = 1; i <= IDLE_USERS; i++)); do echo "$PREFIX$i@$DOMAIN $PASSWORD"; done
}

# As user ejabberd through setpriv, not through ejabberdctl's own su: su applies PAM's limits and
# would cut the node's open files back to 1,024. HOME holds the Erlang cookie.
EJABBERD_HOME=$(getent passwd ejabberd | cut -d: -f6 || true)
AS_EJABBERD=(setpriv --reuid=ejabberd --regid=ejabberd --init-groups env HOME="${EJABBERD_HOME:-/var/lib/ejabberd}")
EJABBERDCTL=("${AS_EJABBERD[@]}" ejabberdctl --config-dir "$WORK/ejabberd" --config "$WORK/ejabberd/ejabberd.yml"
             --spool "$WORK/ejabberd/db" --logs "$WORK/ejabberd/log" --node "bench@localhost")

create_accounts() {
    local name=$1
    if (( DRY_RUN )); then echo "+ create $IDLE_USERS accounts for $name"; return; fi
    log "$name: creating $IDLE_USERS accounts"
    case $name in
        ours)
            accounts | env -u XMPP_DATABASE_URL XMPP_DATA_DIR="$WORK/ours" XMPP_DOMAIN="$DOMAIN" \
                java -jar "$SERVER_JAR" adduser --bulk >&2 ;;
        prosody)
            # internal_hashed stores salt, iteration count and SCRAM keys, nothing derived from the
            # username: every account with the same password may share one file.
            local dir i
            dir=$WORK/prosody/data/$(echo "$DOMAIN" | sed 's/\./%2e/g')/accounts
            (cd /tmp && prosodyctl --config "$WORK/prosody/prosody.cfg.lua" register "${PREFIX}1" "$DOMAIN" "$PASSWORD") || return 1
            for ((i = 2; i <= IDLE_USERS; i++)); do cp -p "$dir/${PREFIX}1.dat" "$dir/$PREFIX$i.dat"; done ;;
        ejabberd)
            # One Erlang node registers them all by RPC (one ejabberdctl per account takes ~1 s each).
            local expr='Node = list_to_atom(os:getenv("NODE")), N = list_to_integer(os:getenv("COUNT")),
                Host = list_to_binary(os:getenv("DOMAIN")), Pw = list_to_binary(os:getenv("PASSWORD")),
                R = [rpc:call(Node, ejabberd_auth, try_register,
                              [list_to_binary(os:getenv("PREFIX") ++ integer_to_list(I)), Host, Pw])
                     || I <- lists:seq(1, N)],
                Bad = [X || X <- R, X =/= ok, X =/= {error, exists}],
                io:format("registered ~p, failed ~p~n", [length(R) - length(Bad), lists:usort(Bad)]),
                halt(case Bad of [] -> 0; _ -> 1 end).'
            (cd "$WORK/ejabberd/db" && exec "${AS_EJABBERD[@]}" \
                NODE=bench@localhost COUNT="$IDLE_USERS" DOMAIN="$DOMAIN" PASSWORD="$PASSWORD" PREFIX="$PREFIX" \
                erl -sname compare-register@localhost -hidden -noinput \
                -erl_epmd_port "$EJABBERD_DIST_PORT" -start_epmd false -dist_listen false -eval "$expr") >&2 ;;
    esac
}

# Starts a server pinned to SERVER_CPU and sets SERVER_PID to the process to measure.
start_server() {
    local name=$1
    SERVER=$name
    SERVER_PID=""
    if (( DRY_RUN )); then echo "+ start $name on port ${PORT[$name]}, cpu $SERVER_CPU"; return; fi
    if ss -Hltn "sport = :${PORT[$name]}" | grep -q .; then
        log "$name: port ${PORT[$name]} is taken already"; return 1
    fi
    case $name in
        ours)
            local settings=()
            (( TLS )) || settings+=(XMPP_ALLOW_PLAINTEXT_AUTH=true)
            [[ $MECHANISM == PLAIN ]] && settings+=(XMPP_SASL_PLAIN_WITH_SCRAM=true)
            (( ARCHIVE )) || settings+=(XMPP_MODULES_DISABLED=mam)
            # The generator's sessions all come from 127.0.0.1: lift the per-address connection
            # limit and the inbound rate limit (the others run without shapers, too).
            env -u XMPP_DATABASE_URL XMPP_DATA_DIR="$WORK/ours" XMPP_DOMAIN="$DOMAIN" XMPP_PORT="${PORT[ours]}" \
                XMPP_TLS_PORT=off XMPP_S2S_PORT=off XMPP_BIND=127.0.0.1 "${settings[@]}" \
                XMPP_MAX_CONNECTIONS_PER_IP=1000000 XMPP_C2S_RATE_BYTES=1000000000 \
                XMPP_CERT_FILE="$WORK/tls/cert.pem" XMPP_KEY_FILE="$WORK/tls/key.pem" \
                taskset -c "$SERVER_CPU" java "${OURS_JVM[@]}" -jar "$SERVER_JAR" serve > "$WORK/ours/server.log" 2>&1 &
            SERVER_PID=$! ;;   # env, taskset and java exec each other: one process
        prosody)
            (cd /tmp && exec taskset -c "$SERVER_CPU" setpriv --reuid=prosody --regid=prosody --init-groups \
                prosody --config "$WORK/prosody/prosody.cfg.lua" -F) > "$WORK/prosody/stdout.log" 2>&1 &
            SERVER_PID=$! ;;
        ejabberd)
            taskset -c "$SERVER_CPU" "${EJABBERDCTL[@]}" foreground > "$WORK/ejabberd/stdout.log" 2>&1 &
            SERVER_PID=$! ;;   # the ejabberdctl wrapper until the node is up
    esac
    SERVER_JOB=$SERVER_PID
    await_port "${PORT[$name]}" || return 1
    if [[ $name == ejabberd ]]; then
        # The BEAM process, not the shell wrapper, is the one to measure.
        local beam
        beam=$(pgrep -f "beam.*-sname bench@localhost" | head -1)
        [[ -n $beam ]] || { log "ejabberd: no BEAM process found"; return 1; }
        SERVER_PID=$beam
    fi
    log "$name: pid $SERVER_PID listens on ${PORT[$name]}"
}

# Waits (up to 60 s) until the port accepts connections and the server still runs.
await_port() {
    local port=$1 i
    for ((i = 0; i < 120; i++)); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "$SERVER exited before listening on $port; see $WORK/$SERVER/"
            return 1
        fi
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.5
    done
    log "nothing listens on $port after 60 s"; return 1
}

# Stops the current server: gracefully, then after 30 s with SIGKILL.
stop_server() {
    local name=$SERVER pid=$SERVER_PID job=$SERVER_JOB i
    [[ -n $name ]] || return 0
    SERVER=""
    SERVER_PID=""
    SERVER_JOB=""
    (( DRY_RUN )) && { echo "+ stop $name"; return 0; }
    log "$name: stopping"
    case $name in
        ejabberd) "${EJABBERDCTL[@]}" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true ;;
        *) kill "$pid" 2>/dev/null || true ;;
    esac
    for ((i = 0; i < 60 && ${#pid} > 0; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        log "$name: still running after 30 s, killing $pid"
        kill -9 "$pid" 2>/dev/null || true
    fi
    if [[ $name == ejabberd ]]; then
        local beam
        for beam in $(pgrep -f "beam.*-sname bench@localhost" || true); do kill -9 "$beam" 2>/dev/null || true; done
    fi
    [[ -z $job ]] || wait "$job" 2>/dev/null || true
}

# Shows the log lines at warning level and above, so that a broken configuration shows. Expected:
# logins cut off by the end of the login storm (ejabberd: "Failed to secure c2s connection").
check_logs() {
    local name=$1 hits
    case $name in
        ours) hits=$(grep -E ' (WARN|ERROR) ' "$WORK/ours/server.log") ;;
        prosody) hits=$(cat "$WORK/prosody/prosody.log" "$WORK/prosody/stdout.log" | grep -vE 'warn\s+Received SIGTERM') ;;
        ejabberd) hits=$(cat "$WORK/ejabberd/log/error.log" "$WORK/ejabberd/stdout.log" | grep -E '\[(warning|error|critical)\]' \
                             | grep -vE 'Invalid certificate.*self-signed|Mnesia backend for mod_mam') ;;
    esac 2>/dev/null || true
    if [[ -n $hits ]]; then
        log "$name: $(wc -l <<< "$hits") warnings or errors in its log, the first 10:"
        head -10 <<< "$hits" | cut -c1-300 >&2
    fi
}

# utime + stime of a process, in clock ticks.
cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }   # the name in parentheses may hold spaces
    awk '{ print $12 + $13 }' <<< "$stat"
}

# Waits (at most 60 s) until the server uses less than 10 % of its core, so that a run does not
# measure the backlog of the one before: a saturated server may still be routing and archiving.
settle() {
    local pid=$1 hz i a b
    hz=$(getconf CLK_TCK)
    for ((i = 1; i <= 60; i++)); do
        a=$(cpu_ticks "$pid") || return 0
        sleep 1
        b=$(cpu_ticks "$pid") || return 0
        if (( (b - a) * 10 < hz )); then
            (( i < 5 )) || log "$SERVER: settled after $i s"
            return 0
        fi
    done
    log "$SERVER: still busy after 60 s"
}

cleanup() {
    local rc=$? port pid
    trap - EXIT
    if [[ -n $GENERATOR_PID ]]; then kill "$GENERATOR_PID" 2>/dev/null || true; wait "$GENERATOR_PID" 2>/dev/null || true; fi
    stop_server
    if (( ! DRY_RUN )); then
        # An epmd started by ejabberd tools during this run (ours use none, but just in case).
        for pid in $(pgrep -x -u ejabberd epmd || true); do
            [[ " $EPMD_BEFORE " == *" $pid "* ]] || { log "stopping epmd $pid"; kill "$pid" 2>/dev/null || true; }
        done
        for port in "${PORT[@]}" "$EJABBERD_DIST_PORT"; do
            if ss -Hltn "sport = :$port" | grep -q .; then log "still listening on $port:"; ss -Hltnp "sport = :$port" >&2; fi
        done
    fi
    exit "$rc"
}
EPMD_BEFORE=$(pgrep -x epmd | tr '\n' ' ' || true)
trap cleanup EXIT
trap 'exit 130' INT TERM

# name: generator options (users, duration and the server's port/pid are added per run).
SCENARIOS=(
    "login|--scenario login --users $USERS --concurrency 50 --warmup 5"
    "idle|--scenario idle --users $IDLE_USERS --concurrency 200 --warmup 0"
    "chat|--scenario chat --users $USERS --rate $CHAT_RATE --warmup 5"
    "max|--scenario max --users $USERS --warmup 5"
)

generate() {
    local server=$1 scenario=$2 options=$3 n=$4 tls_opt=() rc=0
    (( TLS )) || tls_opt=(--no-tls)
    local out="$WORK/results/$server-$scenario-$n.txt"
    # Every phase of the generator is bounded; timeout is the backstop.
    local cmd=(timeout --kill-after=10 $((DURATION + 300)) taskset -c "$GENERATOR_CPU" java "@$HERE/generator-jvm.options" -cp "$BENCH_JAR"
               dev.mu.xmpp.benchmarks.load.LoadGenerator $options --duration "$DURATION"
               --host 127.0.0.1 --port "${PORT[$server]}" --domain "$DOMAIN" --user-prefix "$PREFIX"
               --password "$PASSWORD" --mechanism "$MECHANISM" --server-pid "${SERVER_PID:-0}"
               --login-timeout 300 "${tls_opt[@]}")
    if (( DRY_RUN )); then
        echo "+ ${cmd[*]}"
        return
    fi
    # In the background, so that the exit trap runs at once on a signal (and stops it).
    "${cmd[@]}" > "$out" 2>&1 &
    GENERATOR_PID=$!
    wait "$GENERATOR_PID" || rc=$?
    GENERATOR_PID=""
    if ! grep -q '^RESULT ' "$out"; then
        log "$server $scenario run $n: no RESULT (exit $rc); last lines of $out:"
        tail -5 "$out" >&2
        return
    fi
    grep '^RESULT ' "$out" | tail -1 | grep -oE '\b(online|logins_per_s|delivered_per_s|latency_p99_ms|server_cpu_us_per_[a-z]+|rss_per_session_kib|errors|undelivered)=[^ ]+' \
        | tr '\n' ' ' | sed 's/^/compare:   /' >&2
    echo >&2
}

measure() {
    local server=$1 entry scenario options n started=$SECONDS
    log "== $server"
    # ejabberd registers accounts in the running node; the others' are files read at login.
    if ! { { [[ $server == ejabberd ]] || create_accounts "$server"; } && start_server "$server" \
           && { [[ $server != ejabberd ]] || create_accounts "$server"; }; }; then
        log "$server: could not be started or given accounts; skipping it"
        stop_server
        check_logs "$server"
        return 0
    fi
    for entry in "${SCENARIOS[@]}"; do
        scenario=${entry%%|*}; options=${entry#*|}
        for ((n = 1; n <= RUNS; n++)); do
            if (( ! DRY_RUN )) && ! kill -0 "$SERVER_PID" 2>/dev/null; then
                log "$server is no longer running; skipping its remaining runs"
                break 2
            fi
            log "$server $scenario run $n/$RUNS"
            generate "$server" "$scenario" "$options" "$n"
            (( DRY_RUN )) || settle "$SERVER_PID"
        done
    done
    stop_server
    (( DRY_RUN )) || { check_logs "$server"; log "$server: done in $((SECONDS - started)) s"; }
}

summarise() {
    local about
    about="$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'))"
    about+="; USERS=$USERS IDLE_USERS=$IDLE_USERS RUNS=$RUNS DURATION=$DURATION CHAT_RATE=$CHAT_RATE TLS=$TLS ARCHIVE=$ARCHIVE"
    about+=" MECHANISM=$MECHANISM; Prosody $(dpkg-query -W -f '${Version}' prosody 2>/dev/null || echo '?')"
    about+=", ejabberd $(dpkg-query -W -f '${Version}' ejabberd 2>/dev/null || echo '?')"
    about+=", ours at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    python3 - "$WORK/results" "$RESULTS_MD" "$SERVERS" "$about" "$ARCHIVE" <<'EOF'
import glob, os, re, statistics, sys
results, target, servers, about = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
archive = "on" if sys.argv[5] != "0" else "off"
figures = {
    "login": ["logins_per_s", "login_p99_ms", "server_cpu_us_per_login"],
    "idle": ["online", "rss_per_session_kib", "server_cpu_idle_percent"],
    "chat": ["delivered_per_s", "latency_p50_ms", "latency_p99_ms", "latency_p999_ms", "server_cpu_us_per_msg"],
    "max": ["delivered_per_s", "latency_p99_ms", "server_cpu_us_per_msg", "server_cpu_percent"],
}
def runs(server, scenario):
    out = []
    for f in sorted(glob.glob(os.path.join(results, f"{server}-{scenario}-*.txt"))):
        lines = [l for l in open(f) if l.startswith("RESULT ")]
        if lines:
            out.append((os.path.basename(f), dict(kv.split("=", 1) for kv in lines[-1].split()[1:])))
    return out
def number(r, key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None
base = servers[0]
row = lambda cells: "| " + " | ".join(cells) + " |"
columns = servers + [f"{s} / {base}" for s in servers[1:]]
rows = [row(["scenario", "figure"] + columns), row(["---", "---"] + ["---:"] * len(columns))]
fmt = lambda v: "–" if v is None else f"{v:,.2f}"
for scenario, keys in figures.items():
    for key in keys:
        medians = []
        for s in servers:
            found = runs(s, scenario)
            # Memory per idle session only means something on the first run: later runs reuse what
            # the server (a JVM heap, Lua's or Erlang's allocator) grew for the first one.
            if scenario == "idle" and key.startswith("rss"):
                found = found[:1]
            values = [v for _, r in found if (v := number(r, key)) is not None and v >= 0]
            medians.append(statistics.median(values) if values else None)
        ratio = lambda v: "–" if v is None or not medians[0] else f"{v / medians[0]:.2f}×"
        rows.append(row([scenario, key] + [fmt(v) for v in medians] + [ratio(v) for v in medians[1:]]))
# Runs that did not go cleanly: the figures above include them, so say so.
problems = []
for s in servers:
    for scenario in figures:
        found = runs(s, scenario)
        if not found:
            problems.append(f"{s} {scenario}: no run produced a RESULT line")
        for name, r in found:
            bad = {k: r[k] for k in ("errors", "undelivered") if (number(r, k) or 0) > 0}
            if r.get("login_complete") == "false":
                bad["login_complete"] = "false"
            if bad:
                problems.append(f"`{name}`: " + ", ".join(f"{k}={v}" for k, v in bad.items()))
n = max((len(runs(s, sc)) for s in servers for sc in figures), default=0)
section = (f"<!-- compare.sh archive={archive}: generated, do not edit by hand -->\n"
           f"## Side by side: ours, Prosody, ejabberd, archiving {archive}\n\n"
           f"Medians of up to {n} runs per scenario and server (RSS per idle session: the first run, on a fresh server), "
           f"written by `benchmarks/compare.sh` ({about}). "
           f"Ratios are each server's median divided by the {base} median (for CPU, latency and memory lower is better, "
           "for rates higher). Raw `RESULT` lines are in the script's WORK directory.\n\n" + "\n".join(rows) + "\n"
           + ("\nRuns with errors or undelivered messages:\n\n" + "\n".join(f"- {p}" for p in problems) + "\n" if problems else "")
           + f"<!-- compare.sh archive={archive} end -->\n")
text = open(target).read() if os.path.exists(target) else ""
marker = re.escape(f"<!-- compare.sh archive={archive}")
old = re.search(marker + r": generated.*?" + marker + r" end -->\n", text, flags=re.S)
# Replaced where it stands, so that the prose after a section keeps referring to it.
text = text[:old.start()] + section + text[old.end():] if old else text.rstrip("\n") + "\n\n" + section
open(target, "w").write(text)
print(section)
EOF
}

if (( ! DRY_RUN )); then install_servers; fi
write_configs
for server in $SERVERS; do
    measure "$server"
done
(( DRY_RUN )) || summarise
