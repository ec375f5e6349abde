#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the registry tests.
#
#   .ci/postgres.sh start   # init + start a cluster in $PGTMP (default /tmp/camwatch-pg),
#                           # prints the URL: export CAMWATCH_TEST_POSTGRES_URL=$(.ci/postgres.sh start)
#   .ci/postgres.sh stop    # stop it and delete its folder
#   .ci/postgres.sh url     # print the URL again
#
# Uses Debian's postgresql package (/usr/lib/postgresql/<ver>/bin). PostgreSQL refuses to
# run as root, so when called by root the cluster runs as the 'postgres' system user.
# Trust authentication on 127.0.0.1 only; the cluster lives in a temp folder.
set -euo pipefail

PGTMP="${PGTMP:-/tmp/camwatch-pg}"
PGPORT="${PGPORT:-55432}"
URL="postgresql+psycopg://postgres@127.0.0.1:${PGPORT}/postgres"

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
        echo "postgres.sh: no PostgreSQL server found; apt-get install -y postgresql" >&2
        exit 1
    fi
    echo "$dir"
}

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
    start)
        BIN=$(bindir)
        if [[ -f "$PGTMP/data/postmaster.pid" ]] && as_pg "$BIN/pg_ctl" -D "$PGTMP/data" status >/dev/null 2>&1; then
            echo "$URL"
            exit 0
        fi
        rm -rf "$PGTMP"
        mkdir -p "$PGTMP"
        [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$PGTMP"
        as_pg "$BIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
            || { cat "$PGTMP/initdb.log" >&2; exit 1; }
        as_pg "$BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
            -o "-k $PGTMP -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
            || { cat "$PGTMP/server.log" >&2; exit 1; }
        echo "$URL"
        ;;
    stop)
        if [[ -d "$PGTMP/data" ]]; then
            BIN=$(bindir)
            as_pg "$BIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PGTMP"
        ;;
    url)
        echo "$URL"
        ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
