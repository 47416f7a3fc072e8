//! A misspelt `rename` is one mistake: one error, the unknown key; the variant is not also
//! reported for the `errorType` its name maps.

use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "Limited")]
    Declined,
    #[function_error(renam = "OverLimit")]
    Limited,
}

fn main() {}
