//! The SDK clients an invoker sends through: the user's client with lambda-remote's retry
//! classifier, one per delivery mode, and no timeout that could cut the longest function short.

use std::time::Duration;

use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::client::retry::DeliveryClassifier;
use crate::delivery::Delivery;
use crate::invocation::InvocationType;

/// How long connecting may take by default (the SDK's own default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// One SDK client per delivery mode, sharing the user's HTTP client and connection pool.
#[derive(Clone, Debug)]
pub(crate) struct SdkClients {
    at_most_once: aws_sdk_lambda::Client,
    at_least_once: aws_sdk_lambda::Client,
}

impl SdkClients {
    /// The user's SDK client with the given settings. Timeouts: those given here win, then
    /// the SDK client's own, then [`DEFAULT_CONNECT_TIMEOUT`]. No attempt, operation or read
    /// timeout is added: a synchronous invocation may last the function's 900 s, and a timer
    /// per attempt would cost every call (BENCHMARKS.md).
    pub(crate) fn new(
        sdk: &aws_sdk_lambda::Client,
        retry: Option<RetryConfig>,
        timeouts: Option<TimeoutConfig>,
    ) -> Self {
        let own = sdk
            .config()
            .timeout_config()
            .map(TimeoutConfig::to_builder)
            .unwrap_or_default();
        let defaults = TimeoutConfig::builder().connect_timeout(DEFAULT_CONNECT_TIMEOUT);
        let timeouts = timeouts
            .as_ref()
            .map(TimeoutConfig::to_builder)
            .unwrap_or_default()
            .take_unset_from(own)
            .take_unset_from(defaults)
            .build();
        let client = |delivery| {
            let mut config = sdk
                .config()
                .to_builder()
                .retry_classifier(DeliveryClassifier(delivery))
                .timeout_config(timeouts.clone());
            if let Some(retry) = &retry {
                config = config.retry_config(retry.clone());
            }
            // With feature `opentelemetry` every call's attempts are counted (the metrics):
            // the interceptor is then the client's, installed once, rather than one per call
            // (a per-call interceptor is a configuration layer of its own, which the SDK
            // walks at every lookup of every call: BENCHMARKS.md, issue 25).
            #[cfg(feature = "opentelemetry")]
            {
                config = config.interceptor(crate::client::telemetry::AttemptRecorder {
                    delivery,
                    span: None,
                });
            }
            aws_sdk_lambda::Client::from_conf(config.build())
        };
        Self {
            at_most_once: client(Delivery::AtMostOnce),
            at_least_once: client(Delivery::AtLeastOnce),
        }
    }

    /// The client for a call: a dry run runs no function, so it may always be sent again.
    pub(crate) fn for_call(
        &self,
        delivery: Delivery,
        invocation: InvocationType,
    ) -> &aws_sdk_lambda::Client {
        match (delivery, invocation) {
            (Delivery::AtLeastOnce, _) | (_, InvocationType::DryRun) => &self.at_least_once,
            (Delivery::AtMostOnce, _) => &self.at_most_once,
        }
    }

    /// The client of at-most-once calls, whose configuration both share.
    pub(crate) fn primary(&self) -> &aws_sdk_lambda::Client {
        &self.at_most_once
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdk(timeouts: Option<TimeoutConfig>) -> aws_sdk_lambda::Client {
        let mut config = aws_sdk_lambda::Config::builder()
            .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
            .region(aws_sdk_lambda::config::Region::new("us-east-1"));
        if let Some(timeouts) = timeouts {
            config = config.timeout_config(timeouts);
        }
        aws_sdk_lambda::Client::from_conf(config.build())
    }

    #[test]
    fn default_timeouts_let_the_longest_function_finish() {
        let client = SdkClients::new(&sdk(None), None, None);
        let timeouts = client.primary().config().timeout_config().unwrap();
        assert_eq!(timeouts.operation_attempt_timeout(), None);
        assert_eq!(timeouts.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(timeouts.read_timeout(), None);
        assert_eq!(timeouts.operation_timeout(), None);
    }

    #[test]
    fn builder_timeouts_merge_with_the_sdk_clients_own() {
        let sdk_level = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .build();
        let builder_level = TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(30))
            .build();
        let clients = SdkClients::new(&sdk(Some(sdk_level)), None, Some(builder_level));
        for client in [&clients.at_most_once, &clients.at_least_once] {
            let timeouts = client.config().timeout_config().unwrap();
            assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
            assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
            assert_eq!(timeouts.operation_attempt_timeout(), None);
        }
    }

    #[test]
    fn given_timeouts_win_and_the_rest_keep_their_defaults() {
        let sdk_level = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .build();
        let client = SdkClients::new(&sdk(Some(sdk_level)), None, None);
        let timeouts = client.primary().config().timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(timeouts.operation_attempt_timeout(), None);

        let builder_level = TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(30))
            .build();
        let client = SdkClients::new(&sdk(None), None, Some(builder_level));
        let timeouts = client.primary().config().timeout_config().unwrap();
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(timeouts.operation_attempt_timeout(), None);
    }
}
