//! Writes the shop's deployment from its contract: `template.json`, an AWS SAM template of one
//! function per method (all from the one `shop-function` binary), and `caller-policy.json`,
//! the least-privilege IAM policy of the shop's callers.
//!
//! ```sh
//! cargo lambda build --release -p shop-function
//! cargo run -p shop-deploy -- --account 123456789012 --region eu-west-1 --prefix prod- deploy/
//! sam deploy --template-file deploy/template.json --stack-name shop-prod --capabilities CAPABILITY_IAM \
//!   --parameter-overrides NamePrefix=prod- AccountId=123456789012 Region=eu-west-1
//! ```

use std::path::PathBuf;
use std::time::Duration;

use lambda_remote::GeneratedClient as _;
use lambda_remote::deploy::{SamTemplate, Target, caller_policy};
use shop_contract::ShopClient;

const USAGE: &str = "usage: shop-deploy --account <12 digits> --region <region> \
                     [--partition <aws>] [--prefix <stage->] [--code-uri <dir>] <out-dir>";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut account, mut region, mut partition, mut prefix) = (None, None, None, None);
    let mut code_uri = "../target/lambda/shop-function/".to_owned();
    let mut out = None;
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value; {USAGE}"))
        };
        match arg.as_str() {
            "--account" => account = Some(value()?),
            "--region" => region = Some(value()?),
            "--partition" => partition = Some(value()?),
            "--prefix" => prefix = Some(value()?),
            "--code-uri" => code_uri = value()?,
            _ if !arg.starts_with("--") && out.is_none() => out = Some(PathBuf::from(&arg)),
            _ => return Err(format!("unexpected `{arg}`; {USAGE}").into()),
        }
    }
    let (Some(account), Some(region), Some(out)) = (account, region, out) else {
        return Err(USAGE.into());
    };
    let mut target = Target::new(account, region).function_prefix(prefix.unwrap_or_default());
    if let Some(partition) = partition {
        target = target.partition(partition);
    }

    let contract = ShopClient::contract();
    let policy = caller_policy(&contract, &target)?;
    let template = SamTemplate::builder(&contract)
        .code_uri(code_uri)
        // `ship` is queued: nobody waits for it, so its timeout is the default.
        .default_timeout(Duration::from_secs(60))
        .durable("ship", Duration::from_secs(24 * 3600), Some(30))
        .build()?;

    std::fs::create_dir_all(&out)?;
    let write = |name: &str, json: &serde_json::Value| -> std::io::Result<()> {
        let path = out.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(json)? + "\n")?;
        println!("wrote {}", path.display());
        Ok(())
    };
    write("template.json", template.to_json())?;
    write("caller-policy.json", &policy.to_json())?;
    Ok(())
}
