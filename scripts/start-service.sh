#!/bin/sh
# The one start command of the service: `npm start`, the Docker image's CMD and so the Kubernetes
# Deployment all run this file, so one variable sizes the heap everywhere:
#   HEAP_MB  V8's old-space limit in MiB (default 160; keep it well under the container's memory limit).
# glibc's malloc, which holds the buffers outside V8's heap (socket reads, message bodies, compiler
# zones), is tuned for a container's memory limit rather than for speed alone (the environment wins):
#   MALLOC_ARENA_MAX=2            V8's compiler and GC threads otherwise keep an arena each: ~6-8 MB.
#   MALLOC_MMAP_THRESHOLD_=32768  blocks from 32 KiB are mapped and unmapped on their own instead of
#                                 fragmenting the heap: peak RSS under the e2e load 163-171 -> 152-154 MB,
#                                 for ~19 more page faults per delivery (~2 % of its CPU).
# Node replaces this shell (exec), so it runs as PID 1 in a container and receives SIGTERM itself.
set -eu
cd "$(dirname "$0")/.."
heap_mb="${HEAP_MB:-160}"
case "$heap_mb" in
  '' | *[!0-9]*)
    echo "webhook-orchestrator: HEAP_MB must be a whole number of MiB, got '$heap_mb'" >&2
    exit 78 # EX_CONFIG, as main.ts for a bad configuration
    ;;
esac
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-32768}"
exec node --max-old-space-size="$heap_mb" --max-semi-space-size=4 --enable-source-maps \
  --import ./dist/instrumentation.js dist/main.js "$@"
