//! A function's timeout, from the time its caller waits.

use std::time::Duration;

/// Lambda's longest function timeout: 900 s.
pub const MAX_FUNCTION_TIMEOUT_SECS: u32 = 900;

/// How long before its caller stops waiting a function must time out: time for Lambda to
/// report the timeout (`Sandbox.Timedout`) and for the answer to travel.
pub const TIMEOUT_MARGIN: Duration = Duration::from_secs(1);

/// The function timeout, in whole seconds, for a method whose caller waits `caller_waits`
/// (its `timeout`): the whole seconds left after [`TIMEOUT_MARGIN`], capped at
/// [`MAX_FUNCTION_TIMEOUT_SECS`] — `10s` → 9, `2500ms` → 1, `1h` → 900. `None` when less than one
/// second is left (a caller waiting under 2 s): no function timeout ends before the caller
/// gives up.
///
/// ```
/// # use std::time::Duration;
/// # use lambda_remote_runtime::deploy::function_timeout;
/// assert_eq!(function_timeout(Duration::from_secs(10)), Some(9));
/// assert_eq!(function_timeout(Duration::from_millis(2500)), Some(1));
/// assert_eq!(function_timeout(Duration::from_secs(3600)), Some(900));
/// assert_eq!(function_timeout(Duration::from_millis(1999)), None);
/// ```
pub fn function_timeout(caller_waits: Duration) -> Option<u32> {
    let left = caller_waits.checked_sub(TIMEOUT_MARGIN)?.as_secs();
    (left >= 1).then(|| {
        u32::try_from(left).map_or(MAX_FUNCTION_TIMEOUT_SECS, |s| {
            s.min(MAX_FUNCTION_TIMEOUT_SECS)
        })
    })
}
