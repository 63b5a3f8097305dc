//! Locks shared by worker threads.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, taking the data even if a thread panicked while holding it: every value these
/// mutexes guard (pages, pending writes, results) stays valid between its updates, and a panic
/// is reported where it is caught, not again by every thread that locks after it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
