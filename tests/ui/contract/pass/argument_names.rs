//! Argument names the generated code also uses for itself (`options`, `payload`, `invoker`,
//! …) and argument types named like its type parameters (`Success`, `Failure`) or helper
//! trait: nothing is captured or shadowed.

use lambda_remote::{lambda_remote, CallOptions, InvokeError};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Success {
    pub id: String,
}

#[derive(Serialize)]
pub struct Failure(pub u32);

#[derive(Serialize)]
pub struct T;

#[allow(non_camel_case_types)]
#[derive(Serialize)]
pub struct __LambdaRemoteDecode;

#[lambda_remote]
pub trait Odd {
    #[lambda(function = "odd-options")]
    async fn options(
        &self,
        options: String,
        payload: Vec<u8>,
        invoker: u32,
        sdk: bool,
        bytes: Failure,
        serializer: T,
        state: __LambdaRemoteDecode,
        result: (),
        error: Option<u8>,
        value: char,
        future: i64,
        object: f32,
    ) -> Result<Success, InvokeError>;

    #[lambda(function = "odd-one")]
    async fn one(&self, payload: Failure) -> Result<Success, InvokeError>;

    #[lambda(function = "odd-call")]
    async fn call(&self, call: u8) -> Result<(), InvokeError>;
}

#[allow(dead_code)]
async fn use_it(client: &OddClient) -> Result<Success, InvokeError> {
    client
        .options_with(
            &CallOptions::new(),
            String::new(),
            vec![],
            1,
            true,
            Failure(1),
            T,
            __LambdaRemoteDecode,
            (),
            None,
            'x',
            1,
            1.0,
        )
        .await?;
    client.call(1).await?;
    client.one(Failure(2)).await
}

fn main() {}
