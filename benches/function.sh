#!/usr/bin/env bash
# The function side (BENCHMARKS.md, "Function side (issue 22)"): a served function with
# lambda-remote's `server` feature alone (benches/function/src/bin/served.rs) against its
# hand-written lambda_runtime twin (hand.rs), same types, same serde work, and that twin on
# lambda_runtime's run_concurrent as the served side runs (hand_concurrent.rs). Needs valgrind.
#   release binaries, as built and stripped;
#   cold start: process start to the first GET /next, median of RUNS (30) starts, and the same
#     start in instructions;
#   per invocation: callgrind instructions of (BASE + EXTRA) invocations minus BASE, / EXTRA,
#     for a small payload and a 1 MB one (PAYLOADS=small or 1mb for one).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0
cargo build --quiet --release -p lambda-remote-bench-function
printf '| program | bytes | stripped |\n|---|---|---|\n'
for name in served-fn hand-fn hand-concurrent-fn; do
  binary="target/release/$name"
  stripped=$(mktemp)
  strip -o "$stripped" "$binary"
  printf '| %s | %s | %s |\n' "$name" "$(stat -c %s "$binary")" "$(stat -c %s "$stripped")"
  rm -f "$stripped"
done
echo
target/release/function-bench coldstart target/release/served-fn target/release/hand-fn target/release/hand-concurrent-fn
echo
target/release/function-bench instructions target/release/served-fn target/release/hand-fn target/release/hand-concurrent-fn
