#!/usr/bin/env bash
# Release binary sizes of the README quickstart's program through a generated client and the
# same program written by hand against aws-sdk-lambda (BENCHMARKS.md). Both are built with
# the default features of lambda-remote and the same profile; sizes as built and stripped.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --example size_generated --example size_hand
printf '| program | bytes | stripped |\n|---|---|---|\n'
for name in size_generated size_hand; do
  binary="${CARGO_TARGET_DIR:-target}/release/examples/$name"
  stripped=$(mktemp)
  strip -o "$stripped" "$binary"
  printf '| %s | %s | %s |\n' "$name" "$(stat -c %s "$binary")" "$(stat -c %s "$stripped")"
  rm -f "$stripped"
done
