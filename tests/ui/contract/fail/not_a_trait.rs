use lambda_remote::lambda_remote;

#[lambda_remote]
pub struct Billing;

fn main() {}
