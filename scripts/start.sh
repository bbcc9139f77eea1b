#!/bin/sh
# `npm start`: the built server with package.json's config.nodeFlags (V8) and config.mallocEnv
# (glibc malloc, read only at process start, hence environment). A MALLOC_* variable the caller
# has already set wins over ours, as it does for the demo and the benchmark
# (scripts/lib/server-launch.js). exec: signals reach the server itself.
set -eu
: "${npm_package_config_nodeFlags?run this through npm start}"
for setting in ${npm_package_config_mallocEnv:-}; do
  printenv "${setting%%=*}" >/dev/null || export "$setting"
done
# shellcheck disable=SC2086 # the node flags are words
exec node $npm_package_config_nodeFlags dist/apps/tilegate/apps/tilegate/src/main.js "$@"
