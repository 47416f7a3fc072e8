//! Deadlines that travel: a synchronous call carries the time its caller will still wait, as a
//! remaining duration in milliseconds (clocks differ between machines; a duration does not
//! depend on them), in the client context's `custom` map under [`KEY`]. The served side turns
//! it back into a point in time when the invocation arrives
//! (`InvocationContext::caller_deadline`).
//!
//! The time a call carries is the shortest of its own timeout (the call's, else the method's)
//! and, inside a served method, what is left of the invocation it answers (Lambda's deadline
//! and its own caller's): each hop of a chain sees less than the one before.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

/// The `custom` key of the time the caller will still wait, in whole milliseconds (a string:
/// Lambda's client context keeps only string values in `custom`).
pub(crate) const KEY: &str = "lambda-remote-remaining-ms";

/// The time a call with `timeout` tells the function its caller will wait: the shortest of
/// `timeout` and `left`, what is left of the invocation the current task answers, if any.
#[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
pub(crate) fn budget(timeout: Option<Duration>, left: Option<Duration>) -> Option<Duration> {
    match (timeout, left) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The time left until `deadline` (zero once it passed).
#[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
pub(crate) fn until(deadline: SystemTime) -> Duration {
    deadline
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

/// Writes `budget` into a client context's `custom` map; `None` when the context is not a
/// JSON object (or `custom` is not one).
#[cfg_attr(not(feature = "client"), allow(dead_code))] // the caller's side only
pub(crate) fn add_to(context: &mut Value, budget: Duration) -> Option<()> {
    let custom = context
        .as_object_mut()?
        .entry("custom")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let millis = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX);
    custom
        .entry(KEY)
        .or_insert_with(|| Value::String(millis.to_string()));
    Some(())
}

/// The time the caller will still wait, read from a client context (a decimal string of
/// milliseconds; anything else is no budget).
pub(crate) fn read(context: &Value) -> Option<Duration> {
    read_text(context.get("custom")?.get(KEY)?.as_str())
}

/// The time the caller will still wait, from the value of [`KEY`] in a client context's
/// `custom` map (a decimal string of milliseconds; anything else is no budget).
pub(crate) fn read_text(text: Option<&str>) -> Option<Duration> {
    let millis: u64 = text?.parse().ok()?;
    Some(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn written_and_read_back_as_milliseconds() {
        let mut context = json!({"custom": {"tenant": "acme"}});
        add_to(&mut context, Duration::from_micros(1_500_900)).unwrap();
        assert_eq!(context["custom"][KEY], "1500");
        assert_eq!(read(&context), Some(Duration::from_millis(1500)));
        assert_eq!(read(&json!({"custom": {KEY: 5}})), None);
        assert_eq!(read(&json!({"custom": {KEY: "-5"}})), None);
        assert_eq!(add_to(&mut json!([1]), Duration::ZERO), None);
    }
}
