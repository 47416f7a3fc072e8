use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    Declined,
    #[function_error(other)]
    Other {
        code: u32,
    },
}

fn main() {}
