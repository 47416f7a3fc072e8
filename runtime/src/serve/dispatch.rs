//! Which method one binary serves: [`Dispatch`], chosen from the name of the Lambda function
//! running it (served on `lambda_runtime` by `server::run_all` and `Dispatch::run`).

use crate::serve::method::MethodHandler;

/// Chooses which method one binary serves, from the name of the Lambda function running it.
///
/// A method serves the function its attribute names (bare name: `shop-order` for
/// `shop-order:live` or an ARN), with the [`function_prefix`](Self::function_prefix) and
/// [`function_suffix`](Self::function_suffix) of a stage around it (`prod-shop-order`), or any
/// function [`function`](Self::function) maps to it. Versions and aliases do not change the
/// name Lambda gives the process, so one mapping serves them all. When two methods would
/// serve the same name, the first one does.
///
/// ```no_run
/// # async fn serve(handlers: Vec<lambda_remote_runtime::MethodHandler>) -> Result<(), lambda_remote_runtime::server::Error> {
/// lambda_remote_runtime::server::Dispatch::new(handlers)
///     .function_prefix("prod-")             // prod-shop-order serves `order`
///     .function("order", "legacy-checkout") // so does legacy-checkout
///     .from_env()                           // LAMBDA_REMOTE_METHOD, LAMBDA_REMOTE_FUNCTION_PREFIX, …
///     .run()
///     .await
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Dispatch {
    handlers: Vec<MethodHandler>,
    prefix: Option<String>,
    suffix: Option<String>,
    /// (function name, method).
    functions: Vec<(String, String)>,
    /// A method named outright.
    method: Option<String>,
}

/// Why no method of a [`Dispatch`] serves a function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DispatchError {
    /// No method serves the function of this name.
    #[error(
        "no method serves the Lambda function `{function}`: this binary serves {}",
        served.join(", ")
    )]
    NoMethod {
        /// The function's name.
        function: String,
        /// What it serves: each method's function name (`name → method`).
        served: Vec<String>,
    },
    /// A method was named (by [`Dispatch::method`] or `LAMBDA_REMOTE_METHOD`, or a function
    /// mapped to it) that the handlers do not have.
    #[error("no method `{method}` among the handlers: {}", methods.join(", "))]
    UnknownMethod {
        /// The name given.
        method: String,
        /// The handlers' methods.
        methods: Vec<String>,
    },
}

impl Dispatch {
    /// Dispatches among `handlers` (e.g. `<Trait>Server::handlers()`).
    pub fn new(handlers: impl IntoIterator<Item = MethodHandler>) -> Self {
        Self {
            handlers: handlers.into_iter().collect(),
            prefix: None,
            suffix: None,
            functions: Vec::new(),
            method: None,
        }
    }

