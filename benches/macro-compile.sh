#!/usr/bin/env bash
# What #[lambda_remote] costs at compile time, on a 100-method trait.
#
# Generates, under target/macro-bench/ (a workspace of its own, path-depending on this one):
#   generated/  the trait with #[lambda_remote]: 100 methods, one struct in, one struct out,
#               typed errors — the client is generated;
#   hand/       the same trait and types with the equivalent client written by hand: 100
#               methods, each serializing with serde_json::to_vec, calling
#               sdk.invoke().function_name(..).payload(..).send(), checking function_error()
#               and mapping errorType onto the same error enum, and deserializing;
#   plain/      the same trait left un-annotated (no client at all): the baseline that
#               separates what the macro and its output cost from what the crate costs anyway;
#   expand/     a harness binary that includes the macro's own source (macros/src) as plain
#               modules and runs its expansion on the same trait through proc-macro2's
#               fallback (outside the compiler), in the dev profile the compiler builds proc
#               macros with.
#
# Measures, after every dependency is built: `cargo check` of each crate with only the
# crate's own src/lib.rs touched, RUNS times, interleaved (generated, hand, plain, …), and
# reports the medians and the ratios; then the expansion itself (median of 30).
#
# Usage: bash benches/macro-compile.sh          (METHODS=100 RUNS=5 by default)
set -euo pipefail

WS="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$WS/target/macro-bench"
METHODS="${METHODS:-100}"
RUNS="${RUNS:-5}"
# A target dir of its own: the timings must never wait on the workspace's build lock (other
# builds may hold it). Dependencies are built into it once, in check mode, before timing.
export CARGO_TARGET_DIR="$OUT/target"
export CARGO_TERM_COLOR=never
# Not incremental (as CI builds): each check redoes all of the crate's own work, rather than
# reusing what an unchanged source hashed to last time.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

mkdir -p "$OUT"/{generated,hand,plain,expand}/src

cat >"$OUT/Cargo.toml" <<EOF
[workspace]
members = ["generated", "hand", "plain", "expand"]
resolver = "2"

[workspace.package]
version = "0.0.0"
edition = "2021"
publish = false

