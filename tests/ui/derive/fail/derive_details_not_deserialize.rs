use lambda_remote::{FunctionError, error::Details};

#[derive(Debug, serde::Serialize)]
pub struct Decline {
    pub code: u32,
}

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined(Details<Decline>),
}

fn main() {}
