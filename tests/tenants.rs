//! Tenant ids through the real SDK over loopback: per client and per call, for
//! `RequestResponse` and `Event`, validated before sending; the local endpoint's
//! tenant-isolated functions refuse calls without one and give each run its tenant.

mod support;

use bytes::Bytes;
use lambda_remote::local::{Function, Handler, LocalLambda};
use lambda_remote::{
    lambda_remote, CallOptions, ConfigError, InvokeError, Rejected, ServiceErrorKind,
};

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
    for bad in ["", too_long.as_str(), "a\nb"] {
        let options = CallOptions::new().tenant_id(bad);
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

    // 256 characters (not bytes) is the limit; the header carries the tenant as given.
    let longest = "é".repeat(256);
    let options = CallOptions::new().tenant_id(&*longest);
    client.render_with(&options, "q".into()).await.unwrap();
    assert_eq!(server.requests(), 1);
    let sent = server.last();
    assert_eq!(
        sent.headers.get("x-amz-tenant-id").map(|v| v.as_bytes()),
        Some(longest.as_bytes())
    );
}
