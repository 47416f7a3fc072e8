use lambda_remote::claim_check::ClaimCheckMode;
use lambda_remote::{lambda_remote, GeneratedClient, InvokeError, ResponseStream};

#[lambda_remote(server)]
pub trait Archive {
    #[lambda(function = "archive-put", claim_check = "always")]
    async fn put(&self, document: String) -> Result<(), InvokeError>;

    #[lambda(function = "archive-get", claim_check = "never")]
    async fn get(&self, id: String) -> Result<String, InvokeError>;

    #[lambda(function = "archive-copy", claim_check = "auto", invocation = "event")]
    async fn copy(&self, document: String) -> Result<(), InvokeError>;

    #[lambda(
        function = "archive-scan",
        claim_check = "always",
        invocation = "stream"
    )]
    async fn scan(&self, documents: Vec<String>) -> Result<ResponseStream<String>, InvokeError>;
}

fn main() {
    let modes: Vec<_> = ArchiveClient::contract()
        .methods
        .iter()
        .map(|m| m.claim_check)
        .collect();
    assert_eq!(
        modes,
        [
            ClaimCheckMode::Always,
            ClaimCheckMode::Never,
            ClaimCheckMode::Auto,
            ClaimCheckMode::Always
        ]
    );
}
