use lambda_remote::FunctionError;

#[derive(Debug)]
pub struct Limit(pub u64);

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    OverLimit { limit: Limit },
}

fn main() {}
