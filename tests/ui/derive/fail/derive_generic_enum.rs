use lambda_remote::FunctionError;

#[derive(Debug, FunctionError)]
pub enum ChargeError<T> {
    Declined(T),
}

fn main() {}
