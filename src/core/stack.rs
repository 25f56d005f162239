//! Recursive work on a stack sized for it. Parsers and tree walks recurse once per level of
//! nesting; every input bounds its nesting before they run, and they run here, on a stack large
//! enough for that bound in a debug build, whatever thread the caller is on (an HTTP worker or
//! a blocking-pool thread has 2 MiB). The memory is reserved, and only committed as it is used.

/// The stack that bounded recursive work runs on.
pub const LARGE_STACK_BYTES: usize = 256 << 20;

/// Runs `work` on a freshly allocated stack of `LARGE_STACK_BYTES` (on the calling thread).
pub fn on_large_stack<R>(work: impl FnOnce() -> R) -> R {
    stacker::grow(LARGE_STACK_BYTES, work)
}
