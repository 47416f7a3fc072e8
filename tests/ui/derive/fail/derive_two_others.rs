use lambda_remote::{ErrorObject, FunctionError};

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
    #[function_error(other)]
    Unknown(ErrorObject),
    #[function_error(other)]
    Unexpected,
}

fn main() {}
