//! Tenant ids through the real SDK over loopback: per client and per call, for
//! `RequestResponse` and `Event`, validated before sending as Lambda's pattern says
//! (1 to 256 of `[a-zA-Z0-9._:/=+\-@ ]`); the local endpoint refuses the same ids, its
//! tenant-isolated functions refuse calls without one and give each run its tenant, and a
//! served method reads it from `InvocationContext::tenant_id()`.

use crate::support;

use bytes::Bytes;
use lambda_remote::aws_sdk_lambda::primitives::Blob;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{
    CallOptions, InvocationContext, InvokeError,
    client::ConfigError,
    error::{Rejected, ServiceErrorKind},
    lambda_remote,
};

/// Every character a tenant id may hold: `[a-zA-Z0-9._:/=+\-@ ]`. (The space is inside: HTTP
/// drops whitespace around a header's value, so a tenant id ending in one arrives without it.)
const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/=+-@";

/// Tenant ids Lambda's pattern refuses: empty, too long, and one character outside it.
fn refused() -> Vec<String> {
    let mut refused = vec![String::new(), "t".repeat(257)];
    for c in [
        '#', '\n', '\t', '\\', ',', ';', '?', '%', '*', '"', '\'', '!', 'é', '\u{0}',
    ] {
        refused.push(format!("acme{c}blue"));
    }
    refused
}

#[lambda_remote]
pub trait Reports {
    #[lambda(function = "reports-render")]
    async fn render(&self, report: String) -> Result<String, InvokeError>;

    #[lambda(function = "reports-archive", invocation = "event")]
    async fn archive(&self, report: String) -> Result<(), InvokeError>;

    #[lambda(function = "reports-shared")]
    async fn shared(&self, report: String) -> Result<Option<String>, InvokeError>;
}

/// Tenant-isolated functions answering with the tenant they run for, and a shared one.
async fn endpoint() -> LocalLambda {
    let tenant = Handler::new(|invocation| {
        let tenant = invocation.tenant_id().map(str::to_owned);
        async move { Ok(Bytes::from(serde_json::to_vec(&tenant).unwrap())) }
    });
    LocalLambda::builder()
        .function(Function::new("reports-render", tenant.clone()).tenant_isolated())
        .function(Function::new("reports-archive", tenant.clone()).tenant_isolated())
        .function(Function::new("reports-shared", tenant))
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_client_tenant_is_sent_unless_a_call_names_another() {
    let lambda = endpoint().await;
    let client = ReportsClient::builder(lambda.sdk_client())
        .tenant_id("blue")
        .build()
        .unwrap();
    assert_eq!(client.invoker().tenant_id(), Some("blue"));

    assert_eq!(client.render("q1".into()).await.unwrap(), "blue");
    let green = CallOptions::new().tenant_id("green");
    let invoked = client.render_with(&green, "q2".into()).await.unwrap();
    assert_eq!(invoked.output, "green");

    let recorded = lambda.invocations("reports-render");
    let tenants: Vec<_> = recorded.iter().map(|r| r.tenant_id.as_deref()).collect();
    assert_eq!(tenants, [Some("blue"), Some("green")]);
}

#[tokio::test]
async fn events_carry_their_tenant() {
    let lambda = endpoint().await;
    let client = ReportsClient::new(lambda.sdk_client());
    let options = CallOptions::new().tenant_id("blue");
    client.archive_with(&options, "q1".into()).await.unwrap();
    lambda.drain_events().await;
    let recorded = lambda.invocations("reports-archive");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].tenant_id.as_deref(), Some("blue"));
    assert!(lambda.dead_letters().is_empty());
}

#[tokio::test]
async fn a_tenant_isolated_function_refuses_a_call_without_a_tenant() {
    let lambda = endpoint().await;
    let client = ReportsClient::new(lambda.sdk_client());
    for error in [
        client.render("q1".into()).await.unwrap_err(),
        client.archive("q1".into()).await.unwrap_err(),
    ] {
        let service = error.service_error().expect("a service error");
        assert_eq!(service.kind(), &ServiceErrorKind::InvalidParameterValue);
        assert_eq!(service.status(), 400);
        assert!(
            service
                .message()
                .unwrap_or_default()
                .contains("tenant isolation"),
            "{service:?}"
        );
    }
    lambda.drain_events().await;
    assert!(lambda.all_invocations().is_empty());
    // A function without tenant isolation takes a call without one, and ignores one sent.
    assert_eq!(client.shared("q".into()).await.unwrap(), None);
    let options = CallOptions::new().tenant_id("blue");
    let invoked = client.shared_with(&options, "q".into()).await.unwrap();
    assert_eq!(invoked.output, None);
    assert_eq!(
        lambda.invocations("reports-shared")[1].tenant_id.as_deref(),
        Some("blue")
    );
}

