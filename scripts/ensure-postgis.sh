#!/usr/bin/env bash
# Makes sure the PostgreSQL named by DEMO_ADMIN_URL (or TILEGATE_TEST_ADMIN_URL) answers and has
# PostGIS available. On a Debian machine where we are root, it starts the local cluster and
# installs PostGIS from the archive; elsewhere it says what to do.
set -euo pipefail
url="${DEMO_ADMIN_URL:-${TILEGATE_TEST_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}}"

can_connect() { psql "$url" -Atqc 'SELECT 1' >/dev/null 2>&1; }
has_postgis() { [ "$(psql "$url" -Atqc "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'" 2>/dev/null)" = "1" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if ! command -v psql >/dev/null; then
  echo "psql not found. Install PostgreSQL with PostGIS (Debian: apt-get install -y postgresql postgresql-15-postgis-3)," >&2
  echo "or start one with Docker: docker compose up -d postgis, then DEMO_ADMIN_URL=postgresql://postgres:postgres@127.0.0.1:5433/postgres" >&2
  exit 1
fi

if ! can_connect && command -v pg_ctlcluster >/dev/null; then
  echo "Starting the local PostgreSQL cluster..."
  for version in $(ls /etc/postgresql 2>/dev/null); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do can_connect && break; sleep 1; done
fi
if ! can_connect; then
  echo "No PostgreSQL answers at $url. Set DEMO_ADMIN_URL to a superuser URL of a PostGIS server," >&2
  echo "or start one with Docker: docker compose up -d postgis" >&2
  exit 1
fi

if ! has_postgis; then
  major="$(psql "$url" -Atqc 'SHOW server_version_num' | cut -c1-2)"
  if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
    echo "Installing PostGIS for PostgreSQL $major from the Debian archive..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-postgis-3" >/dev/null
  fi
fi
if ! has_postgis; then
  echo "PostGIS is not available on $url: install postgresql-<version>-postgis-3, or use docker compose up -d postgis" >&2
  exit 1
fi
