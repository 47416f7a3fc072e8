use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined(String, u32),
}

fn main() {}
