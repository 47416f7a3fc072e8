use lambda_remote::lambda_remote;

#[lambda_remote]
pub trait Billing {
    #[lambda(function = "billing-audit", invocation = "event")]
    async fn audit(&self, entry: String);
}

fn main() {}
