//! A `rename` of the wrong type is one mistake: one error, at the value; the variant is not
//! also reported for the `errorType` its name maps.

use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "Limited")]
    Declined,
    #[function_error(rename = 5)]
    Limited,
}

fn main() {}
