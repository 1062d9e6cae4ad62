#!/usr/bin/env bash
# Proves the tests pass in checkouts unlike the one a developer usually has (issue 19). Each condition is a fresh
# `git clone` of this checkout's HEAD (commit first: uncommitted changes are not in it) with its own `npm ci`:
#   a  a private folder as root: `mktemp -d` (mode 0700), as a CI container's /root is. Tests that run something as
#      another user (nobody) must copy what it runs out of the checkout, which that user cannot enter.
#   b  a folder owned by an ordinary user ($CHECKOUT_USER, made with useradd when missing; no docker group), every
#      step run as that user (runuser): nothing may need root, and Docker tests skip with their printed reason.
#   c  a folder whose path has a space in it: no path may be split by a shell or an option parser.
# In each, the tests of the projects that exercise that condition (not the whole suite: `npm test` runs that).
# A real `npm ci` in each clone, not a link to this checkout's node_modules: (b)'s user must own its node_modules
# (tests write caches there), and a link would test this checkout's install, not the clone's.
#
# Needs root for a and b (skipped, with the reason, otherwise). Exits 1 naming each condition that failed, with the
# end of its log; the clones are removed unless one failed (then kept for inspection) or KEEP_CLONES=1.
#
# Usage: bash tools/ci/checkout-conditions.sh [a] [b] [c]      (default: all three)
# Env:   CHECKOUT_USER (default llmops-ci), KEEP_CLONES=1, CHECKOUT_PROJECTS_A/_B/_C (the projects of a condition)
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHECKOUT_USER="${CHECKOUT_USER:-llmops-ci}"
# The projects whose tests meet each condition (see tools/README.md): (a) the ones that run a program as nobody
# (k8s-manifests, rag-api) and build the image from the clone; (b) those and the ones with Docker tests that must skip;
# (c) the ones that spawn their CLIs, Nx and terraform by path (the bundle and the image: (a), from a private path).
# CHECKOUT_PROJECTS_A/_B/_C (space-separated) replace a list, e.g. to try one project under one condition.
read -r -a PROJECTS_A <<<"${CHECKOUT_PROJECTS_A:-k8s-manifests rag-api}"
read -r -a PROJECTS_B <<<"${CHECKOUT_PROJECTS_B:-platform contract k8s-manifests rag-api pod-rehearsal workspace-tools}"
read -r -a PROJECTS_C <<<"${CHECKOUT_PROJECTS_C:-platform k8s-manifests local-deploy infra-eks}"

export CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
# As .ci/run does: terraform's AWS provider from the offline mirror, so infra-eks's terraform tests run, not skip.
if [ -z "${LLMOPS_TF_PLUGIN_MIRROR:-}" ] && [ -d /opt/tf-plugins ]; then export LLMOPS_TF_PLUGIN_MIRROR=/opt/tf-plugins; fi