[workspace.dependencies]
lambda-remote = { path = "$WS" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

# As the lambda-remote workspace builds.
[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
EOF
# The same versions as the workspace.
cp "$WS/Cargo.lock" "$OUT/Cargo.lock"

for crate in generated hand plain; do
  cat >"$OUT/$crate/Cargo.toml" <<EOF
[package]
name = "macro-bench-$crate"
version.workspace = true
edition.workspace = true
publish.workspace = true

[dependencies]
lambda-remote.workspace = true
serde.workspace = true
serde_json.workspace = true
EOF
done

cat >"$OUT/expand/Cargo.toml" <<EOF
[package]
name = "macro-bench-expand"
version.workspace = true
edition.workspace = true
publish.workspace = true

[dependencies]
lambda-remote-names = { path = "$WS/names" }
syn = { version = "2", features = ["full", "extra-traits", "visit-mut"] }
quote = "1"
proc-macro2 = "1"
EOF

methods() {
  # $1: "generated" (with #[lambda] attributes) or "plain" (without)
  local i name
  for ((i = 0; i < METHODS; i++)); do
    name=$(printf 'm%03d' "$i")
    if [[ $1 == generated ]]; then
      printf '    #[lambda(function = "api-fn-%03d")]\n' "$i"
    fi
    printf '    async fn %s(&self, input: Input) -> Result<Output, InvokeError<ApiError>>;\n' "$name"
  done
}

types() {
  cat <<'EOF'
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Input {
    pub id: String,
    pub qty: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    pub id: String,
    pub total: u64,
}
EOF
}

# The error enum: derived in the macro crates, mapped by hand in the hand-written one.
derived_error() {
  cat <<'EOF'

#[derive(Debug, lambda_remote::FunctionError)]
pub enum ApiError {
    Declined,
    Failed(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ApiError {}
EOF
}

{
  types
  echo
  echo 'use lambda_remote::{lambda_remote, InvokeError};'
  derived_error
  echo
  echo '#[lambda_remote]'
  echo 'pub trait Api {'
  methods generated
  echo '}'
} >"$OUT/generated/src/lib.rs"

{
  echo '#![allow(async_fn_in_trait)]'
  echo
  types
  echo
  echo 'use lambda_remote::InvokeError;'
  derived_error
  echo
  echo 'pub trait Api {'
  methods plain
  echo '}'
} >"$OUT/plain/src/lib.rs"

{
  types
  cat <<'EOF'

use std::future::Future;

use lambda_remote::aws_sdk_lambda;
use lambda_remote::aws_sdk_lambda::primitives::Blob;

#[derive(Debug)]
pub enum ApiError {
    Declined,
    Failed(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ApiError {}

/// What a hand-written call can fail with.
#[derive(Debug)]
pub enum HandError {
    Serialize(serde_json::Error),
    Sdk(Box<dyn std::error::Error + Send + Sync>),
    Function(ApiError),
    Unmapped(String, Vec<u8>),
    Deserialize(serde_json::Error),
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    #[serde(rename = "errorMessage")]
    error_message: Option<String>,
}

fn function_error(body: &[u8]) -> HandError {
    match serde_json::from_slice::<ErrorObject>(body) {
        Ok(ErrorObject { error_type: Some(t), .. }) if t == "Declined" => {
            HandError::Function(ApiError::Declined)
        }
        Ok(ErrorObject { error_type: Some(t), error_message }) if t == "Failed" => {
            HandError::Function(ApiError::Failed(error_message.unwrap_or_default()))
        }
        _ => HandError::Unmapped("Unhandled".to_owned(), body.to_vec()),
    }
}

pub trait Api {
EOF
  for ((i = 0; i < METHODS; i++)); do
    printf '    fn m%03d(&self, input: Input) -> impl Future<Output = Result<Output, HandError>> + Send;\n' "$i"
  done
  cat <<'EOF'
}

#[derive(Clone, Debug)]
pub struct ApiClient {
    sdk: aws_sdk_lambda::Client,
}

impl ApiClient {
    pub fn new(sdk: aws_sdk_lambda::Client) -> Self {
        Self { sdk }
    }
}

impl Api for ApiClient {
EOF
  for ((i = 0; i < METHODS; i++)); do
    cat <<EOF
    async fn m$(printf '%03d' "$i")(&self, input: Input) -> Result<Output, HandError> {
        let payload = serde_json::to_vec(&input).map_err(HandError::Serialize)?;
        let output = self
            .sdk
            .invoke()
            .function_name("api-fn-$(printf '%03d' "$i")")
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(|e| HandError::Sdk(Box::new(e)))?;
        let body = output.payload().map(Blob::as_ref).unwrap_or(b"null");
        if output.function_error().is_some() {
            return Err(function_error(body));
        }
        serde_json::from_slice(body).map_err(HandError::Deserialize)
    }
EOF
  done
  echo '}'
} >"$OUT/hand/src/lib.rs"

# The expansion harness: the trait's tokens, the macro's source as modules.
{
  echo 'pub trait Api {'
  methods generated
  echo '}'
} >"$OUT/expand/src/trait.rs.in"
cat >"$OUT/expand/src/main.rs" <<EOF
//! Runs #[lambda_remote]'s expansion on the benchmark trait through proc-macro2's fallback.
#![allow(dead_code, unused_imports)]

#[path = "$WS/macros/src/attr.rs"]
mod attr;
#[path = "$WS/macros/src/contract/mod.rs"]
mod contract;
#[path = "$WS/macros/src/errors.rs"]
mod errors;
#[path = "$WS/macros/src/keys.rs"]
mod keys;
#[path = "$WS/macros/src/tokens.rs"]
mod tokens;

use std::time::{Duration, Instant};

fn main() {
    let source = include_str!("trait.rs.in");
    let input: proc_macro2::TokenStream = source.parse().expect("the trait tokenizes");
    let reps = 30;
    let mut times: Vec<Duration> = Vec::with_capacity(reps);
    let mut output = proc_macro2::TokenStream::new();
    for _ in 0..=reps {
        let input = input.clone();
        let start = Instant::now();
        output = contract::expand(proc_macro2::TokenStream::new(), input);
        times.push(start.elapsed());
    }
    times.remove(0);
    times.sort();
    let text = output.to_string();
    assert!(!text.contains("compile_error"), "the expansion failed: {text}");
    println!(
        "{:.3} {:.3} {:.3} {}",
        times[reps / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[reps - 1].as_secs_f64() * 1e3,
        text.len()
    );
}
EOF

cd "$OUT"
echo "macro-compile: building dependencies (check mode, once) under $CARGO_TARGET_DIR" >&2
cargo check -q -p macro-bench-generated -p macro-bench-hand -p macro-bench-plain
cargo build -q -p macro-bench-expand

now_ns() { date +%s%N; }
# CPU time (user + system) of cargo and rustc, in ms: it barely moves when other processes
# compete for the cores, which wall time does a lot on a shared machine.
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$1"; }
declare -A wall cpu
times_file="$OUT/time.txt"
for ((run = 0; run < RUNS; run++)); do
  for crate in generated hand plain; do
    touch "$OUT/$crate/src/lib.rs"
    start=$(now_ns)
    /usr/bin/time -f '%U %S' -o "$times_file" cargo check -q -p "macro-bench-$crate"
    end=$(now_ns)
    wall[$crate]+="$(((end - start) / 1000000)) "
    cpu[$crate]+="$(cpu_ms "$times_file") "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A mw mc
for crate in generated hand plain; do
  mw[$crate]=$(echo "${wall[$crate]}" | median)
  mc[$crate]=$(echo "${cpu[$crate]}" | median)
done
read -r exp_median exp_min exp_max exp_bytes < <(cargo run -q -p macro-bench-expand)

echo
echo "### Compile time: ${METHODS}-method trait, cargo check of the crate alone (median of $RUNS)"
echo
echo "| crate | wall runs (ms) | median wall | CPU runs (ms) | median CPU |"
echo "|---|---|---|---|---|"
for crate in generated hand plain; do
  case $crate in
    generated) label='generated (#[lambda_remote])' ;;
    hand) label='hand-written client' ;;
    plain) label='trait left un-annotated' ;;
  esac
  echo "| $label | ${wall[$crate]}| ${mw[$crate]} ms | ${cpu[$crate]}| ${mc[$crate]} ms |"
done
echo
echo "| ratio | wall | CPU | target |"
echo "|---|---|---|---|"
awk -v g="${mw[generated]}" -v h="${mw[hand]}" -v p="${mw[plain]}" \
    -v cg="${mc[generated]}" -v ch="${mc[hand]}" -v cp="${mc[plain]}" 'BEGIN {
  printf "| generated / hand-written | **%.3f** | **%.3f** | ≤ 1.5 |\n", g / h, cg / ch
  printf "| generated / un-annotated | %.3f | %.3f | (report) |\n", g / p, cg / cp
  printf "| hand-written / un-annotated | %.3f | %.3f | (report) |\n", h / p, ch / cp
  printf "| macro + its output (generated − un-annotated) | %d ms | %d ms | (report) |\n", g - p, cg - cp
  printf "| hand-written client (hand − un-annotated) | %d ms | %d ms | (report) |\n", h - p, ch - cp
}'
echo
echo "Expansion alone (the macro's code through proc-macro2's fallback, dev profile, median of 30):"
echo "$exp_median ms (min $exp_min, max $exp_max) for $METHODS methods; $exp_bytes bytes of generated code."
