use lambda_remote::FunctionError;

#[derive(FunctionError)]
pub union ChargeError {
    pub code: u32,
    pub flags: f32,
}

fn main() {}
