#!/usr/bin/env bash
# Side by side: our server, Prosody and ejabberd under the same load, on loopback, each server
# pinned to its own core and the load generator to another. Not run by CI; needs root (apt-get,
# ejabberdctl), a quiet machine with at least 2 cores, and about 30-60 minutes.
#
#   benchmarks/compare.sh              install, configure, run everything, update RESULTS.md
#   benchmarks/compare.sh --dry-run    write the configurations and print the commands only
#
# Settings (environment): USERS (1000) accounts and sessions per run, IDLE_USERS ($USERS) sessions
# of the idle scenario, RUNS (3) runs per scenario and server, DURATION (20) seconds measured per
# run, CHAT_RATE (5000) messages/s of the steady-chat scenario, SERVERS ("ours prosody ejabberd"),
# TLS (1: STARTTLS and SCRAM-SHA-1; 0: no TLS), SERVER_CPU (1) and GENERATOR_CPU (0) the cores,
# WORK (/tmp/xmpp-compare) for configurations, data, logs and raw results.
#
# What is compared: every scenario of dev.mu.xmpp.benchmarks.load.LoadGenerator (login storm, idle
# sessions, steady chat, maximum throughput) against each server in turn, RUNS times; the medians
# of the figures the generator prints, including server CPU per delivered message and per login
# (utime+stime from /proc/<pid>/stat) and RSS per idle session (VmRSS from /proc/<pid>/status),
# and their ratios to ours, go to the "Side by side" section of benchmarks/RESULTS.md.
#
# All three archive every message (XEP-0313, our default): mod_mam is enabled for Prosody and
# ejabberd with archiving on by default, so that each server does the same work per message.
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
SERVER_CPU=${SERVER_CPU:-1}
GENERATOR_CPU=${GENERATOR_CPU:-0}
PREFIX=load
PASSWORD=load-password
DRY_RUN=0
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=1

declare -A PORT=([ours]=15222 [prosody]=25222 [ejabberd]=35222)
SERVER_JAR=$ROOT/xmpp-server/target/xmpp-server.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar

run() {
    if (( DRY_RUN )); then echo "+ $*"; else "$@"; fi
}

log() { echo "compare: $*" >&2; }

# Every session is a socket in the server and one in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( $(ulimit -n) < IDLE_USERS + 1000 )); then
    log "open-file limit $(ulimit -n) is too low for $IDLE_USERS sessions; lower IDLE_USERS or raise it"
    exit 1
fi

install_servers() {
    run apt-get install -y prosody ejabberd
    # The packaged services would hold the ports and the CPU: stop them for the run.
    for s in prosody ejabberd; do
        run systemctl stop "$s" 2>/dev/null || run service "$s" stop 2>/dev/null || true
    done
    run mvn -B -q -f "$ROOT/pom.xml" -DskipTests package -pl benchmarks,xmpp-server -am
}

write_configs() {
    mkdir -p "$WORK"/{tls,ours,prosody/data,ejabberd/db,ejabberd/log,results}
    if [[ ! -f $WORK/tls/cert.pem ]]; then
        run openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$DOMAIN" \
            -addext "subjectAltName=DNS:$DOMAIN" -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem"
    fi
    cat "$WORK/tls/cert.pem" "$WORK/tls/key.pem" > "$WORK/tls/combined.pem" 2>/dev/null || true

    cat > "$WORK/prosody/prosody.cfg.lua" <<EOF
-- Written by benchmarks/compare.sh: one virtual host on loopback, no s2s, archiving on.
pidfile = "$WORK/prosody/prosody.pid"
data_path = "$WORK/prosody/data"
log = { warn = "$WORK/prosody/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { ${PORT[prosody]} }
c2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "posix"; "mam"; "carbons" }
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

    cat > "$WORK/ejabberd/ejabberd.yml" <<EOF
# Written by benchmarks/compare.sh: one virtual host on loopback, archiving on.
hosts:
  - "$DOMAIN"
loglevel: warning
certfiles:
  - "$WORK/tls/combined.pem"
auth_method: internal
auth_password_format: scram
listen:
  -
    port: ${PORT[ejabberd]}
    ip: "127.0.0.1"
    module: ejabberd_c2s
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
  mod_carbons: {}
  mod_mam:
    default: always
EOF
    run chown -R ejabberd:ejabberd "$WORK/ejabberd" 2>/dev/null || true
    run chmod 0644 "$WORK/tls/combined.pem" "$WORK/tls/key.pem"
}

