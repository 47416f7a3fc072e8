//! A counting global allocator for the memory benchmarks: live heap bytes, their peak, and the
//! bytes and allocations asked for. A bench installs it with
//! `#[global_allocator] static GLOBAL: Counting = Counting;` and measures a stretch of work
//! between [`Window::start`] and the window's readings.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes, their peak, and the bytes and allocations asked for.
pub struct Counting;

pub static LIVE: AtomicUsize = AtomicUsize::new(0);
pub static PEAK: AtomicUsize = AtomicUsize::new(0);
pub static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
pub static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
    ALLOCATED.fetch_add(size, Ordering::Relaxed);
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // Counted as a new allocation of `new_size` and the release of the old one: the
            // peak may briefly miss the moment both exist, which every kind shares.
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

/// A stretch of work being measured: the peak is reset to the bytes live at its start, so
/// [`peak_above_live`](Self::peak_above_live) is the heap the work needed at its worst.
pub struct Window {
    live: usize,
    allocated: usize,
    allocations: usize,
}

impl Window {
    pub fn start() -> Self {
        let live = LIVE.load(Ordering::SeqCst);
        PEAK.store(live, Ordering::SeqCst);
        Self {
            live,
            allocated: ALLOCATED.load(Ordering::SeqCst),
            allocations: ALLOCATIONS.load(Ordering::SeqCst),
        }
    }

    /// The highest live heap since the start, above what was live at the start.
    pub fn peak_above_live(&self) -> usize {
        PEAK.load(Ordering::SeqCst).saturating_sub(self.live)
    }

    /// Heap bytes asked for since the start.
    pub fn allocated(&self) -> usize {
        ALLOCATED.load(Ordering::SeqCst) - self.allocated
    }

    /// Allocations since the start.
    pub fn allocations(&self) -> usize {
        ALLOCATIONS.load(Ordering::SeqCst) - self.allocations
    }
}

/// A `kB` field of `/proc/self/status` (`VmHWM:`, `VmRSS:`), in KiB.
pub fn status_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
