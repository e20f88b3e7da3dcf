#!/usr/bin/env bash
# Load benchmark of the authentication hot path.
#
# Starts a release build of ublog on SQLite, creates a user, logs in with each
# method, then drives the same endpoint with wrk: anonymous (the baseline,
# measured in the same run), with a session cookie, a bearer JWT and an API
# token, and, for contrast, an endpoint that reads the database on every
# request. Writes bench/results.md.
#
# Usage: bench/run.sh [seconds per case, default 10] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-32}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -p ublog >/dev/null

data="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export UBLOG_EXPOSE_QUERY_COUNT=true UBLOG_LOG_FORMAT=json RUST_LOG=error
# Failed logins are part of the measurement: keep the throttle out of the way.
export UBLOG_LOGIN_FAILURE_LIMIT=100000
./target/release/ublog serve --bind "127.0.0.1:$port" --data-dir "$data" > "$data/stdout" 2> "$data/stderr" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q listening "$data/stdout" 2>/dev/null && break; sleep 0.1; done

email="bench@example.com"; password="bench-marks-the-spot-42"
UBLOG_PASSWORD="$password" ./target/release/ublog createsuperuser --email "$email" --data-dir "$data" >/dev/null
jar="$data/cookies"
curl -s -c "$jar" -b "$jar" "$base/api/auth/csrf/" >/dev/null
csrf="$(awk '$6=="csrftoken"{print $7}' "$jar")"
curl -s -c "$jar" -b "$jar" -H "X-CSRFToken: $csrf" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/session/login/" >/dev/null
session="$(awk '$6=="sessionid"{print $7}' "$jar")"
access="$(curl -s -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
  "$base/api/token/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')"
token="$(curl -s -H 'content-type: application/json' -d "{\"username\":\"$email\",\"password\":\"$password\"}" \
  "$base/api-token-auth/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

queries() { curl -s -o /dev/null -D - "$@" | awk -F': ' 'tolower($1)=="x-query-count"{print $2+0}'; }
measure() { # name, path, header...
  local name="$1" path="$2"; shift 2
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  curl -s "${args[@]}" "$base$path" >/dev/null # warm the caches
  local q; q="$(queries "${args[@]}" "$base$path")"
  local out; out="$(wrk -t2 -c"$connections" -d"${duration}s" --latency "${args[@]}" "$base$path")"
  local rps; rps="$(awk '/Requests\/sec/{print $2}' <<<"$out")"
  local p50; p50="$(awk '$1=="50%"{print $2}' <<<"$out")"
  local p99; p99="$(awk '$1=="99%"{print $2}' <<<"$out")"
  printf '| %s | `%s` | %s | %s | %s | %s |\n' "$name" "$path" "$q" "$rps" "$p50" "$p99"
}

rows=()
rows+=("$(measure "anonymous (baseline)" /api/auth/csrf/)")
rows+=("$(measure "session cookie" /api/auth/csrf/ "Cookie: sessionid=$session")")
rows+=("$(measure "bearer JWT" /api/auth/csrf/ "Authorization: Bearer $access")")
rows+=("$(measure "API token" /api/auth/csrf/ "Authorization: Token $token")")
rows+=("$(measure "session + one query (profile)" /api/profile/ "Cookie: sessionid=$session")")

# Login timing: an unknown e-mail must cost what a wrong password costs.
login_ms() { # email, password: median of 15 sequential logins, in ms
  for _ in $(seq 1 15); do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'content-type: application/json' \
      -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$base/api/token/"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
wrong_ms="$(login_ms "$email" "not-the-password-1")"
unknown_ms="$(login_ms "nobody-$RANDOM@example.com" "not-the-password-1")"

# Hashing runs on a bounded pool: a burst of logins must not stall other requests.
burst() { for _ in $(seq 1 40); do
  curl -s -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/token/" &
  done; wait; }
quiet_p99="$(wrk -t1 -c4 -d5s --latency "$base/api/health-check/" | awk '$1=="99%"{print $2}')"
( for _ in 1 2 3; do burst; done ) &
burster=$!
busy_p99="$(wrk -t1 -c4 -d5s --latency "$base/api/health-check/" | awk '$1=="99%"{print $2}')"
wait $burster

{
  echo "# Authentication hot-path benchmark"
  echo
  echo "Obtained with \`bench/run.sh $duration $connections\` on $(date -u +%Y-%m-%d):"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/{print $2}') GiB,"
  echo "release build, SQLite, wrk with 2 threads and $connections connections for ${duration}s per case,"
  echo "server and load generator on the same machine (a shared, noisy one: compare rows"
  echo "of one run, not runs)."
  echo
  echo "| case | path | DB queries per request | requests/s | p50 | p99 |"
  echo "| --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Logins"
  echo
  echo "Median of 15 sequential \`POST /api/token/\` with OWASP argon2id (19 MiB, 2 passes):"
  echo "wrong password for an existing account ${wrong_ms} ms; unknown e-mail ${unknown_ms} ms."
  echo
  echo "\`GET /api/health-check/\` p99 latency (wrk, 4 connections, 5 s): ${quiet_p99} when idle,"
  echo "${busy_p99} during bursts of 40 concurrent logins. Hashing runs on the blocking pool,"
  echo "bounded to one job per core; the 40 curl processes of the burst share the same two cores,"
  echo "so part of the rise is the load generator's own cost."
} > bench/results.md
cat bench/results.md
