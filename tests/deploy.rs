//! The deployment written from a contract (`lambda_remote::deploy`), checked by the real
//! validators: `cfn-lint` (1.58.0) validates the SAM template against its SAM resource
//! schemas, `parliament` (1.6.4) the callers' IAM policy. Both come from PyPI, pinned, in a
//! virtual environment of their own that `.ci/run` creates (`target/validators-venv`, or the
//! folder `LAMBDA_REMOTE_VALIDATORS_VENV` names). A missing validator skips the test, or fails
//! it under `LAMBDA_REMOTE_INTEROP=require`.

#[path = "interop/tools.rs"]
#[allow(dead_code)]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use lambda_remote::deploy::{ClaimCheckLocation, SamTemplate, Statement, Target, caller_policy};
use lambda_remote::{ByteStream, GeneratedClient as _, InvokeError, lambda_remote};
use serde_json::{Value, json};

/// Every kind of method a template and a policy tell apart (only its contract is read).
#[allow(dead_code)]
#[lambda_remote]
trait Orders {
    /// Waits for its answer: the function's timeout is derived from this one.
    #[lambda(function = "orders-place", timeout = "30s")]
    async fn place(&self, sku: String) -> Result<u64, InvokeError>;

    /// Streams its answer (`InvokeWithResponseStream`): the same action, no function setting.
    #[lambda(function = "orders-export", invocation = "stream", timeout = "2m")]
    async fn export(&self, day: String) -> Result<ByteStream, InvokeError>;

    /// Queued: nobody waits, the default timeout.
    #[lambda(function = "orders-audit", invocation = "event")]
    async fn audit(&self, line: String) -> Result<(), InvokeError>;

    /// A durable execution per order, through the alias `live`.
    #[lambda(
        function = "orders-fulfil",
        qualifier = "live",
        durable_execution_name = "fulfil-{order_id}",
        timeout = "20m"
    )]
    async fn fulfil(&self, order_id: String) -> Result<(), InvokeError>;

    /// Tenant-isolated (the template is told so), in another account, by ARN.
    #[lambda(function = "arn:aws:lambda:eu-west-1:210987654321:function:orders-report:v2")]
    async fn report(&self, tenant: String) -> Result<String, InvokeError>;
}

fn venv() -> PathBuf {
    std::env::var_os("LAMBDA_REMOTE_VALIDATORS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/validators-venv"))
}

/// The validator `name` from the venv, if installed (see `tools::find`).
fn validator(name: &str) -> Option<PathBuf> {
    let program = venv().join("bin").join(name);
    let install = format!(
        "python3 -m venv {} && {}/bin/pip install 'cfn-lint==1.58.0' 'parliament==1.6.4'",
        venv().display(),
        venv().display()
    );
    tools::find(name, program.to_str()?, &["--version"], &install).map(|_| program)
}

fn scratch(name: &str, json: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lambda-remote-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(json).unwrap()).unwrap();
    path
}

fn run(program: &Path, args: &[&str], stdin: Option<&Path>) -> Output {
    let mut command = Command::new(program);
    command.args(args);
    // parliament refuses `--file` when its stdin is not a terminal: the policy goes on stdin.
    command.stdin(match stdin {
        Some(path) => Stdio::from(std::fs::File::open(path).unwrap()),
        None => Stdio::null(),
    });
    command.output().unwrap()
}

