use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
#[function_error(rename_all = "PascalCase")]
pub enum ChargeError {
    Declined,
}

fn main() {}
