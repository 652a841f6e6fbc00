#!/usr/bin/env bash
# Validates the operational files with the real tools, where they are installed:
#   docker compose / docker-compose  config -q           (docker-compose.yml)
#   promtool check config / check rules / test rules     (ops/prometheus)
#   kubectl kustomize                                    (ops/k8s and ops/k8s-jetstream-lag, client-side only)
# A missing tool is reported as "skipped: not installed", except under CI=true (.ci/run installs
# promtool and docker-compose), where it is a failure; any failing check makes the exit status
# non-zero. kubectl is optional everywhere (Debian has no current package). Schema and metric-name checks that need no tool live in
# test/integration/ops-manifests.test.ts (npm test).
set -uo pipefail

cd "$(dirname "$0")/.."

failures=0

# run <label> <command...>: runs the check, prints its verdict, counts failures.
run() {
  local label=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    echo "ok:      $label"
  else
    echo "FAILED:  $label"
    printf '%s\n' "$output" | sed 's/^/         /'
    failures=$((failures + 1))
  fi
}

# skip <label> <tool> [optional]: a missing tool; fatal under CI unless the tool is optional.
skip() {
  if [ "${CI:-}" = "true" ] && [ "${3:-}" != "optional" ]; then
    echo "FAILED:  $1 ($2 not installed, and CI=true requires it)"
    failures=$((failures + 1))
  else
    echo "skipped: $1 ($2 not installed)"
  fi
}

# Compose interpolates ${GITHUB_WEBHOOK_SECRET:?...}; a placeholder lets the file be checked.
export GITHUB_WEBHOOK_SECRET=${GITHUB_WEBHOOK_SECRET:-check-ops-placeholder}
if docker compose version >/dev/null 2>&1; then
  run "docker compose config" docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null 2>&1; then
  run "docker-compose config" docker-compose -f docker-compose.yml config -q
else
  skip "docker compose config" "docker compose / docker-compose"
fi

if command -v promtool >/dev/null 2>&1; then
  run "promtool check config" promtool check config ops/prometheus/prometheus.yml
  run "promtool check rules" promtool check rules ops/prometheus/alerts.yml
  # Rule files in the test file are resolved relative to the test file itself.
  run "promtool test rules" promtool test rules ops/prometheus/alerts.test.yml
else
  skip "promtool check config, check rules, test rules" promtool
fi

if command -v kubectl >/dev/null 2>&1; then
  run "kubectl kustomize ops/k8s" kubectl kustomize ops/k8s
  run "kubectl kustomize ops/k8s-jetstream-lag" kubectl kustomize ops/k8s-jetstream-lag
else
  skip "kubectl kustomize ops/k8s" kubectl optional
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all available checks passed"
