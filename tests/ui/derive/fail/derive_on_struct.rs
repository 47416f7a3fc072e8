use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub struct ChargeError {
    pub message: String,
}

fn main() {}
