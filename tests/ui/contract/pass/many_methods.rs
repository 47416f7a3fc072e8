//! A trait with many methods (48): one struct, one `METHODS` table, one impl.

use lambda_remote::{lambda_remote, InvokeError};

#[lambda_remote]
pub trait Big {
    #[lambda(function = "big-0")]
    async fn method_0(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-1", invocation = "event")]
    async fn method_1(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-2", timeout = "3s")]
    async fn method_2(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-3")]
    async fn method_3(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-4", invocation = "event")]
    async fn method_4(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-5", timeout = "6s")]
    async fn method_5(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-6")]
    async fn method_6(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-7", invocation = "event")]
    async fn method_7(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-8", timeout = "9s")]
    async fn method_8(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-9")]
    async fn method_9(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-10", invocation = "event")]
    async fn method_10(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-11", timeout = "12s")]
    async fn method_11(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-12")]
    async fn method_12(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-13", invocation = "event")]
    async fn method_13(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-14", timeout = "15s")]
    async fn method_14(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-15")]
    async fn method_15(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-16", invocation = "event")]
    async fn method_16(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-17", timeout = "18s")]
    async fn method_17(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-18")]
    async fn method_18(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-19", invocation = "event")]
    async fn method_19(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-20", timeout = "21s")]
    async fn method_20(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-21")]
    async fn method_21(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-22", invocation = "event")]
    async fn method_22(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-23", timeout = "24s")]
    async fn method_23(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-24")]
    async fn method_24(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-25", invocation = "event")]
    async fn method_25(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-26", timeout = "27s")]
    async fn method_26(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-27")]
    async fn method_27(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-28", invocation = "event")]
    async fn method_28(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-29", timeout = "30s")]
    async fn method_29(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-30")]
    async fn method_30(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-31", invocation = "event")]
    async fn method_31(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-32", timeout = "33s")]
    async fn method_32(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-33")]
    async fn method_33(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-34", invocation = "event")]
    async fn method_34(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-35", timeout = "36s")]
    async fn method_35(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-36")]
    async fn method_36(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-37", invocation = "event")]
    async fn method_37(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-38", timeout = "39s")]
    async fn method_38(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-39")]
    async fn method_39(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-40", invocation = "event")]
    async fn method_40(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-41", timeout = "42s")]
    async fn method_41(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-42")]
    async fn method_42(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-43", invocation = "event")]
    async fn method_43(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-44", timeout = "45s")]
    async fn method_44(&self) -> Result<Vec<String>, InvokeError>;

    #[lambda(function = "big-45")]
    async fn method_45(&self, a: u32, b: String) -> Result<u64, InvokeError>;

    #[lambda(function = "big-46", invocation = "event")]
    async fn method_46(&self, entry: String) -> Result<(), InvokeError>;

    #[lambda(function = "big-47", timeout = "48s")]
    async fn method_47(&self) -> Result<Vec<String>, InvokeError>;
}

#[allow(dead_code)]
async fn use_it(client: &BigClient) -> Result<(), InvokeError> {
    client.method_0(1, "x".into()).await?;
    client.method_45(1, "x".into()).await?;
    client.method_46("x".into()).await?;
    client.method_47().await?;
    assert_eq!(
        <BigClient as lambda_remote::GeneratedClient>::METHODS.len(),
        48
    );
    Ok(())
}

fn main() {}
