use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "CardDeclined")]
    Declined,
    #[function_error(rename = "CardDeclined")]
    Refused(String),
}

fn main() {}
