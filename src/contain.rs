//! Containing a panic to the input that caused it.
//!
//! A panic is a bug, but one bug in one file must not lose the report of
//! every other file: [`catch`] turns a panic into an error message that
//! names where it happened, and keeps the default panic message off
//! standard error while it does.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs inside [`catch`].
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
    /// Where the last contained panic of this thread happened.
    static LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `job`; a panic in it becomes `Err("internal error: MESSAGE at
/// FILE:LINE")`.
pub fn catch<R>(job: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    let was = CONTAINED.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(job));
    CONTAINED.with(|c| c.set(was));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let at = LOCATION.with(|l| l.take()).map_or(String::new(), |l| format!(" at {l}"));
        format!("internal error: {message}{at} (a bug in iryolint: please report it with this file)")
    })
}

/// Installs, once, a panic hook that records contained panics quietly and
/// hands the others to the previous hook.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(|c| c.get()) {
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                LOCATION.with(|l| l.set(at));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_its_place() {
        assert_eq!(catch(|| 1 + 1), Ok(2));
        let err = catch(|| -> usize { panic!("boom {}", 7) }).unwrap_err();
        assert!(err.starts_with("internal error: boom 7 at src/contain.rs:"), "{err}");
        let end = std::hint::black_box(1);
        let err = catch(|| "日本"[..end].len()).unwrap_err();
        assert!(err.contains("is not a char boundary"), "{err}");
    }
}
