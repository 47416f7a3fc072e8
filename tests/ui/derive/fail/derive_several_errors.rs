use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(rename = 5)]
    Declined,
    Limited(u32, u32),
    #[function_error(other, other)]
    Unknown,
}

fn main() {}
