//! `#[derive(FunctionError)]` without the prelude, next to items named like what it uses.

#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types)]

struct Option;
struct Result;
struct String;
struct Some;
struct None;
struct Cow;
struct Map;
trait ErrorContent {}
trait FunctionError {}
trait Serialize {}
trait Deserialize {}
mod serde {}
mod serde_json {}
mod core {}
mod std {}
fn fields_of() {}

#[derive(::lambda_remote::FunctionError)]
pub enum ChargeError {
    Unit,
    #[function_error(rename = "Card.Declined")]
    Message(::std::string::String),
    Detailed(::lambda_remote::error::Details<Decline>),
    Fields {
        limit: u64,
        reason: ::std::option::Option<::std::string::String>,
    },
    #[function_error(other)]
    Other(::lambda_remote::ErrorObject),
}

#[derive(::serde::Serialize, ::serde::Deserialize)]
#[serde(crate = "::serde")]
pub struct Decline {
    pub code: u32,
}

fn main() {}
