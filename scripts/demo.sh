#!/usr/bin/env bash
# npm run demo: find (or start) a local PostGIS, build tilegate, load real demo data, serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$(pwd)"
export DEMO_ADMIN_URL="${DEMO_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

bash "$here/scripts/ensure-postgis.sh"

if [ ! -d node_modules ]; then npm ci; fi
echo "Building tilegate..."
npx nest build tilegate >/dev/null
exec node scripts/demo/demo.js