fn report(output: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Where the claim check keeps bodies (every method of `Orders` is `auto`): with a KMS key.
fn claim_check() -> ClaimCheckLocation {
    ClaimCheckLocation::new("orders-bodies")
        .key_prefix("orders/claim-check/")
        .kms_key_arn("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
}

fn template() -> Value {
    SamTemplate::builder(&OrdersClient::contract())
        .code_uri("target/lambda/orders/")
        .claim_check(claim_check())
        .tenant_isolated("report")
        .durable("fulfil", Duration::from_secs(7 * 24 * 3600), Some(30))
        .function_statement(
            "audit",
            Statement::allow(
                "AppendAuditLog",
                ["logs:PutLogEvents"],
                ["arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"],
            ),
        )
        .build()
        .unwrap()
        .to_json()
        .clone()
}

#[test]
fn cfn_lint_passes_the_sam_template() {
    let Some(cfn_lint) = validator("cfn-lint") else {
        return;
    };
    let template = template();
    let good = scratch("template.json", &template);

    // The same template with one SAM property misspelt and one required property missing:
    // cfn-lint reads the SAM resources' properties (E3002, E3003), so the pass of the good one
    // means it knows `TenancyConfig`, `DurableConfig` and `AutoPublishAlias`.
    let mut broken = template.clone();
    let report_fn = &mut broken["Resources"]["ReportFunction"]["Properties"];
    let tenancy = report_fn
        .as_object_mut()
        .unwrap()
        .remove("TenancyConfig")
        .unwrap();
    report_fn["TenancyConfg"] = tenancy;
    broken["Resources"]["FulfilFunction"]["Properties"]["DurableConfig"] =
        json!({"RetentionPeriodInDays": 30});
    let broken = scratch("broken.json", &broken);

    // One run for both (cfn-lint takes seconds to start): each finding is a rule line, then
    // a `file:line:column` line.
    let output = run(
        &cfn_lint,
        &[good.to_str().unwrap(), broken.to_str().unwrap()],
        None,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut findings: Vec<(String, String)> = lines
        .chunks(2)
        .map(|pair| {
            let rule = pair[0].split_whitespace().next().unwrap_or_default();
            let file = pair
                .get(1)
                .and_then(|l| l.split(':').next())
                .unwrap_or_default();
            let file = Path::new(file).file_name().unwrap_or_default();
            (file.to_string_lossy().into_owned(), rule.to_owned())
        })
        .collect();
    findings.sort();
    assert_eq!(
        findings,
        [
            ("broken.json".to_owned(), "E3002".to_owned()),
            ("broken.json".to_owned(), "E3003".to_owned()),
        ],
        "{}",
        report(&output)
    );
}

#[test]
fn parliament_passes_the_callers_policy() {
    let Some(parliament) = validator("parliament") else {
        return;
    };
    let target = Target::new("123456789012", "eu-west-1")
        .function_prefix("prod-")
        .claim_check(claim_check());
    let policy = caller_policy(&OrdersClient::contract(), &target)
        .unwrap()
        .to_json();
    // Five invoke statements, then the claim check's requests, results and KMS key.
    assert_eq!(policy["Statement"].as_array().unwrap().len(), 8);
    let path = scratch("policy.json", &policy);
    let output = run(&parliament, &["--json"], Some(&path));
    assert!(output.status.success(), "{}", report(&output));
    assert_eq!(output.stdout, b"", "{}", report(&output));

    // The function's side of the claim check, as the template writes it (the partition
    // resolved as CloudFormation would): no finding either.
    let template = template();
    let mut function = template["Resources"]["PlaceFunction"]["Properties"]["Policies"][0].clone();
    for statement in function["Statement"].as_array_mut().unwrap() {
        if let Some(resources) = statement["Resource"].as_array_mut() {
            for resource in resources {
                let arn = resource["Fn::Sub"].as_str().unwrap();
                *resource = json!(arn.replace("${AWS::Partition}", "aws"));
            }
        }
    }
    assert_eq!(
        function["Statement"][0]["Resource"][0],
        "arn:aws:s3:::orders-bodies/orders/claim-check/req/*"
    );
    let path = scratch("function-policy.json", &function);
    let output = run(&parliament, &["--json"], Some(&path));
    assert!(output.status.success(), "{}", report(&output));
    assert_eq!(output.stdout, b"", "{}", report(&output));

    // A misspelt action is a finding: parliament knows Lambda's actions.
    let mut broken = policy.clone();
    broken["Statement"][0]["Action"] = json!(["lambda:InvokeFuntion"]);
    let path = scratch("broken-policy.json", &broken);
    let output = run(&parliament, &["--json"], Some(&path));
    let findings: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{}", report(&output));
    assert_eq!(findings[0]["issue"], "UNKNOWN_ACTION");
}

/// parliament 1.6.4 (April 2025) predates durable functions (December 2025): the actions the
/// template gives a durable function's role are unknown to it. The template's own policies
/// are therefore not given to parliament; cfn-lint does not check action names.
#[test]
fn parliament_does_not_know_the_durable_execution_actions() {
    let Some(parliament) = validator("parliament") else {
        return;
    };
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": lambda_remote::deploy::DURABLE_EXECUTION_ACTIONS,
        "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:orders-fulfil:*",
    }]});
    let path = scratch("durable-policy.json", &policy);
    let output = run(&parliament, &["--json"], Some(&path));
    let unknown: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|finding| finding["issue"] == "UNKNOWN_ACTION")
        .map(|finding| {
            finding["location"]["string"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        unknown,
        [
            "lambda:CheckpointDurableExecution",
            "lambda:GetDurableExecutionState"
        ],
        "{}",
        report(&output)
    );
}