accounts() {
    local i
    for ((i = 1; i <= IDLE_USERS; i++)); do echo "$PREFIX$i@$DOMAIN $PASSWORD"; done
}

EJABBERDCTL=(ejabberdctl --config-dir "$WORK/ejabberd" --config "$WORK/ejabberd/ejabberd.yml"
             --spool "$WORK/ejabberd/db" --logs "$WORK/ejabberd/log" --node "bench@localhost")

# Starts a server pinned to SERVER_CPU; prints its pid.
start_server() {
    local name=$1
    case $name in
        ours)
            if (( ! DRY_RUN )) && [[ ! -f $WORK/ours/mu-xmpp.mv.db ]]; then
                accounts | XMPP_DATA_DIR=$WORK/ours XMPP_DOMAIN=$DOMAIN \
                    java -jar "$SERVER_JAR" adduser --bulk >&2
            fi
            run env XMPP_DATA_DIR="$WORK/ours" XMPP_DOMAIN="$DOMAIN" XMPP_PORT="${PORT[ours]}" \
                XMPP_TLS_PORT=off XMPP_S2S_PORT=off XMPP_BIND=127.0.0.1 XMPP_ALLOW_PLAINTEXT_AUTH=true \
                XMPP_SASL_PLAIN_WITH_SCRAM=true \
                XMPP_CERT_FILE="$WORK/tls/cert.pem" XMPP_KEY_FILE="$WORK/tls/key.pem" \
                taskset -c "$SERVER_CPU" java -Xmx2g -jar "$SERVER_JAR" serve > "$WORK/ours/server.log" 2>&1 &
            (( DRY_RUN )) || echo $! ;;
        prosody)
            if (( ! DRY_RUN )) && [[ ! -d $WORK/prosody/data/$(echo "$DOMAIN" | sed 's/\./%2e/g') ]]; then
                log "prosody: creating $IDLE_USERS accounts (one prosodyctl each)"
                accounts | xargs -P 2 -L 1 sh -c 'prosodyctl --config "$0" register "${1%@*}" "${1#*@}" "$2"' \
                    "$WORK/prosody/prosody.cfg.lua"
            fi
            run taskset -c "$SERVER_CPU" prosody --config "$WORK/prosody/prosody.cfg.lua" -F > "$WORK/prosody/stdout.log" 2>&1 &
            (( DRY_RUN )) || echo $! ;;
        ejabberd)
            run taskset -c "$SERVER_CPU" "${EJABBERDCTL[@]}" foreground > "$WORK/ejabberd/stdout.log" 2>&1 &
            if (( ! DRY_RUN )); then
                "${EJABBERDCTL[@]}" started
                # The BEAM process, not the shell wrapper, is the one to measure.
                pgrep -f "beam.*bench@localhost" | head -1
            fi ;;
    esac
}

create_ejabberd_accounts() {
    (( DRY_RUN )) && { echo "+ ejabberdctl register <user> $DOMAIN $PASSWORD (x$IDLE_USERS, 4 at a time)"; return; }
    if [[ $("${EJABBERDCTL[@]}" registered_users "$DOMAIN" | wc -l) -lt $IDLE_USERS ]]; then
        log "ejabberd: creating $IDLE_USERS accounts (one ejabberdctl each)"
        accounts | sed 's/@.*//' | xargs -P 4 -I{} "${EJABBERDCTL[@]}" register {} "$DOMAIN" "$PASSWORD" >/dev/null
    fi
}

stop_server() {
    local name=$1 pid=$2
    case $name in
        ejabberd) run "${EJABBERDCTL[@]}" stop || true ;;
        *) run kill "$pid" || true ;;
    esac
    (( DRY_RUN )) || { sleep 3; kill -0 "$pid" 2>/dev/null && kill -9 "$pid" || true; }
}

