use std::time::Duration;

use serde_json::json;

use super::*;
use crate::contract::{Contract, MethodContract};
use crate::invocation::InvocationType;
use crate::spec::MethodSpec;

fn method(spec: MethodSpec) -> MethodContract {
    MethodContract::from_spec(&spec, &[], false)
}

fn shop() -> Contract {
    Contract::new(
        "Shop",
        vec![
            method(MethodSpec::new("order", "shop-order").timeout(Duration::from_secs(10))),
            method(
                MethodSpec::new("export", "shop-export")
                    .streaming()
                    .timeout(Duration::from_secs(3600)),
            ),
            method(
                MethodSpec::new("audit", "shop-audit")
                    .invocation(InvocationType::Event)
                    .timeout(Duration::from_secs(5)),
            ),
            method(
                MethodSpec::new("ship", "shop-ship")
                    .qualifier("live")
                    .durable_execution_name("ship-{id}"),
            ),
            method(MethodSpec::new(
                "report",
                "arn:aws-cn:lambda:cn-north-1:210987654321:function:shop-report:7",
            )),
            method(MethodSpec::new("stock", "eu-central-1:stock")),
        ],
    )
}

#[test]
fn the_policy_allows_invoking_exactly_what_each_method_calls() {
    let target = Target::new("123456789012", "eu-west-1")
        .function_prefix("prod-")
        .function_suffix("-v2");
    let policy = caller_policy(&shop(), &target).unwrap();
    let arns: Vec<(&str, &[String])> = policy
        .statements()
        .iter()
        .map(|s| (s.sid(), s.resources()))
        .collect();
    assert_eq!(
        arns,
        [
            (
                "InvokeOrder",
                &["arn:aws:lambda:eu-west-1:123456789012:function:prod-shop-order-v2".to_owned()][..]
            ),
            (
                "InvokeExport",
                &["arn:aws:lambda:eu-west-1:123456789012:function:prod-shop-export-v2".to_owned()]
                    [..]
            ),
            (
                "InvokeAudit",
                &["arn:aws:lambda:eu-west-1:123456789012:function:prod-shop-audit-v2".to_owned()][..]
            ),
            (
                "InvokeShip",
                &[
                    "arn:aws:lambda:eu-west-1:123456789012:function:prod-shop-ship-v2:live"
                        .to_owned()
                ][..]
            ),
            // An ARN keeps its own partition, region and account.
            (
                "InvokeReport",
                &[
                    "arn:aws-cn:lambda:cn-north-1:210987654321:function:prod-shop-report-v2:7"
                        .to_owned()
                ][..]
            ),
            // A partial ARN's region, the target's account.
            (
                "InvokeStock",
                &["arn:aws:lambda:eu-central-1:123456789012:function:prod-stock-v2".to_owned()][..]
            ),
        ]
    );
    assert!(
        policy
            .statements()
            .iter()
            .all(|s| s.actions() == [INVOKE_ACTION])
    );
    assert_eq!(
        policy.to_json(),
        json!({
            "Version": "2012-10-17",
            "Statement": policy.statements().iter().map(|s| json!({
                "Sid": s.sid(),
                "Effect": "Allow",
                "Action": ["lambda:InvokeFunction"],
                "Resource": s.resources(),
            })).collect::<Vec<_>>(),
        })
    );
}

#[test]
fn the_target_partition_applies_to_names() {
    let contract = Contract::new("Shop", vec![method(MethodSpec::new("order", "shop-order"))]);
    let target = Target::new("123456789012", "us-gov-west-1").partition("aws-us-gov");
    assert_eq!(
        caller_policy(&contract, &target).unwrap().statements()[0].resources(),
        ["arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:shop-order"]
    );
}

