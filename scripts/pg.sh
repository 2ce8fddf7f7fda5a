#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server on 127.0.0.1 for tests (initdb + pg_ctl).
#   scripts/pg.sh start DIR PORT   → prints the URL on stdout
#   scripts/pg.sh standby DIR PORT PRIMARY_PORT
#                                  → a streaming hot standby of the server on PRIMARY_PORT
#                                    (pg_basebackup -R), prints its URL
#   scripts/pg.sh stop DIR         → stops it by the pid in DIR/postmaster.pid and removes DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data dir}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bin" ]]; then echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 3; fi
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:-55432}
    rm -rf "$dir"; mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c wal_init_zero=off -c shared_buffers=256MB" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  standby)
    port=${3:?port}; primary=${4:?primary port}
    rm -rf "$dir"; mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres "$dir"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c hot_standby=on" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      pid=$(head -1 "$dir/data/postmaster.pid")
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -rf "$dir"
    ;;
esac
