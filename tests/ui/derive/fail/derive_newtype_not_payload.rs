use lambda_remote::FunctionError;

#[derive(Debug)]
pub struct Decline {
    pub code: u32,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined(Decline),
}

fn main() {}