    /// The prefix of every function name (a stage, `prod-`), as the client's
    /// `ClientBuilder::function_prefix`.
    pub fn function_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The suffix of every function name, as the client's `ClientBuilder::function_suffix`.
    pub fn function_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }

    /// The function named `function` (bare name) serves `method`.
    pub fn function(mut self, method: impl Into<String>, function: impl Into<String>) -> Self {
        self.functions.push((function.into(), method.into()));
        self
    }

    /// Serves `method` whatever the function's name.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Reads `LAMBDA_REMOTE_METHOD` (the method, whatever the function's name), and
    /// `LAMBDA_REMOTE_FUNCTION_PREFIX` and `LAMBDA_REMOTE_FUNCTION_SUFFIX` (the variables the
    /// client reads too); values set on the builder win.
    pub fn from_env(self) -> Self {
        self.env_lookup(|key| std::env::var(key).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn env_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |key: &str| lookup(key).filter(|v| !v.is_empty());
        self.method = self.method.or_else(|| read("LAMBDA_REMOTE_METHOD"));
        self.prefix = self
            .prefix
            .or_else(|| read("LAMBDA_REMOTE_FUNCTION_PREFIX"));
        self.suffix = self
            .suffix
            .or_else(|| read("LAMBDA_REMOTE_FUNCTION_SUFFIX"));
        self
    }

    /// The handler serving the function `function` (bare name, as Lambda sets
    /// `AWS_LAMBDA_FUNCTION_NAME`).
    pub fn select(&self, function: &str) -> Result<&MethodHandler, DispatchError> {
        let by_method = |method: &str| {
            self.handlers
                .iter()
                .find(|h| h.spec().method == method)
                .ok_or_else(|| DispatchError::UnknownMethod {
                    method: method.to_owned(),
                    methods: self
                        .handlers
                        .iter()
                        .map(|h| h.spec().method.to_owned())
                        .collect(),
                })
        };
        if let Some(method) = &self.method {
            return by_method(method);
        }
        if let Some((_, method)) = self.functions.iter().find(|(name, _)| name == function) {
            return by_method(method);
        }
        let served = self.served();
        match served.iter().find(|(name, _)| name == function) {
            Some((_, handler)) => Ok(handler),
            None => Err(DispatchError::NoMethod {
                function: function.to_owned(),
                served: served
                    .iter()
                    .map(|(name, h)| format!("{name} → {}", h.spec().method))
                    .chain(
                        self.functions
                            .iter()
                            .map(|(name, method)| format!("{name} → {method}")),
                    )
                    .collect(),
            }),
        }
    }

    /// Each handler with the function name it serves by default.
    fn served(&self) -> Vec<(String, &MethodHandler)> {
        let (prefix, suffix) = (
            self.prefix.as_deref().unwrap_or(""),
            self.suffix.as_deref().unwrap_or(""),
        );
        self.handlers
            .iter()
            .map(|h| (format!("{prefix}{}{suffix}", h.spec().bare_function()), h))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::MethodSpec;
    use bytes::Bytes;

    fn handler(method: &'static str, function: &'static str) -> MethodHandler {
        MethodHandler::new(MethodSpec::new(method, function), |_: Bytes| async {
            Ok(Vec::new())
        })
    }

    fn shop() -> Dispatch {
        Dispatch::new([
            handler("order", "shop-order"),
            handler(
                "quote",
                "arn:aws:lambda:us-east-1:123456789012:function:shop-quote:live",
            ),
        ])
    }

    fn chosen(dispatch: &Dispatch, function: &str) -> Result<&'static str, DispatchError> {
        dispatch.select(function).map(|h| h.spec().method)
    }

    #[test]
    fn dispatches_on_the_function_name() {
        let plain = shop();
        assert_eq!(chosen(&plain, "shop-order"), Ok("order"));
        assert_eq!(chosen(&plain, "shop-quote"), Ok("quote"));
        let staged = shop()
            .function_prefix("prod-")
            .function_suffix("-v2")
            .function("order", "checkout");
        assert_eq!(chosen(&staged, "prod-shop-quote-v2"), Ok("quote"));
        assert_eq!(chosen(&staged, "checkout"), Ok("order"));
        assert_eq!(
            chosen(&staged, "shop-quote"),
            Err(DispatchError::NoMethod {
                function: "shop-quote".into(),
                served: vec![
                    "prod-shop-order-v2 → order".into(),
                    "prod-shop-quote-v2 → quote".into(),
                    "checkout → order".into(),
                ],
            })
        );
        assert_eq!(
            chosen(&shop().function("nope", "x"), "x")
                .unwrap_err()
                .to_string(),
            "no method `nope` among the handlers: order, quote"
        );
    }

    #[test]
    fn the_environment_names_the_method_or_the_stage() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        let by_method = shop().env_lookup(env(&[("LAMBDA_REMOTE_METHOD", "quote")]));
        assert_eq!(chosen(&by_method, "anything"), Ok("quote"));
        let staged = shop().env_lookup(env(&[("LAMBDA_REMOTE_FUNCTION_PREFIX", "dev-")]));
        assert_eq!(chosen(&staged, "dev-shop-order"), Ok("order"));
        let builder_wins = shop()
            .function_prefix("prod-")
            .env_lookup(env(&[("LAMBDA_REMOTE_FUNCTION_PREFIX", "dev-")]));
        assert_eq!(chosen(&builder_wins, "prod-shop-order"), Ok("order"));
        let message = chosen(&shop(), "other").unwrap_err().to_string();
        assert_eq!(
            message,
            "no method serves the Lambda function `other`: this binary serves \
             shop-order → order, shop-quote → quote"
        );
    }
}
