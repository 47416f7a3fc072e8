//! What the endpoint's request handlers share: the functions, the flavour, the limits, the
//! injected faults, the recording, the event queue and the durable executions.

use std::sync::Arc;

use super::durable::Executions;
use super::errors::Faults;
use super::events::EventQueue;
use super::flavor::Flavor;
use super::recording::Recorder;
use super::registry::Registry;
use crate::client::limits::Limits;

/// State shared by the request handlers.
pub(crate) struct Shared {
    pub(crate) registry: Registry,
    pub(crate) flavor: Flavor,
    pub(crate) limits: Limits,
    pub(crate) faults: Faults,
    pub(crate) recorder: Arc<Recorder>,
    pub(crate) events: EventQueue,
    pub(crate) executions: Executions,
}