await_port() {
    local port=$1 i
    (( DRY_RUN )) && return 0
    for ((i = 0; i < 120; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.5
    done
    log "nothing listens on $port"; return 1
}

# name: generator options (users, duration and the server's port/pid are added per run).
SCENARIOS=(
    "login|--scenario login --users $USERS --concurrency 50 --warmup 5"
    "idle|--scenario idle --users $IDLE_USERS --concurrency 200 --warmup 0"
    "chat|--scenario chat --users $USERS --rate $CHAT_RATE --warmup 5"
    "max|--scenario max --users $USERS --warmup 5"
)

generate() {
    local server=$1 pid=$2 scenario=$3 options=$4 n=$5 tls_opt=()
    (( TLS )) || tls_opt=(--no-tls)
    local out="$WORK/results/$server-$scenario-$n.txt"
    local cmd=(timeout $((DURATION + 300)) taskset -c "$GENERATOR_CPU" java -Xmx2g -cp "$BENCH_JAR"
               dev.mu.xmpp.benchmarks.load.LoadGenerator $options --duration "$DURATION"
               --host 127.0.0.1 --port "${PORT[$server]}" --domain "$DOMAIN" --user-prefix "$PREFIX"
               --password "$PASSWORD" --server-pid "${pid:-0}" --login-timeout 300 "${tls_opt[@]}")
    if (( DRY_RUN )); then
        echo "+ ${cmd[*]}"
    else
        "${cmd[@]}" 2>&1 | tee "$out" | tail -1 >&2
    fi
}

measure() {
    local server=$1 pid entry scenario options n
    log "== $server"
    pid=$(start_server "$server")
    await_port "${PORT[$server]}"
    [[ $server == ejabberd ]] && create_ejabberd_accounts
    for entry in "${SCENARIOS[@]}"; do
        scenario=${entry%%|*}; options=${entry#*|}
        for ((n = 1; n <= RUNS; n++)); do
            log "$server $scenario run $n/$RUNS"
            generate "$server" "$pid" "$scenario" "$options" "$n"
            sleep 2
        done
    done
    stop_server "$server" "$pid"
}

summarise() {
    python3 - "$WORK/results" "$HERE/RESULTS.md" "$SERVERS" <<'EOF'
import glob, os, re, statistics, sys
results, target, servers = sys.argv[1], sys.argv[2], sys.argv[3].split()
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
            out.append(dict(kv.split("=", 1) for kv in lines[-1].split()[1:]))
    return out
rows = ["| scenario | figure | " + " | ".join(servers) + " | " + " | ".join(f"{s} / ours" for s in servers[1:]) + " |",
        "| --- | --- | " + " | ".join("---" for _ in servers) + " | " + " | ".join("---" for _ in servers[1:]) + " |"]
for scenario, keys in figures.items():
    for key in keys:
        medians = []
        for s in servers:
            values = [float(r[key]) for r in runs(s, scenario) if key in r and float(r[key]) >= 0]
            medians.append(statistics.median(values) if values else None)
        fmt = lambda v: "–" if v is None else f"{v:,.2f}"
        ratio = lambda v: "–" if v is None or not medians[0] else f"{v / medians[0]:.2f}×"
        rows.append(f"| {scenario} | {key} | " + " | ".join(fmt(v) for v in medians) + " | "
                    + " | ".join(ratio(v) for v in medians[1:]) + " |")
n = max((len(runs(s, sc)) for s in servers for sc in figures), default=0)
section = ("<!-- compare.sh: generated, do not edit by hand -->\n## Side by side: ours, Prosody, ejabberd\n\n"
           f"Medians of up to {n} runs per scenario and server, written by `benchmarks/compare.sh`; ratios are "
           "the other server's median over ours (for CPU, latency and memory lower is better, for rates higher). "
           "Raw `RESULT` lines are in the script's WORK directory.\n\n" + "\n".join(rows) + "\n<!-- compare.sh end -->\n")
text = open(target).read()
text = re.sub(r"<!-- compare.sh: generated.*?<!-- compare.sh end -->\n", "", text, flags=re.S)
open(target, "w").write(text.rstrip("\n") + "\n\n" + section)
print(section)
EOF
}

if (( ! DRY_RUN )); then install_servers; fi
write_configs
for server in $SERVERS; do
    measure "$server"
done
(( DRY_RUN )) || summarise
