#!/usr/bin/env bash
# CI's check of the README's Production section, "From a clean clone": on a fresh `git clone` of this
# repository in a temporary directory, as a non-root user (`hydrant-ci`, created when run as root), it
# builds as the Dockerfile does (deploy/build-production.sh: npm ci, compile, npm prune --omit=dev), serves
# `hydrant serve all` on an SQLite file with SECRETS_SYSTEM and an admin API key, waits for /health/ready
# on both ports, creates a client through the admin API, gets a client_credentials token, runs
# `hydrant backup` (and checks that it will not overwrite), stops the server with SIGTERM and expects exit 0.
# It removes the clone and stops what it started, whatever the outcome.
#
#   scripts/production-check.sh                            the committed HEAD, as CI has it
#   scripts/production-check.sh --with-changes [PATH…]     also this checkout's uncommitted changes (under PATHs)
set -euo pipefail

CI_USER=hydrant-ci
READY_TIMEOUT_S=60
# Shared with the run as the unprivileged user, so that its steps count from the same start.
export PRODUCTION_CHECK_STARTED="${PRODUCTION_CHECK_STARTED:-$(date +%s)}"

step() { printf '[production-check %3ds] %s\n' "$(($(date +%s) - PRODUCTION_CHECK_STARTED))" "$*"; }
fail() { step "FAILED: $*"; exit 1; }
# An interrupted check still runs its EXIT trap: the server stopped, the clone removed.
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------
# As the unprivileged user, in the clone: the README's commands.
if [ "${1:-}" = "--in-clone" ]; then
  cd "$2"
  [ "$(id -u)" -ne 0 ] || fail "the clone's steps must not run as root"
  node=(node bin/hydrant.js)

  step "build: deploy/build-production.sh ($(id -un))"
  deploy/build-production.sh
  [ ! -d node_modules/@nestjs/cli ] || fail "npm prune --omit=dev left the dev dependencies in node_modules"

  free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
  SECRETS_SYSTEM="$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")"
  SERVE_ADMIN_API_KEYS="$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")"
  DSN="sqlite://$PWD/data/hydrant.sqlite"
  # Ports of their own: the README's defaults (4444, 4445) may be taken on a CI machine.
  SERVE_PUBLIC_PORT="$(free_port)"
  SERVE_ADMIN_PORT="$(free_port)"
  export SECRETS_SYSTEM SERVE_ADMIN_API_KEYS DSN SERVE_PUBLIC_PORT SERVE_ADMIN_PORT
  public="http://127.0.0.1:$SERVE_PUBLIC_PORT"
  admin="http://127.0.0.1:$SERVE_ADMIN_PORT"

  step "serve: hydrant serve all (DSN=$DSN)"
  # A process group of its own (setsid), so that the cleanup can end the workers it forks too.
  setsid "${node[@]}" serve all >server.log 2>&1 &
  server=$!
  cleanup() {
    if kill -0 "$server" 2>/dev/null; then kill -KILL -- "-$server" 2>/dev/null || true; fi
  }
  trap cleanup EXIT

  # HTTP with Node's fetch: the check needs nothing the image lacks. Prints the body; fails on another status.
  http() { # METHOD URL EXPECTED_STATUS [BODY] [AUTHORIZATION] [CONTENT_TYPE]
    node -e '
      const [method, url, expected, body, authorization, type] = process.argv.slice(1);
      const headers = {};
      if (authorization) headers.authorization = authorization;
      if (body) headers["content-type"] = type || "application/json";
      fetch(url, { method, headers, body: body || undefined }).then(async (r) => {
        const text = await r.text();
        if (String(r.status) !== expected) { console.error(`${method} ${url}: ${r.status} ${text}`); process.exit(1); }
        process.stdout.write(text);
      }, (e) => { console.error(`${method} ${url}: ${e.message}`); process.exit(1); });' "$@"
  }
  field() { node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

  for url in "$public/health/ready" "$admin/health/ready"; do
    deadline=$((SECONDS + READY_TIMEOUT_S))
    until http GET "$url" 200 >/dev/null 2>&1; do
      kill -0 "$server" 2>/dev/null || { cat server.log; fail "hydrant serve all exited before $url was ready"; }
      [ "$SECONDS" -lt "$deadline" ] || { cat server.log; fail "$url not ready within ${READY_TIMEOUT_S}s"; }
      sleep 0.5
    done
  done
  step "ready on both ports"

  http GET "$admin/admin/clients" 401 >/dev/null || fail "the admin API answered without its API key"
  client="$(http POST "$admin/admin/clients" 201 '{"client_name":"production-check","grant_types":["client_credentials"]}' "Bearer $SERVE_ADMIN_API_KEYS")"
  basic="$(printf '%s:%s' "$(field client_id <<<"$client")" "$(field client_secret <<<"$client")" | base64 -w0)"
  access_token="$(http POST "$public/oauth2/token" 200 'grant_type=client_credentials' "Basic $basic" application/x-www-form-urlencoded | field access_token)"
  [ -n "$access_token" ] && [ "$access_token" != undefined ] || fail "no access token"
  step "created a client and got a client_credentials token"

  mkdir -m 0700 backups
  backup="backups/hydrant-$(date -u +%Y%m%dT%H%M%SZ).sqlite"
  "${node[@]}" backup "$backup"
  [ -s "$backup" ] || fail "hydrant backup wrote no file"
  if "${node[@]}" backup "$backup" 2>/dev/null; then fail "hydrant backup overwrote $backup"; fi
  DSN="sqlite://$PWD/$backup" "${node[@]}" migrate status | grep -q '^pending' && fail "the backup lacks migrations"
  step "hydrant backup wrote $backup ($(stat -c %s "$backup") bytes) and refused to overwrite it"

  kill -TERM "$server"
  status=0
  wait "$server" || status=$?
  trap - EXIT
  [ "$status" -eq 0 ] || { cat server.log; fail "hydrant serve all exited $status after SIGTERM"; }
  grep -q '"msg":"stopped"' server.log || fail "no \"stopped\" in the server's log"
  step "SIGTERM: the server exited 0"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------
# As the caller: the clone, the user, the cleanup.
source_repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d -t hydrant-production-check.XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

step "clone: git clone $source_repo"
git clone --quiet --no-hardlinks "$source_repo" "$work/hydrant"
if [ "${1:-}" = "--with-changes" ]; then
  shift
  # Tracked changes as a patch, untracked files as they are: the clone becomes this checkout's working tree.
  git -C "$source_repo" diff --binary HEAD -- "$@" | git -C "$work/hydrant" apply --allow-empty --binary
  git -C "$source_repo" ls-files -z --others --exclude-standard -- "$@" |
    (cd "$source_repo" && xargs -0 --no-run-if-empty cp --parents --target-directory="$work/hydrant")
  step "with this checkout's uncommitted changes${*:+ under $*}"
fi

if [ "$(id -u)" -eq 0 ]; then
  if ! id "$CI_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$CI_USER"
  fi
  # The caller's npm cache (CI's `npm ci` has just filled it), copied for the unprivileged user: the check
  # measures the build, not how fast the registry sends a thousand packages to an empty cache.
  cache="$(npm config get cache)"
  if [ -d "$cache/_cacache" ]; then
    mkdir "$work/npm-cache" && cp -r "$cache/_cacache" "$work/npm-cache/"
    npm_cache=(npm_config_cache="$work/npm-cache" npm_config_prefer_offline=true)
  else
    npm_cache=()
  fi
  chown -R "$CI_USER:" "$work"
  home="$(getent passwd "$CI_USER" | cut -d: -f6)"
  runuser -u "$CI_USER" -- env HOME="$home" PATH="$PATH" PRODUCTION_CHECK_STARTED="$PRODUCTION_CHECK_STARTED" "${npm_cache[@]}" \
    bash "$work/hydrant/scripts/production-check.sh" --in-clone "$work/hydrant"
else
  bash "$work/hydrant/scripts/production-check.sh" --in-clone "$work/hydrant"
fi
step "passed"
