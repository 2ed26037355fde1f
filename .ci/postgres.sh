# Sourced by .ci/run: a private PostgreSQL for the PostgreSQL tests, started in a temporary folder
# on a free loopback port and stopped on exit; exports LEVEE_TEST_POSTGRES. Installs the server
# from apt when it is missing (as root, or through passwordless sudo). PostgreSQL refuses to run
# as root, so under root the cluster belongs to the `postgres` user the Debian package creates.
# An already set LEVEE_TEST_POSTGRES is used as it is.

levee_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

levee_pg_start() {
  if [ -n "${LEVEE_TEST_POSTGRES:-}" ]; then
    echo "PostgreSQL tests: using LEVEE_TEST_POSTGRES from the environment"
    return 0
  fi
  if [ -z "$(levee_pg_bin)" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    else
      echo "PostgreSQL is not installed and cannot be (not root, no sudo): the PostgreSQL tests will not find a server" >&2
      return 0
    fi
  fi
  local bin; bin="$(levee_pg_bin)"
  local port=55432
  while (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  LEVEE_PG_DIR="$(mktemp -d /tmp/levee-ci-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$LEVEE_PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$LEVEE_PG_DIR/data" -U postgres -A trust --no-instructions >"$LEVEE_PG_DIR/initdb.log" 2>&1 \
    || { cat "$LEVEE_PG_DIR/initdb.log" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$LEVEE_PG_DIR/data" -l "$LEVEE_PG_DIR/server.log" -w \
    -o "-p $port -k $LEVEE_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || { cat "$LEVEE_PG_DIR/server.log" >&2; return 1; }
  LEVEE_PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$LEVEE_PG_DIR/data" -m fast -w stop)
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE levee LOGIN PASSWORD 'levee' CREATEDB" -c "CREATE DATABASE levee_test OWNER levee"
  export LEVEE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=levee;Password=levee;Database=levee_test"
  echo "PostgreSQL tests: a private server on 127.0.0.1:$port ($("$bin/postgres" --version))"
}

levee_pg_stop() {
  if [ -n "${LEVEE_PG_DIR:-}" ]; then
    "${LEVEE_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$LEVEE_PG_DIR"
  fi
}