#[test]
fn a_target_lambda_would_refuse_is_an_error() {
    let error = caller_policy(&shop(), &Target::new("12345", "eu-west-1")).unwrap_err();
    assert!(
        matches!(&error, DeployError::InvalidName { method, value, .. }
            if method == "order" && value == "arn:aws:lambda:eu-west-1:12345:function:shop-order"),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

fn without(contract: &Contract, methods: &[&str]) -> Contract {
    Contract::new(
        contract.trait_name.clone(),
        contract
            .methods
            .iter()
            .filter(|m| !methods.contains(&m.name.as_str()))
            .cloned()
            .collect(),
    )
}

#[test]
fn each_method_is_a_function_of_the_template() {
    let contract = without(&shop(), &["report"]);
    let template = SamTemplate::builder(&contract)
        .code_uri("target/lambda/shop/")
        .method_code_uri("stock", "target/lambda/stock/")
        .architecture(Architecture::Arm64)
        .default_timeout(Duration::from_secs(60))
        .tenant_isolated("stock")
        .function_statement(
            "audit",
            Statement::allow("Read-Audit", ["s3:GetObject"], ["arn:aws:s3:::audit/*"]),
        )
        .build()
        .unwrap();
    let json = template.to_json();
    let properties = |logical: &str| json["Resources"][logical]["Properties"].clone();
    assert_eq!(
        properties("OrderFunction"),
        json!({
            "FunctionName": {"Fn::Sub": "${NamePrefix}shop-order"},
            "CodeUri": "target/lambda/shop/",
            "Handler": "bootstrap",
            "Runtime": "provided.al2023",
            "Architectures": ["arm64"],
            "Timeout": 9,
            "Environment": {"Variables": {"LAMBDA_REMOTE_METHOD": "order"}},
            "LoggingConfig": {"LogFormat": "JSON"},
        })
    );
    // The caller waits an hour: capped at 900 s.
    assert_eq!(properties("ExportFunction")["Timeout"], 900);
    // Nobody waits for an event: the default.
    assert_eq!(properties("AuditFunction")["Timeout"], 60);
    assert_eq!(
        properties("AuditFunction")["Policies"],
        json!([{"Version": "2012-10-17", "Statement": [{
            "Sid": "ReadAudit", "Effect": "Allow",
            "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::audit/*"],
        }]}])
    );
    let ship = properties("ShipFunction");
    assert_eq!(ship["AutoPublishAlias"], "live");
    assert_eq!(ship["DurableConfig"], json!({"ExecutionTimeout": 60}));
    assert_eq!(
        ship["Policies"],
        json!([{"Version": "2012-10-17", "Statement": [{
            "Sid": "DurableExecution", "Effect": "Allow",
            "Action": ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${NamePrefix}shop-ship:*"},
        }]}])
    );
    assert_eq!(ship.get("TenancyConfig"), None);
    let stock = properties("StockFunction");
    assert_eq!(stock["CodeUri"], "target/lambda/stock/");
    assert_eq!(
        stock["FunctionName"],
        json!({"Fn::Sub": "${NamePrefix}stock"})
    );
    assert_eq!(
        stock["TenancyConfig"],
        json!({"TenantIsolationMode": "PER_TENANT"})
    );
    assert_eq!(
        json["Resources"].as_object().unwrap().len(),
        5,
        "one function per method"
    );
    assert_eq!(
        json["Outputs"]["ShipFunctionArn"]["Value"],
        json!({"Fn::GetAtt": ["ShipFunction", "Arn"]})
    );
    assert_eq!(json["Transform"], "AWS::Serverless-2016-10-31");
    // Sorted: whether serde_json keeps insertion order depends on its `preserve_order`
    // feature, which another crate of the build may turn on.
    let mut parameters: Vec<&String> = json["Parameters"].as_object().unwrap().keys().collect();
    parameters.sort();
    assert_eq!(parameters, ["AccountId", "NamePrefix", "Region"]);

    assert_eq!(
        json["Rules"]["WhereTheCallersLook"]["Assertions"],
        json!([
            {
                "Assert": {"Fn::Equals": [{"Ref": "AccountId"}, {"Ref": "AWS::AccountId"}]},
                "AssertDescription": "AccountId is the account the stack is deployed in",
            },
            {
                "Assert": {"Fn::Equals": [{"Ref": "Region"}, {"Ref": "AWS::Region"}]},
                "AssertDescription": "Region is the region the stack is deployed in",
            },
        ])
    );

    // Without `default_timeout`: Lambda's own, 3 s.
    let defaults = SamTemplate::builder(&contract).build().unwrap();
    let defaults = defaults.to_json();
    assert_eq!(
        defaults["Resources"]["AuditFunction"]["Properties"]["Timeout"],
        3
    );
    assert_eq!(
        defaults["Resources"]["OrderFunction"]["Properties"]["Architectures"],
        json!(["x86_64"])
    );

    let durable = SamTemplate::builder(&contract)
        .durable("ship", Duration::from_secs(86_400), Some(30))
        .build()
        .unwrap();
    assert_eq!(
        durable.to_json()["Resources"]["ShipFunction"]["Properties"]["DurableConfig"],
        json!({"ExecutionTimeout": 86_400, "RetentionPeriodInDays": 30})
    );
}

#[test]
fn what_a_template_cannot_deploy_is_an_error() {
    let contract = shop();
    // `report` calls version 7.
    assert_eq!(
        SamTemplate::builder(&contract).build().unwrap_err(),
        DeployError::VersionQualifier {
            method: "report".into(),
            qualifier: "7".into()
        }
    );
    let contract = without(&contract, &["report"]);
    assert_eq!(
        SamTemplate::builder(&contract)
            .tenant_isolated("nope")
            .build()
            .unwrap_err(),
        DeployError::UnknownMethod {
            method: "nope".into(),
            contract: "Shop".into()
        }
    );
    let unqualified_durable = Contract::new(
        "Shop",
        vec![method(
            MethodSpec::new("ship", "shop-ship").durable_execution_name("ship-{id}"),
        )],
    );
    assert_eq!(
        SamTemplate::builder(&unqualified_durable)
            .build()
            .unwrap_err(),
        DeployError::DurableUnqualified {
            method: "ship".into()
        }
    );
    let hurried = Contract::new(
        "Shop",
        vec![method(
            MethodSpec::new("order", "shop-order").timeout(Duration::from_millis(1500)),
        )],
    );
    let error = SamTemplate::builder(&hurried).build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "`order` waits 1500 ms: a function's timeout is whole seconds, at least 1, and must \
         end 1000 ms before its caller stops waiting; give the method a `timeout` of at least 2s"
    );
    let shared = Contract::new(
        "Shop",
        vec![
            method(MethodSpec::new("order", "shop-order")),
            method(MethodSpec::new("reorder", "shop-order:live")),
        ],
    );
    assert_eq!(
        SamTemplate::builder(&shared).build().unwrap_err(),
        DeployError::SameFunction {
            function: "shop-order".into(),
            first: "order".into(),
            second: "reorder".into()
        }
    );
}

