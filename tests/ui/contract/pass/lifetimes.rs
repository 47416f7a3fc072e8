//! Borrowed arguments: elided lifetimes (`&str`, `&[T]`), explicit method lifetimes, and method
//! lifetimes named like the ones the macro adds (`'client`, `'r`).

use std::borrow::Cow;
use std::collections::HashMap;

use lambda_remote::{lambda_remote, CallOptions, InvokeError};

#[lambda_remote]
pub trait Catalog {
    #[lambda(function = "catalog-lookup")]
    async fn lookup(&self, sku: &str) -> Result<Option<String>, InvokeError>;

    #[lambda(function = "catalog-tag")]
    async fn tag<'a>(&self, sku: &'a str, tags: &'a [String]) -> Result<u32, InvokeError>;

    #[lambda(function = "catalog-rename")]
    async fn rename<'a, 'b: 'a>(
        &'a self,
        from: Cow<'a, str>,
        to: &'b str,
        meta: &'a HashMap<&'b str, u32>,
    ) -> Result<(), InvokeError>;

    #[lambda(function = "catalog-client")]
    async fn client<'client, 'r>(&self, a: &'client str, b: &'r str) -> Result<(), InvokeError>;
}

#[allow(dead_code)]
async fn use_it(catalog: &CatalogClient) -> Result<(), InvokeError> {
    let sku = String::from("A-1");
    catalog.lookup(&sku).await?;
    let tags = vec!["new".to_owned()];
    catalog.tag(&sku, &tags).await?;
    let meta = HashMap::from([("x", 1)]);
    catalog.rename(Cow::Borrowed("a"), "b", &meta).await?;
    catalog.client("a", &sku).await?;
    let options = CallOptions::new();
    catalog.tag_with(&options, &sku, &tags).await?;
    catalog.client_with(&options, "a", "b").await?;
    Ok(())
}

fn main() {}
