//! The grammars of the values `#[lambda(…)]` takes, each a function from the text as written
//! to its typed value, or the message that says what to write instead. (A function name and a
//! qualifier follow Lambda's grammar in `lambda-remote-names`, shared with the runtime.)

use std::time::Duration;

use super::super::model::{ClaimCheck, Delivery, Invocation, Log, NameTemplate, TemplatePart};
use crate::keys::quoted;

/// How `invocation = "…"` may be spelled.
pub(super) const INVOCATIONS: &[&str] = &["request_response", "event", "dry_run", "stream"];

/// How `delivery = "…"` may be spelled.
pub(super) const DELIVERIES: &[&str] = &["at_most_once", "at_least_once"];

/// How `claim_check = "…"` may be spelled.
pub(super) const CLAIM_CHECKS: &[&str] = &["auto", "always", "never"];

pub(super) fn claim_check(text: &str) -> Result<ClaimCheck, String> {
    match text {
        "auto" => Ok(ClaimCheck::Auto),
        "always" => Ok(ClaimCheck::Always),
        "never" => Ok(ClaimCheck::Never),
        other => Err(format!(
            "unknown claim check `{other}`; expected one of {}",
            quoted(CLAIM_CHECKS)
        )),
    }
}

pub(super) fn invocation(text: &str) -> Result<Invocation, String> {
    match text {
        "request_response" | "RequestResponse" => Ok(Invocation::RequestResponse),
        "event" | "Event" => Ok(Invocation::Event),
        "dry_run" | "DryRun" => Ok(Invocation::DryRun),
        "stream" => Ok(Invocation::Stream),
        other => Err(format!(
            "unknown invocation type `{other}`; expected one of {}",
            quoted(INVOCATIONS)
        )),
    }
}

pub(super) fn log(text: &str) -> Result<Log, String> {
    match text {
        "tail" | "Tail" => Ok(Log::Tail),
        "none" | "None" => Ok(Log::None),
        other => Err(format!(
            "unknown log type `{other}`; expected one of `tail`, `none`"
        )),
    }
}

pub(super) fn delivery(text: &str) -> Result<Delivery, String> {
    match text {
        "at_most_once" => Ok(Delivery::AtMostOnce),
        "at_least_once" => Ok(Delivery::AtLeastOnce),
        other => Err(format!(
            "unknown delivery `{other}`; expected one of {}",
            quoted(DELIVERIES)
        )),
    }
}

/// `"30s"`, `"500ms"`, `"2m"`, `"1m30s"`: a non-zero duration in whole milliseconds.
pub(super) fn timeout(text: &str) -> Result<Duration, String> {
    const HELP: &str = "write a duration such as `\"30s\"`, `\"500ms\"`, `\"15m\"` or `\"1m30s\"`";
    let too_large = || format!("timeout `{text}` is too large");
    let mut total: u64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(format!("empty timeout; {HELP}"));
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid timeout `{text}`; {HELP}"));
        }
        let number: u64 = rest[..digits].parse().map_err(|_| too_large())?;
        rest = &rest[digits..];
        let unit_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "" if rest.is_empty() => {
                return Err(format!(
                    "invalid timeout `{text}`: a number needs a unit (`ms`, `s`, `m` or `h`); {HELP}"
                ));
            }
            _ => return Err(format!("invalid timeout `{text}`: unknown unit; {HELP}")),
        };
        rest = &rest[unit_len..];
        total = number
            .checked_mul(factor)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(too_large)?;
    }
    if total == 0 {
        return Err(format!("a timeout of zero would fail every call; {HELP}"));
    }
    Ok(Duration::from_millis(total))
}

/// Splits a durable execution name template, `"order-{order_id}"`, into its parts; an
/// unbalanced brace or an empty `{}` is an error. (Which arguments it names, and what its text
/// may hold, are checked against the method in [`super::rules`].)
pub(super) fn name_template(text: &str) -> Result<NameTemplate, String> {
    template(text, "durable execution name")
}

/// Splits an idempotency key template, `"order-{order_id}"`, into its parts, as
/// [`name_template`]; a key must name an argument (a key without one is the same for every
/// call, so every call after the first would get the first one's result).
pub(super) fn key_template(text: &str) -> Result<NameTemplate, String> {
    let template = template(text, "idempotency key")?;
    if !template
        .parts
        .iter()
        .any(|part| matches!(part, TemplatePart::Argument(_)))
    {
        return Err(format!(
            "the idempotency key `{text}` names no argument, so every call would have the same key and get the first call's result: name the arguments that identify the work, e.g. `\"{text}-{{order_id}}\"`"
        ));
    }
    Ok(template)
}

/// Splits `"order-{order_id}"` into its parts (`what` names the value in errors).
fn template(text: &str, what: &str) -> Result<NameTemplate, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(at) = rest.find(['{', '}']) else {
            parts.push(TemplatePart::Literal(rest.to_owned()));
            break;
        };
        if rest[at..].starts_with('}') {
            return Err(format!(
                "unmatched `}}` in {what} `{text}`: write `{{argument}}` to use an argument"
            ));
        }
        if at > 0 {
            parts.push(TemplatePart::Literal(rest[..at].to_owned()));
        }
        let Some(end) = rest[at..].find('}') else {
            return Err(format!(
                "unclosed `{{` in {what} `{text}`: write `{{argument}}` to use an argument"
            ));
        };
        let name = rest[at + 1..at + end].trim();
        if name.is_empty() {
            return Err(format!(
                "empty `{{}}` in {what} `{text}`: name an argument, e.g. `{{order_id}}`"
            ));
        }
        parts.push(TemplatePart::Argument(name.to_owned()));
        rest = &rest[at + end + 1..];
    }
    if parts.is_empty() {
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        return Err(format!(
            "{article} {what} cannot be empty: write e.g. `\"order-{{order_id}}\"`"
        ));
    }
    Ok(NameTemplate {
        text: text.to_owned(),
        parts,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{key_template, name_template, timeout};

    #[test]
    fn durations() {
        assert_eq!(timeout("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(timeout("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(timeout("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(timeout("15m"), Ok(Duration::from_secs(900)));
        assert!(timeout("").is_err());
        assert!(timeout("30").is_err());
        assert!(timeout("s").is_err());
        assert!(timeout("0s").is_err());
        assert!(timeout("3days").is_err());
        assert!(timeout("99999999999999999999s").is_err());
    }

    #[test]
    fn name_templates() {
        let template = name_template("order-{order_id}-x").unwrap();
        assert_eq!(template.parts.len(), 3);
        assert!(name_template("{a}{b}").is_ok());
        assert!(name_template("").is_err());
        assert!(name_template("a-{}").is_err());
        assert!(name_template("a-{b").is_err());
        assert!(name_template("a-}").is_err());
    }

    #[test]
    fn key_templates() {
        assert_eq!(key_template("order-{order_id}").unwrap().parts.len(), 2);
        assert!(key_template("a b/{c}").is_ok());
        assert!(key_template("").is_err());
        assert!(key_template("constant").is_err());
        assert!(key_template("a-{}").is_err());
    }
}
