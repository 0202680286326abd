#!/usr/bin/env bash
# The production build, in one place: the Dockerfile's build stage runs it (in two steps, so that the
# dependency layer is cached while only sources change), and scripts/production-check.sh, which CI runs,
# runs it whole on a clean clone. Run from anywhere; it works in the checkout it belongs to.
#   deploy/build-production.sh deps    npm ci, dev dependencies included (the compiler is one); sqlite3
#                                      builds its native module here when no prebuilt binary fits
#   deploy/build-production.sh build   compile to dist/, then drop the dev dependencies (npm prune --omit=dev)
#   deploy/build-production.sh         both
set -euo pipefail
cd "$(dirname "$0")/.."

# node-gyp compiles sqlite3 on every CPU instead of one, against the headers of the Node that runs the build
# when they are installed beside it (Debian's nodejs, the node images): nothing to download from nodejs.org.
export JOBS="${JOBS:-max}"
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_api.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

deps() {
  npm ci --no-fund --no-audit
}

build() {
  npx --no-install nest build
  npm prune --omit=dev --no-fund --no-audit
}

case "${1:-all}" in
  deps) deps ;;
  build) build ;;
  all) deps && build ;;
  *) echo "usage: $0 [deps|build]" >&2; exit 2 ;;
esac
