use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
    #[function_error(rename = "Declined")]
    Refused(String),
}

fn main() {}
