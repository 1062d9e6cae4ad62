#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`. Idempotent:
#   1. an engine already answers           -> nothing to do
#   2. no `dockerd` binary                 -> apt-get install docker.io (Debian's
#                                             package; `apt-get update` only when
#                                             the package lists are missing or
#                                             the install fails on stale lists)
#   3. dockerd not running                 -> start it in the background, logs to
#                                             $DOCKERD_LOG (default /tmp/dockerd.log)
#   4. wait up to $DOCKER_WAIT_SECONDS (30) for `docker info`
# Exits non-zero with the problem and the fix when no engine can be had.
# Used by .ci/run; also fine on a laptop where Docker Desktop already runs (step 1).
set -euo pipefail

log_file="${DOCKERD_LOG:-/tmp/dockerd.log}"
wait_seconds="${DOCKER_WAIT_SECONDS:-30}"

say() { printf '[ensure-docker] %s\n' "$*"; }
fail() {
  printf '[ensure-docker] ERROR: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf '[ensure-docker] fix: %s\n' "$2" >&2
  exit 1
}

engine_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "engine already answers: Docker $(docker info --format '{{.ServerVersion}}' 2>/dev/null)"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    fail "need root to run: $*" "run this script as root, or start Docker yourself"
  fi
}

if ! command -v dockerd >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "no Docker engine (dockerd) and no apt-get to install one" "install Docker: https://docs.docker.com/engine/install/"
  export DEBIAN_FRONTEND=noninteractive
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    say "apt package lists are empty: apt-get update"
    as_root apt-get update -qq
  fi
  say "installing docker.io from Debian's packages (about 30 s)..."
  if ! as_root apt-get install -y -qq --no-install-recommends docker.io >/tmp/ensure-docker-apt.log 2>&1; then
    say "install failed with the current package lists: apt-get update and retry"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends docker.io >/tmp/ensure-docker-apt.log 2>&1 ||
      fail "apt-get install docker.io failed (log: /tmp/ensure-docker-apt.log)" "check the apt sources reach Debian's mirror"
  fi
  say "installed: $(dockerd --version)"
fi

if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is running (pid $(pgrep -x dockerd | head -1)) but does not answer yet: waiting"
else
  say "starting dockerd in the background (log: $log_file)"
  # containerd is started by dockerd itself when no system containerd runs.
  as_root nohup dockerd </dev/null >"$log_file" 2>&1 &
fi

for ((i = 1; i <= wait_seconds; i++)); do
  if engine_answers; then
    say "engine answers after ${i}s: Docker $(docker info --format '{{.ServerVersion}}' 2>/dev/null)"
    exit 0
  fi
  if ((i % 5 == 0)); then say "waiting for the engine... ${i}s"; fi
  sleep 1
done

echo "----- last lines of $log_file -----" >&2
tail -n 20 "$log_file" >&2 2>/dev/null || true
fail "the Docker engine did not answer \`docker info\` within ${wait_seconds}s" \
  "read $log_file; on a container host dockerd needs root and full capabilities; raise DOCKER_WAIT_SECONDS if the machine is slow"
