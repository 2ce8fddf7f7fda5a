#!/usr/bin/env bash
# The scaled-out deployment on one machine, from real parts, each on a loopback port:
#   PostgreSQL primary (TOPO_BASE+432) and a streaming hot standby (pg_basebackup -R, +433),
#   two stateless API processes (NIUDAI_JOBS=false, +1 and +2), one worker (`niudai worker`),
#   and nginx in front (TOPO_BASE+0, default http://127.0.0.1:3400).
#
#   npm run topology              start it all (demo city seeded), stay in the foreground;
#                                 Ctrl-C stops everything
#   npm run topology -- start     start it all in the background (state in .tmp/topology)
#   npm run topology -- stop      stop what `start` started
#   npm run topology -- kill api1|api2|worker      kill -9 one process (fault tests)
#   npm run topology -- revive api1|api2|worker    start it again
#
# Installs nginx from Debian's packages when it is missing (needs root, as .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-run}
base=${TOPO_BASE:-3400}
dir=$PWD/.tmp/topology
primary_port=$((25000 + base % 1000 + 32))  # below the ephemeral range
standby_port=$((primary_port + 1))
proxy_port=$base
api_ports=($((base + 1)) $((base + 2)))

stop_all() {
  for name in api1 api2 worker; do
    [[ -f "$dir/$name.pid" ]] && kill -- "-$(cat "$dir/$name.pid")" 2>/dev/null || true
  done
  sleep 1
  for name in api1 api2 worker; do
    [[ -f "$dir/$name.pid" ]] && kill -9 -- "-$(cat "$dir/$name.pid")" 2>/dev/null || true
    rm -f "$dir/$name.pid"
  done
  [[ -f "$dir/nginx/nginx.pid" ]] && nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s stop 2>/dev/null || true
  bash scripts/pg.sh stop "$dir/standby" || true
  bash scripts/pg.sh stop "$dir/primary" || true
}

# one process of the deployment, its log appended to (restarts keep the earlier lines)
start_one() {
  local name=$1
  set -a; source "$dir/env"; set +a
  case $name in
    api1) PORT=${api_ports[0]} NIUDAI_JOBS=false setsid npx tsx src/server/cli/main.ts serve >>"$dir/logs/api1.log" 2>&1 & ;;
    api2) PORT=${api_ports[1]} NIUDAI_JOBS=false setsid npx tsx src/server/cli/main.ts serve >>"$dir/logs/api2.log" 2>&1 & ;;
    worker) setsid npx tsx src/server/cli/main.ts worker >>"$dir/logs/worker.log" 2>&1 & ;;
    *) echo "unknown process $name (api1, api2, worker)" >&2; exit 2 ;;
  esac
  echo $! >"$dir/$name.pid"
}

kill_one() {
  local pid; pid=$(cat "$dir/$1.pid")
  # the process group: npx, tsx and node go down together, as a crash would take them
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid"
  rm -f "$dir/$1.pid"
}

case $cmd in
  kill) kill_one "${2:?which process}"; exit 0 ;;
  revive) start_one "${2:?which process}"; exit 0 ;;
esac

if [[ $cmd == stop ]]; then stop_all; exit 0; fi

if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  echo "installing nginx (Debian package)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
fi
export PATH="$PATH:/usr/sbin"

stop_all 2>/dev/null || true
rm -rf "$dir/logs"; mkdir -p "$dir/nginx/logs" "$dir/logs"

echo "primary PostgreSQL on $primary_port…"
primary_url=$(bash scripts/pg.sh start "$dir/primary" "$primary_port")
keys_file="$dir/keys.env"
if [[ ! -f $keys_file ]]; then
  # every process of one deployment shares the keys: generated once, owner-only
  umask 077
  echo "NIUDAI_PII_KEYS=k1:$(head -c 32 /dev/urandom | base64)" >"$keys_file"
  echo "NIUDAI_HASH_KEY=$(head -c 32 /dev/urandom | base64)" >>"$keys_file"
fi
set -a; source "$keys_file"; set +a
export DATABASE_URL=$primary_url LOG_LEVEL=warn NIUDAI_DATA_DIR=$dir/data NIUDAI_SEED_DEMO=false
echo "migrations and the demo city…"
npx tsx src/server/cli/main.ts seed >/dev/null
echo "standby (pg_basebackup -R) on $standby_port…"
standby_url=$(bash scripts/pg.sh standby "$dir/standby" "$standby_port" "$primary_port")
npm run -s build:web

cat >"$dir/env" <<ENV
DATABASE_URL=$primary_url
DATABASE_REPLICA_URL=$standby_url
NIUDAI_TRUSTED_PROXIES=127.0.0.1
NIUDAI_RATE_LIMIT=${NIUDAI_RATE_LIMIT:-60}
NIUDAI_DB_POOL=${NIUDAI_DB_POOL:-10}
NIUDAI_DATA_DIR=$dir/data
NIUDAI_SEED_DEMO=false
LOG_LEVEL=${TOPO_LOG_LEVEL:-info}
NIUDAI_SWEEP_SECONDS=${NIUDAI_SWEEP_SECONDS:-60}
$(cat "$keys_file")
ENV
start_one api1
start_one api2
start_one worker

cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  client_max_body_size 25m;
  upstream niudai {
    server 127.0.0.1:${api_ports[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${api_ports[1]} max_fails=1 fail_timeout=2s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://niudai;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # a request that reached no process is tried on the other; a POST that may have been
      # handled is never sent twice (nginx's default for non-idempotent requests)
      proxy_next_upstream error timeout;
      # live notices (server-sent events) pass through unbuffered
      proxy_buffering off;
      proxy_read_timeout 3600s;
    }
  }
}
CONF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf"

for p in "${api_ports[@]}"; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/api/health/ready" >/dev/null && break; sleep 0.5; done
done
cat <<MSG

  Niudai topology is up:
    proxy (nginx)   http://127.0.0.1:$proxy_port      ← open this
    API processes   http://127.0.0.1:${api_ports[0]}  http://127.0.0.1:${api_ports[1]}   (NIUDAI_JOBS=false)
    worker          outbox relay, job queue, periodic sweeps
    primary         $primary_url
    standby         $standby_url   (hot standby, reads of dashboards and rankings)
    logs            $dir/logs
MSG

if [[ $cmd == start ]]; then exit 0; fi
trap 'echo; echo stopping…; stop_all; exit 0' INT TERM
wait