#[tokio::test]
async fn an_invalid_tenant_is_rejected_before_sending() {
    let server = support::Scripted::start(|_| support::Reply::ok("\"ok\"")).await;
    let client = ReportsClient::new(server.sdk());
    let too_long = "t".repeat(257);
    for bad in refused() {
        let options = CallOptions::new().tenant_id(&*bad);
        for error in [
            client.render_with(&options, "q".into()).await.unwrap_err(),
            client.archive_with(&options, "q".into()).await.unwrap_err(),
        ] {
            assert!(
                matches!(&error, InvokeError::Rejected(r) if matches!(**r, Rejected::TenantId { .. })),
                "{error:?}"
            );
            assert!(!error.to_string().contains(&too_long));
        }
    }
    assert_eq!(server.requests(), 0);
    let error = ReportsClient::builder(server.sdk())
        .tenant_id("")
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::TenantId { .. }), "{error:?}");

    let error = ReportsClient::builder(server.sdk())
        .tenant_id("acme#blue")
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::TenantId { .. }), "{error:?}");

    // 256 characters is the limit, and every character of the pattern is taken; the header
    // carries the tenant as given.
    let longest = ALLOWED.repeat(4)[..256].to_owned();
    for tenant in [ALLOWED, longest.as_str(), "a"] {
        let options = CallOptions::new().tenant_id(tenant);
        client.render_with(&options, "q".into()).await.unwrap();
        let sent = server.last();
        assert_eq!(
            sent.headers.get("x-amz-tenant-id").map(|v| v.as_bytes()),
            Some(tenant.as_bytes())
        );
    }
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn the_local_endpoint_refuses_the_ids_lambda_refuses() {
    let lambda = endpoint().await;
    let sdk = lambda.sdk_client();
    // The plain SDK checks nothing: each id reaches the endpoint (a newline or a NUL cannot
    // go in a header at all, so the SDK fails to send those; a tab can).
    let mut answered = 0;
    for bad in refused() {
        let result = sdk
            .invoke()
            .function_name("reports-render")
            .tenant_id(&*bad)
            .payload(Blob::new(b"\"q\"".to_vec()))
            .send()
            .await;
        let error = result.expect_err("refused");
        let Some(service) = error.as_service_error() else {
            assert!(bad.contains(['\n', '\0']), "{bad:?}: {error:?}");
            continue;
        };
        answered += 1;
        assert_eq!(
            lambda_remote::aws_sdk_lambda::error::ProvideErrorMetadata::code(service),
            Some("InvalidParameterValueException"),
            "{bad:?}"
        );
        let message = lambda_remote::aws_sdk_lambda::error::ProvideErrorMetadata::message(service)
            .unwrap_or_default();
        let expected = if bad.is_empty() || bad.len() > 256 {
            "Member must have length between 1 and 256"
        } else {
            r"Member must satisfy regular expression pattern: [a-zA-Z0-9\._:\/=+\-@ ]+"
        };
        assert_eq!(
            message,
            format!(
                "1 validation error detected: Value at 'tenantId' failed to satisfy constraint: {expected}"
            ),
            "{bad:?}"
        );
    }
    assert_eq!(
        answered,
        refused().len() - 2,
        "all but the newline and the NUL"
    );
    assert!(lambda.all_invocations().is_empty(), "nothing ran");

    let longest = ALLOWED.repeat(4)[..256].to_owned();
    for tenant in [ALLOWED, longest.as_str()] {
        let output = sdk
            .invoke()
            .function_name("reports-render")
            .tenant_id(tenant)
            .payload(Blob::new(b"\"q\"".to_vec()))
            .send()
            .await
            .unwrap();
        let ran_for: Option<String> =
            serde_json::from_slice(output.payload().unwrap().as_ref()).unwrap();
        assert_eq!(ran_for.as_deref(), Some(tenant));
    }
    assert_eq!(lambda.invocations("reports-render").len(), 2);
}

#[lambda_remote(server)]
pub trait Tenanted {
    /// The tenant the served method sees in its invocation's context.
    #[lambda(function = "tenanted-whoami")]
    async fn whoami(&self) -> Result<Option<String>, InvokeError>;
}

struct Whoami;

impl Tenanted for Whoami {
    async fn whoami(&self) -> Result<Option<String>, InvokeError> {
        let context = InvocationContext::current().expect("inside a served method");
        Ok(context.tenant_id().map(str::to_owned))
    }
}

#[tokio::test]
async fn a_served_method_knows_its_tenant() {
    let server = TenantedServer::new(Whoami);
    let lambda = LocalLambda::builder()
        .function(Function::serving(server.whoami()).tenant_isolated())
        .start()
        .await
        .unwrap();
    let client = TenantedClient::builder(lambda.sdk_client())
        .tenant_id("acme/eu-1:blue")
        .build()
        .unwrap();
    assert_eq!(
        client.whoami().await.unwrap().as_deref(),
        Some("acme/eu-1:blue")
    );
    let other = CallOptions::new().tenant_id("acme green@x.y");
    let invoked = client.whoami_with(&other).await.unwrap();
    assert_eq!(invoked.output.as_deref(), Some("acme green@x.y"));
    assert_eq!(lambda.invocations("tenanted-whoami").len(), 2);

    // Without tenant isolation the method sees none, as Lambda gives none.
    let lambda = LocalLambda::builder()
        .function(Function::serving(server.whoami()))
        .start()
        .await
        .unwrap();
    let client = TenantedClient::builder(lambda.sdk_client())
        .tenant_id("acme")
        .build()
        .unwrap();
    assert_eq!(client.whoami().await.unwrap(), None);
}