started=$SECONDS
say() { printf '[checkout-conditions +%ss] %s\n' "$((SECONDS - started))" "$*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }
plain() { sed 's/\x1b\[[0-9;]*m//g'; } # without terminal colours

conditions=("$@")
[ ${#conditions[@]} -gt 0 ] || conditions=(a b c)
for c in "${conditions[@]}"; do
  case "$c" in a | b | c) ;; *)
    echo "usage: bash tools/ci/checkout-conditions.sh [a] [b] [c]  (unknown condition: $c)" >&2
    exit 2
    ;;
  esac
done

sha="$(git -C "$SOURCE" rev-parse HEAD)"
say "testing commit ${sha:0:12} of $SOURCE in fresh clones: conditions ${conditions[*]}"
if [ -n "$(git -C "$SOURCE" status --porcelain --untracked-files=no)" ]; then
  say "note: $SOURCE has uncommitted changes; the clones test the commit only"
fi

made=()    # folders to remove at the end
failed=()  # "condition: what failed"
passed=()  # conditions that passed
skipped=() # "condition: why"
timings=() # "condition: seconds"
cleanup() {
  if [ ${#failed[@]} -gt 0 ] || [ "${KEEP_CLONES:-}" = 1 ]; then
    [ ${#made[@]} -gt 0 ] && say "kept for inspection: ${made[*]}"
    return
  fi
  for dir in "${made[@]}"; do rm -rf -- "$dir"; done
}
trap cleanup EXIT

# searchable_path USER: the folders of PATH that USER may search, in order (root's PATH names /root/... folders).
searchable_path() {
  local user="$1" dir kept=()
  local IFS=:
  for dir in $PATH; do
    if [ -n "$dir" ] && runuser -u "$user" -- test -x "$dir" 2>/dev/null; then kept+=("$dir"); fi
  done
  echo "${kept[*]}"
}

# run_as USER DIR LOG CMD...: CMD in DIR as USER (this user: as is), output to LOG. HOME and the npm cache are USER's.
run_as() {
  local user="$1" dir="$2" log="$3"
  shift 3
  if [ "$user" = "$(id -un)" ]; then
    (cd "$dir" && "$@") >>"$log" 2>&1
  else
    local home
    home="$(dirname "$dir")"
    # runuser keeps the environment: HOME and the npm cache would still be root's (which this user cannot write), and
    # PATH would name root's own folders; the user gets its own, and the PATH folders it may search.
    runuser -u "$user" -- env --chdir="$dir" HOME="$home" npm_config_cache="$home/.npm" USER="$user" LOGNAME="$user" \
      PATH="$(searchable_path "$user")" "$@" >>"$log" 2>&1
  fi
}

# condition NAME USER DIR PROJECTS...: clone into DIR (its parent exists and belongs to USER), npm ci, the tests.
condition() {
  local name="$1" user="$2" dir="$3"
  shift 3
  local t0=$SECONDS t_tests log step=''
  log="$(dirname "$dir")/condition-$name.log"
  : >"$log"
  [ "$user" = "$(id -un)" ] || chown "$user:" "$log"
  say "($name) clone into '$dir' (as $user, parent mode $(stat -c %a "$(dirname "$dir")"))"
  # As root, then handed to the user: it may not be able to read this checkout. No hard links to our objects: the
  # chown would change them too.
  if ! {
    git clone --quiet --no-hardlinks --no-checkout "$SOURCE" "$dir" &&
      git -C "$dir" fetch --quiet "$SOURCE" HEAD &&
      git -C "$dir" checkout --quiet --detach FETCH_HEAD
  }; then
    failed+=("$name: git clone of $SOURCE")
    return
  fi
  [ "$user" = "$(id -un)" ] || chown -R "$user:" "$dir"
  say "($name) npm ci (log: $log)"
  t_tests=$SECONDS
  if ! run_as "$user" "$dir" "$log" npm ci --no-audit --no-fund; then
    step="npm ci"
  else
    t_tests=$SECONDS
    say "($name) clone and npm ci took $((SECONDS - t0))s; tests of $*"
    # Nx 23 keeps one task cache per workspace in ~/.nx, shared by every clone of it: without a cache of its own, a
    # clone would replay another clone's results (this script's earlier conditions, or CI's) instead of running them.
    run_as "$user" "$dir" "$log" env NX_CACHE_DIRECTORY="$(dirname "$dir")/nx-cache" \
      npx nx run-many -t test --projects="$(
        IFS=,
        echo "$*"
      )" --skip-nx-cache --outputStyle=static || step="the tests of $*"
    if [ -z "$step" ] && plain <"$log" | grep -qE '\[(local|remote) cache\]'; then
      step="the tests of $* were replayed from a cache, not run"
    fi
  fi
  timings+=("$name $((SECONDS - t0))s, tests $((SECONDS - t_tests))s")
  if [ -n "$step" ]; then
    failed+=("$name: $step (log: $log)")
    say "($name) FAILED: $step, after $((SECONDS - t0))s. Failures in $log:"
    plain <"$log" | grep -E 'FAIL|×|Error|error TS|ERR!' | head -40 | sed 's/^/    /' || true
    say "($name) the end of $log:"
    plain <"$log" | tail -n 25 | sed 's/^/    /'
  else
    passed+=("$name")
    say "($name) passed in $((SECONDS - t0))s (tests $((SECONDS - t_tests))s); per project, and what was skipped and why:"
    # vitest names the project in its RUN line and totals it in its Tests line; the skip reasons are the tests' own.
    plain <"$log" | awk '/^ *RUN +v/ { project = $NF; sub(/.*\//, "", project) }
      /^ *Tests +[0-9]+ (passed|failed)/ { sub(/^ */, ""); print "    " project ": " $0 }
      /SKIPP/ && !seen[$0]++ { print "    " $0 }'
  fi
}

for c in "${conditions[@]}"; do
  case "$c" in
  a)
    if ! is_root; then
      skipped+=("a: needs root (the condition is root in a private folder)")
      say "(a) SKIPPED: ${skipped[-1]#a: }"
      continue
    fi
    parent="$(mktemp -d)" # 0700, root's
    made+=("$parent")
    condition a root "$parent/repo" "${PROJECTS_A[@]}"
    ;;
  b)
    if ! is_root; then
      skipped+=("b: needs root to make the user $CHECKOUT_USER and run as it")
      say "(b) SKIPPED: ${skipped[-1]#b: }"
      continue
    fi
    if ! id -u "$CHECKOUT_USER" >/dev/null 2>&1; then
      say "(b) useradd $CHECKOUT_USER (no home, no login shell, no extra groups)"
      useradd --system --no-create-home --shell /usr/sbin/nologin "$CHECKOUT_USER"
    fi
    if id -nG "$CHECKOUT_USER" | grep -qw docker; then
      say "(b) note: $CHECKOUT_USER is in the docker group, so its Docker tests run instead of skipping"
    fi
    parent="$(mktemp -d)"
    made+=("$parent")
    chown "$CHECKOUT_USER:" "$parent"
    # Its npm cache starts as a copy of ours (when we have one): npm ci as that user then reads no registry.
    cache="$(npm config get cache 2>/dev/null || true)"
    if [ -d "$cache/_cacache" ]; then
      say "(b) seeding $CHECKOUT_USER's npm cache from $cache"
      mkdir -p "$parent/.npm" && cp -a "$cache/_cacache" "$parent/.npm/" && chown -R "$CHECKOUT_USER:" "$parent/.npm"
    fi
    condition b "$CHECKOUT_USER" "$parent/repo" "${PROJECTS_B[@]}"
    ;;
  c)
    parent="$(mktemp -d)/with space"
    mkdir "$parent"
    made+=("$(dirname "$parent")")
    condition c "$(id -un)" "$parent/re po" "${PROJECTS_C[@]}"
    ;;
  esac
done

joined() { [ $# -gt 0 ] && printf '%s; ' "$@" | sed 's/; $//' || echo none; }
say "time per condition: $(joined "${timings[@]}"); total $((SECONDS - started))s"
if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do say "FAILED ($f)"; done
  exit 1
fi
say "passed: ${passed[*]:-none}${skipped[*]:+; SKIPPED: $(joined "${skipped[@]}")}"