#[test]
fn the_function_timeout_ends_before_the_caller_stops_waiting() {
    let cases = [
        (1_999, None),
        (2_000, Some(1)),
        (2_999, Some(1)),
        (10_000, Some(9)),
        (901_000, Some(900)),
        (901_999, Some(900)),
        (3_600_000, Some(900)),
    ];
    for (ms, expected) in cases {
        assert_eq!(
            function_timeout(Duration::from_millis(ms)),
            expected,
            "{ms} ms"
        );
    }
}

/// Methods of every claim-check setting: synchronous `auto`, synchronous `never`, `Event`
/// with `always`, streamed `auto`.
fn bulk() -> Contract {
    use crate::claim_check::ClaimCheckMode;
    Contract::new(
        "Bulk",
        vec![
            method(MethodSpec::new("upload", "bulk-upload")),
            method(MethodSpec::new("small", "bulk-small").claim_check(ClaimCheckMode::Never)),
            method(
                MethodSpec::new("notify", "bulk-notify")
                    .invocation(InvocationType::Event)
                    .claim_check(ClaimCheckMode::Always),
            ),
            method(MethodSpec::new("export", "bulk-export").streaming()),
        ],
    )
}

#[test]
fn the_callers_policy_grants_the_claim_checks_objects_under_the_prefix() {
    let location = ClaimCheckLocation::new("bodies")
        .key_prefix("bulk/cc/")
        .kms_key_arn("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let target = Target::new("123456789012", "eu-west-1").claim_check(location);
    let policy = caller_policy(&bulk(), &target).unwrap();
    let json = policy.to_json();
    // Four invoke statements, then the claim check's three.
    assert_eq!(json["Statement"].as_array().unwrap().len(), 7);
    assert_eq!(
        json["Statement"][4],
        json!({
            "Sid": "ClaimCheckRequests",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"],
            "Resource": [
                "arn:aws:s3:::bodies/bulk/cc/req/*",
                "arn:aws:s3:::bodies/bulk/cc/tenant/*/req/*",
            ],
        })
    );
    assert_eq!(
        json["Statement"][5],
        json!({
            "Sid": "ClaimCheckResults",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:DeleteObject"],
            "Resource": [
                "arn:aws:s3:::bodies/bulk/cc/res/*",
                "arn:aws:s3:::bodies/bulk/cc/tenant/*/res/*",
            ],
        })
    );
    assert_eq!(
        json["Statement"][6],
        json!({
            "Sid": "ClaimCheckKms",
            "Effect": "Allow",
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
        })
    );
    // In another partition, the objects' ARNs are in it.
    let target = Target::new("123456789012", "cn-north-1")
        .partition("aws-cn")
        .claim_check(ClaimCheckLocation::new("bodies"));
    let policy = caller_policy(&bulk(), &target).unwrap();
    assert_eq!(
        policy.statements()[5].resources(),
        [
            "arn:aws-cn:s3:::bodies/lambda-remote/claim-check/res/*",
            "arn:aws-cn:s3:::bodies/lambda-remote/claim-check/tenant/*/res/*",
        ]
    );
    // Without a location, or when no method may use the claim check, nothing is added.
    let plain = Target::new("123456789012", "eu-west-1");
    assert_eq!(
        caller_policy(&bulk(), &plain).unwrap().statements().len(),
        4
    );
    let nevers = Contract::new("Bulk", vec![bulk().methods[1].clone()]);
    let policy = caller_policy(
        &nevers,
        &plain.clone().claim_check(ClaimCheckLocation::new("bodies")),
    )
    .unwrap();
    assert_eq!(policy.statements().len(), 1);
    // Only `Event` (no result comes back) and streamed methods: no result statement.
    let no_results = Contract::new(
        "Bulk",
        vec![bulk().methods[2].clone(), bulk().methods[3].clone()],
    );
    let policy = caller_policy(
        &no_results,
        &plain.claim_check(ClaimCheckLocation::new("bodies")),
    )
    .unwrap();
    let sids: Vec<&str> = policy.statements().iter().map(Statement::sid).collect();
    assert_eq!(sids, ["InvokeNotify", "InvokeExport", "ClaimCheckRequests"]);
}

#[test]
fn the_template_grants_each_function_its_side_of_the_claim_check() {
    let location = ClaimCheckLocation::new("bodies")
        .key_prefix("bulk/cc/")
        .kms_key_arn("arn:aws:kms:eu-west-1:123456789012:key/k1");
    let template = SamTemplate::builder(&bulk())
        .claim_check(location)
        .build()
        .unwrap();
    let resources = &template.to_json()["Resources"];
    let objects = |segment: &str| {
        json!([
            {"Fn::Sub": format!("arn:${{AWS::Partition}}:s3:::bodies/bulk/cc/{segment}*")},
            {"Fn::Sub": format!("arn:${{AWS::Partition}}:s3:::bodies/bulk/cc/tenant/*/{segment}*")},
        ])
    };
    let kms = json!({
        "Sid": "ClaimCheckKms",
        "Effect": "Allow",
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "arn:aws:kms:eu-west-1:123456789012:key/k1",
    });
    let requests = json!({
        "Sid": "ClaimCheckRequests",
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": objects("req/"),
    });
    let results = json!({
        "Sid": "ClaimCheckResults",
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:PutObjectTagging"],
        "Resource": objects("res/"),
    });
    let upload = &resources["UploadFunction"]["Properties"];
    assert_eq!(
        upload["Policies"],
        json!([{"Version": "2012-10-17", "Statement": [requests, results, kms]}])
    );
    assert_eq!(
        upload["Environment"]["Variables"],
        json!({
            "LAMBDA_REMOTE_METHOD": "upload",
            "LAMBDA_REMOTE_CLAIM_CHECK_BUCKET": "bodies",
            "LAMBDA_REMOTE_CLAIM_CHECK_KEY_PREFIX": "bulk/cc/",
            "LAMBDA_REMOTE_CLAIM_CHECK_SSE": "aws:kms",
            "LAMBDA_REMOTE_CLAIM_CHECK_KMS_KEY_ID": "arn:aws:kms:eu-west-1:123456789012:key/k1",
        })
    );
    // `never`: nothing.
    let small = &resources["SmallFunction"]["Properties"];
    assert_eq!(small.get("Policies"), None);
    assert_eq!(
        small["Environment"]["Variables"],
        json!({"LAMBDA_REMOTE_METHOD": "small"})
    );
    // `Event` and streamed: requests only (no result goes through S3).
    for function in ["NotifyFunction", "ExportFunction"] {
        assert_eq!(
            resources[function]["Properties"]["Policies"],
            json!([{"Version": "2012-10-17", "Statement": [requests, kms]}]),
            "{function}"
        );
    }
}

#[test]
fn a_claim_check_location_s3_or_iam_would_not_take_is_refused() {
    let refused = |location: ClaimCheckLocation| {
        let target = Target::new("123456789012", "eu-west-1").claim_check(location.clone());
        let from_policy = caller_policy(&bulk(), &target).unwrap_err();
        let from_template = SamTemplate::builder(&bulk())
            .claim_check(location)
            .build()
            .unwrap_err();
        assert_eq!(from_policy, from_template);
        from_policy.to_string()
    };
    assert_eq!(
        refused(ClaimCheckLocation::new("Bodies")),
        "the claim check's `Bodies` is not an S3 bucket name"
    );
    assert_eq!(
        refused(ClaimCheckLocation::new("bodies").key_prefix("cc/*")),
        "the claim check's `cc/*` is not a key prefix without `*`, `?` or `$`"
    );
    assert_eq!(
        refused(ClaimCheckLocation::new("bodies").key_prefix("${AWS::Region}/")),
        "the claim check's `${AWS::Region}/` is not a key prefix without `*`, `?` or `$`"
    );
    assert_eq!(
        refused(ClaimCheckLocation::new("bodies").kms_key_arn("alias/bodies")),
        "the claim check's `alias/bodies` is not a KMS key ARN (arn:…:kms:…:key/<id>)"
    );
}
