use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = "")]
    Declined,
}

fn main() {}
