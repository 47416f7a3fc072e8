use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError {
    #[function_error(name = "CardDeclined")]
    Declined,
}

fn main() {}
