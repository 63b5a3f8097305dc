//! The cache's lock: one run writes a cache at a time.
//!
//! An advisory OS lock (`flock`) on `.lock` in the cache directory, taken without waiting, so a
//! second run fails at once instead of queueing behind a long refresh; the OS releases it when
//! the holder exits, even when it is killed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::CacheError;

/// The cache's lock: an OS lock on `.lock`, held while this value lives and removed with it.
#[derive(Debug)]
pub struct CacheLock {
    path: PathBuf,
    file: fs::File,
}

impl CacheLock {
    pub(super) fn acquire(path: PathBuf) -> Result<CacheLock, CacheError> {
        let io_err = |action, source| CacheError::Io {
            action,
            path: path.clone(),
            source,
        };
        // A holder that is done removes the file; a run that opened it just before must then
        // try again on the new file, or two runs would hold locks on different files.
        for _ in 0..LOCK_ATTEMPTS {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| io_err("open", e))?;
            match try_lock(&file) {
                Ok(true) => {}
                Ok(false) => return Err(CacheError::Locked { path: path.clone() }),
                Err(e) => return Err(io_err("lock", e)),
            }
            if same_file(&file, &path) {
                let mut file = file;
                let _ = file.set_len(0);
                let _ = writeln!(file, "{}", std::process::id());
                registry().push(identity(&path));
                return Ok(CacheLock { path, file });
            }
        }
        Err(CacheError::Locked { path })
    }
}

/// The lock files this process holds, so that a reader in the same process (the checks of a
/// refresh) can tell it may write the cache.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    crate::sync::lock(&HELD)
}

/// A lock file's path as the registry keys it: its directory resolved, when it can be.
fn identity(path: &Path) -> PathBuf {
    match (path.parent().map(fs::canonicalize), path.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Whether this process holds the lock at `path`.
pub(super) fn held_here(path: &Path) -> bool {
    registry().contains(&identity(path))
}

/// How many times the lock is tried when its file keeps being replaced.
const LOCK_ATTEMPTS: usize = 8;

/// Takes an exclusive advisory lock without waiting; `Ok(false)` when another holds it. The
/// lock goes with the file descriptor, so a killed run releases it.
#[cfg(unix)]
fn try_lock(file: &fs::File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Elsewhere no advisory lock is taken (factcheck runs in CI on Unix).
#[cfg(not(unix))]
fn try_lock(_file: &fs::File) -> io::Result<bool> {
    Ok(true)
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

impl Drop for CacheLock {
    fn drop(&mut self) {
        let me = identity(&self.path);
        registry().retain(|p| *p != me);
        // Remove while still holding the lock; closing the file releases it.
        let _ = fs::remove_file(&self.path);
        let _ = &self.file;
    }
}
