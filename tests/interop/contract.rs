//! The contract of the interop suite, compiled by both sides: `tests/interop.rs` calls it through
//! the generated client, and the function crate (`tests/interop/function`) serves it on the real
//! `lambda_runtime` under `cargo lambda watch`.
//!
//! Every run of a method appends one line (`<method> <argument>`) to the file named by
//! `INTEROP_RUNS_FILE`, so the suite counts exactly how many times the function ran.

// Each side uses its own half of the contract.
#![allow(dead_code)]

use std::io::Write as _;

use lambda_remote::{lambda_remote, FunctionError, InvokeError};
use serde::{Deserialize, Serialize};

/// The environment variable naming the file the function appends its runs to.
pub const RUNS_FILE_ENV: &str = "INTEROP_RUNS_FILE";

/// Whom to greet. A JSON object: moto's server fails (500) on any payload that is not one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guest {
    pub name: String,
}

impl Guest {
    pub fn new(name: &str) -> Self {
        Self { name: name.into() }
    }
}

/// The greeting function's own errors.
#[derive(Debug, Clone, PartialEq, FunctionError, thiserror::Error)]
pub enum GreetError {
    #[error("nobody to greet")]
    Nobody,
    #[error("{name} is not welcome: {reason}")]
    #[function_error(rename = "NotWelcome")]
    NotWelcome { name: String, reason: String },
}

#[lambda_remote(server)]
pub trait Interop {
    /// Greets someone; the names `""` and `"Mallory"` are the function's typed errors.
    #[lambda(function = "interop-greet")]
    async fn greet(&self, guest: Guest) -> Result<String, InvokeError<GreetError>>;

    /// The same function, as an `Event`.
    #[lambda(function = "interop-greet", invocation = "event")]
    async fn greet_later(&self, guest: Guest) -> Result<(), InvokeError<GreetError>>;

    /// The same function, as a `DryRun`.
    #[lambda(function = "interop-greet", invocation = "dry_run")]
    async fn check_greet(&self, guest: Guest) -> Result<(), InvokeError<GreetError>>;

    /// Panics. Its payload is a JSON string.
    #[lambda(function = "interop-panic")]
    async fn explode(&self, tag: String) -> Result<String, InvokeError<GreetError>>;

    /// A function that exists nowhere.
    #[lambda(function = "interop-missing")]
    async fn missing(&self) -> Result<(), InvokeError>;
}

/// The functions' implementation.
pub struct InteropImpl;

impl Interop for InteropImpl {
    async fn greet(&self, guest: Guest) -> Result<String, InvokeError<GreetError>> {
        let name = guest.name;
        record_run("greet", &name);
        match name.as_str() {
            "" => Err(GreetError::Nobody)?,
            "Mallory" => Err(GreetError::NotWelcome {
                name: name.clone(),
                reason: "known to tamper".into(),
            })?,
            _ => Ok(format!("Hello, {name}!")),
        }
    }

    async fn greet_later(&self, guest: Guest) -> Result<(), InvokeError<GreetError>> {
        self.greet(guest).await.map(drop)
    }

    async fn check_greet(&self, _guest: Guest) -> Result<(), InvokeError<GreetError>> {
        Ok(())
    }

    async fn explode(&self, tag: String) -> Result<String, InvokeError<GreetError>> {
        record_run("explode", &tag);
        panic!("exploded on purpose: {tag}");
    }

    async fn missing(&self) -> Result<(), InvokeError> {
        Ok(())
    }
}

/// Appends `<method> <argument>` to the runs file, if one is named.
fn record_run(method: &str, argument: &str) {
    let Ok(path) = std::env::var(RUNS_FILE_ENV) else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("cannot open the runs file {path}: {e}"));
    writeln!(file, "{method} {argument}").expect("the run is recorded");
}
