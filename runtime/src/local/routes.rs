//! The endpoint's routes: the Invoke path, answered by the flavour the endpoint emulates, and
//! anything else as an unknown operation.

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::post;

use super::buffered::invoke;
use super::emulators::{cargo_lambda, cargo_lambda_stream, moto, moto_stream};
use super::errors::ServiceError;
use super::flavor::Flavor;
use super::request_id::new_request_id;
use super::state::Shared;
use super::streaming::invoke_with_response_stream;

/// The Invoke API's route, with `shared` as every handler's state.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/2015-03-31/functions/{function}/invocations",
            post(route_invoke),
        )
        .route(
            "/2021-11-15/functions/{function}/response-streaming-invocations",
            post(route_stream),
        )
        .fallback(unknown_operation)
        .with_state(shared)
}

async fn route_invoke(
    State(shared): State<Arc<Shared>>,
    function: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let request_id = new_request_id();
    let function = match function_name(function) {
        Ok(function) => function,
        Err(fault) => return fault.into_response(&request_id),
    };
    match shared.flavor {
        Flavor::Aws => invoke(&shared, &function, request, request_id).await,
        Flavor::CargoLambda => cargo_lambda(&shared, &function, request, request_id).await,
        Flavor::Moto => moto(request).await,
    }
}

async fn route_stream(
    State(shared): State<Arc<Shared>>,
    function: Result<Path<String>, PathRejection>,
    request: Request,
) -> Response {
    let request_id = new_request_id();
    let function = match function_name(function) {
        Ok(function) => function,
        Err(fault) => return fault.into_response(&request_id),
    };
    match shared.flavor {
        Flavor::Aws => invoke_with_response_stream(&shared, &function, request, request_id).await,
        Flavor::CargoLambda => cargo_lambda_stream(&shared, request, request_id).await,
        Flavor::Moto => moto_stream().await,
    }
}

/// The path's function segment, or the 400 AWS answers when it does not decode.
fn function_name(function: Result<Path<String>, PathRejection>) -> Result<String, ServiceError> {
    function
        .map(|Path(function)| function)
        .map_err(|_| ServiceError::invalid_parameter_value("The function name is not valid."))
}

async fn unknown_operation() -> Response {
    ServiceError::new(404, "UnknownOperationException", "Unknown operation")
        .into_response(&new_request_id())
}
