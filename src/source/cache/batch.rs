//! Many writes to the cache at once, concurrently and durably (`refresh`, `cache merge`).
//!
//! A [`Batch`] is shared by the threads that write. Each call writes its files to temp files on
//! the calling thread, so writes run as concurrently as their callers, and hands them to a
//! committer thread, which commits them in groups: all that arrived while it was busy. For each
//! group it makes the temp files' contents durable, renames the bodies to their
//! content-addressed names, syncs the directory (the bodies' names are durable), and renames the
//! metadata files into place: the commit point of each entry. The next group's directory sync,
//! or the last one in [`Batch::finish`], makes those renames durable; replaced bodies are
//! removed only after the last. So a run killed at any moment leaves every entry whole, old or
//! new, and `finish` returning `Ok` means every write is on disk.
//!
//! Making a group durable costs one `fsync` per file when the group is small; on Linux a group
//! of [`SYNCFS_FILES`] files or more is made durable by one `syncfs` of the cache's file system
//! instead, which writes them out together (one `fsync` per small file costs a journal commit
//! each). So the cost of durability grows with the number of groups, not of files, when many
//! files are written at once.
//!
//! A batch starts from one listing of the directory ([`Listing`]), so it never asks the file
//! system again whether an entry's files exist.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;

use serde::Serialize;
use tempfile::TempPath;

use super::{Cache, CacheError, Meta, SourceState, file_kind_name, key, sha256_hex};
use crate::sync::lock;

/// The cache directory's files when it was listed: each name, and whether it is a regular file.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    files: HashMap<String, bool>,
}

impl Listing {
    /// Lists `root` once (an absent directory lists as empty).
    pub(super) fn read(root: &Path) -> Result<Listing, CacheError> {
        let dir = match fs::read_dir(root) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Listing::default()),
            Err(source) => {
                return Err(CacheError::Io {
                    action: "read",
                    path: root.to_path_buf(),
                    source,
                });
            }
        };
        let mut files = HashMap::new();
        for entry in dir.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            // The type comes with the listing on Linux (no stat), and is not followed.
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            files.insert(name, regular);
        }
        Ok(Listing { files })
    }

    /// Whether the directory held a file of this name.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// How many files the directory held.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the directory held no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Refuses to replace anything but an absent path or a regular file, as
    /// [`write_atomic`](super::write_atomic) does.
    fn replaceable(&self, path: &Path, name: &str) -> Result<(), CacheError> {
        match self.files.get(name) {
            Some(false) => Err(CacheError::Refused {
                path: path.to_path_buf(),
                reason: format!(
                    "it is {}; only a regular file is replaced",
                    file_kind_name(path)
                ),
            }),
            _ => Ok(()),
        }
    }
}

/// On Linux, a group of at least this many files is synced by one `syncfs` rather than one
/// `fsync` each.
pub const SYNCFS_FILES: usize = 16;

/// Writes staged for the committer.
#[derive(Default)]
struct Staged {
    /// A new body's file, written in place (its name was free).
    fresh_body: Option<PathBuf>,
    /// A new body's temp file and name, renamed into place before the files below (a file of
    /// that name was there: left by an interrupted run, or the same bytes).
    body: Option<(TempPath, PathBuf)>,
    /// Temp files to rename into place once the bodies are durable.
    renames: Vec<(TempPath, PathBuf)>,
    /// Files to remove (a state with nothing left to say).
    removes: Vec<PathBuf>,
    /// A replaced body, removed once the metadata that replaced it is durable.
    obsolete: Option<PathBuf>,
}

/// Writes to one cache, made concurrently by any number of threads and committed in groups;
/// see the module documentation. Hold the cache's lock while a batch lives.
///
/// Dropping a batch without [`Batch::finish`] still commits what was written.
pub struct Batch {
    root: PathBuf,
    listing: Listing,
    staged: Mutex<Option<mpsc::Sender<Staged>>>,
    committer: Mutex<Option<JoinHandle<Result<(), CacheError>>>>,
    gate: Arc<Gate>,
}

/// Holds commits back while it is closed: writes are staged (their temp files and fresh bodies
/// written) but no file is renamed into place, so readers of the cache see it as it was.
#[derive(Default)]
struct Gate {
    /// How many [`Hold`]s are alive.
    holds: Mutex<usize>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let mut holds = lock(&self.holds);
        while *holds > 0 {
            holds = self
                .opened
                .wait(holds)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn release(&self) {
        let mut holds = lock(&self.holds);
        *holds = holds.saturating_sub(1);
        if *holds == 0 {
            self.opened.notify_all();
        }
    }
}

/// While alive, the batch's committer commits nothing ([`Batch::hold`]); dropping it lets the
/// writes staged meanwhile be committed.
#[must_use = "commits resume as soon as the hold is dropped"]
pub struct Hold {
    gate: Arc<Gate>,
}

impl std::fmt::Debug for Hold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hold").finish_non_exhaustive()
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.gate.release();
    }
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("root", &self.root).finish()
    }
}

impl Batch {
    /// Starts a batch on `cache`: creates the directory, lists it, starts the committer.
    pub(super) fn start(cache: &Cache) -> Result<Batch, CacheError> {
        cache.create_root()?;
        let root = cache.root().to_path_buf();
        let listing = Listing::read(&root)?;
        let (tx, rx) = mpsc::channel();
        let gate = Arc::new(Gate::default());
        let committer = {
            let root = root.clone();
            let gate = gate.clone();
            std::thread::Builder::new()
                .name("cache-commit".into())
                .spawn(move || commit(&root, &rx, &gate))
                .map_err(|source| CacheError::Io {
                    action: "start the committer of",
                    path: cache.root().to_path_buf(),
                    source,
                })?
        };
        Ok(Batch {
            root,
            listing,
            staged: Mutex::new(Some(tx)),
            committer: Mutex::new(Some(committer)),
            gate,
        })
    }

    /// Holds commits back until the returned [`Hold`] is dropped: writes go on (into temp
    /// files and fresh body files no metadata names yet), but the cache's readers see no entry
    /// change meanwhile. A refresh holds its batch while it checks the claims on the copies
    /// held before, and fetches meanwhile. [`Batch::finish`] waits for every hold to go.
    pub fn hold(&self) -> Hold {
        *lock(&self.gate.holds) += 1;
        Hold {
            gate: self.gate.clone(),
        }
    }

    /// The cache directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory's files when the batch started.
    pub fn listing(&self) -> &Listing {
        &self.listing
    }

    /// Stores a body and its metadata; `meta.sha256` and `meta.body` are set here and the
    /// metadata returned. `replaces` is the entry's metadata as it was, if any: its body is
    /// removed once the new metadata is durable (when it is another file). The body is always
    /// written: to keep a body that is already there, use [`Batch::put_meta`].
    pub fn put(
        &self,
        mut meta: Meta,
        body: &[u8],
        replaces: Option<&Meta>,
    ) -> Result<Meta, CacheError> {
        let key = key(&meta.url);
        let meta_name = format!("{key}.json");
        self.listing
            .replaceable(&self.root.join(&meta_name), &meta_name)?;
        meta.sha256 = sha256_hex(body);
        meta.body = super::body_file(&meta.url, &meta.sha256);
        let mut staged = Staged::default();
        // No metadata names the body until it is durable, so it can be written in place when
        // its name is free: a run killed meanwhile leaves an orphan, which is rewritten (not
        // trusted) when its name comes up again.
        let path = self.root.join(&meta.body);
        let fresh = !self.listing.contains(&meta.body) && write_new(&path, body)?;
        if fresh {
            staged.fresh_body = Some(path);
        } else {
            self.listing.replaceable(&path, &meta.body)?;
            staged.body = Some((write_temp(&self.root, &path, body, false)?, path));
        }
        staged
            .renames
            .push(self.stage_json(&meta_name, &meta, meta_error)?);
        staged.obsolete = replaces
            .filter(|old| old.body != meta.body && is_body_name(&old.body, &key))
            .map(|old| self.root.join(&old.body));
        self.send(staged)?;
        Ok(meta)
    }

    /// Replaces only the metadata of an entry (its body is already there).
    pub fn put_meta(&self, meta: &Meta) -> Result<(), CacheError> {
        let staged = Staged {
            renames: vec![self.stage_json(
                &format!("{}.json", key(&meta.url)),
                meta,
                meta_error,
            )?],
            ..Staged::default()
        };
        self.send(staged)
    }

    /// Stores a source's state; a state with nothing to say removes its file, if there was one.
    pub fn put_state(&self, state: &SourceState) -> Result<(), CacheError> {
        let name = super::state_file(&state.url);
        let mut staged = Staged::default();
        if state.is_empty() {
            if !self.listing.contains(&name) {
                return Ok(());
            }
            staged.removes.push(self.root.join(name));
        } else {
            staged
                .renames
                .push(
                    self.stage_json(&name, state, |path, source| CacheError::State {
                        path,
                        source,
                    })?,
                );
        }
        self.send(staged)
    }

    /// Waits for every write to be committed and on disk.
    pub fn finish(&self) -> Result<(), CacheError> {
        drop(lock(&self.staged).take());
        match lock(&self.committer).take() {
            None => Ok(()),
            Some(committer) => match committer.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
        }
    }

    fn stage_json<T: Serialize>(
        &self,
        name: &str,
        value: &T,
        invalid: impl FnOnce(PathBuf, serde_json::Error) -> CacheError,
    ) -> Result<(TempPath, PathBuf), CacheError> {
        let path = self.root.join(name);
        self.listing.replaceable(&path, name)?;
        let json = serde_json::to_vec_pretty(value).map_err(|e| invalid(path.clone(), e))?;
        Ok((write_temp(&self.root, &path, &json, false)?, path))
    }

    fn send(&self, staged: Staged) -> Result<(), CacheError> {
        let sent = lock(&self.staged)
            .as_ref()
            .is_some_and(|tx| tx.send(staged).is_ok());
        if sent {
            Ok(())
        } else {
            Err(CacheError::Io {
                action: "write to",
                path: self.root.clone(),
                source: io::Error::other("the batch is finished"),
            })
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = self.finish();
        }
    }
}

fn meta_error(path: PathBuf, source: serde_json::Error) -> CacheError {
    CacheError::Meta { path, source }
}

/// Whether `name` is a body file name of the entry `key` (never a path: an untrusted metadata
/// file must not name a file elsewhere to remove).
pub(super) fn is_body_name(name: &str, key: &str) -> bool {
    name.strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".body"))
        .is_some_and(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The committer: once no [`Hold`] is alive, for each group of staged writes, the temp files made durable, the bodies
/// renamed, one directory sync (their names are durable), then the other renames; at the end
/// one more sync, then the replaced bodies go. After a failure it only drains (the temp files
/// are removed as they drop).
fn commit(root: &Path, staged: &mpsc::Receiver<Staged>, gate: &Gate) -> Result<(), CacheError> {
    let mut result = Ok(());
    let mut obsolete = Vec::new();
    let mut changed = false;
    while let Ok(first) = staged.recv() {
        gate.wait();
        let mut group = vec![first];
        group.extend(staged.try_iter());
        if result.is_err() {
            continue;
        }
        if let Err(e) = commit_group(root, group, &mut obsolete) {
            result = Err(e);
        }
        changed = true;
    }
    if result.is_ok() && changed {
        result = sync_dir(root);
    }
    if result.is_ok() {
        for path in obsolete {
            let _ = fs::remove_file(path);
        }
    }
    result
}

fn commit_group(
    root: &Path,
    group: Vec<Staged>,
    obsolete: &mut Vec<PathBuf>,
) -> Result<(), CacheError> {
    let files: Vec<&Path> = group
        .iter()
        .flat_map(|s| {
            let fresh = s.fresh_body.iter().map(PathBuf::as_path);
            let temps = s.body.iter().chain(&s.renames).map(|(tmp, _)| &**tmp);
            fresh.chain(temps)
        })
        .collect();
    sync_files(root, &files)?;
    let mut bodies = false;
    let mut later = Vec::with_capacity(group.len());
    for staged in group {
        bodies |= staged.fresh_body.is_some();
        if let Some((tmp, path)) = staged.body {
            persist(tmp, &path)?;
            bodies = true;
        }
        later.push((staged.renames, staged.removes));
        obsolete.extend(staged.obsolete);
    }
    if bodies {
        sync_dir(root)?;
    }
    for (renames, removes) in later {
        for (tmp, path) in renames {
            persist(tmp, &path)?;
        }
        for path in removes {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(CacheError::Io {
                        action: "remove",
                        path,
                        source,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Makes the contents of these files (in `root`) durable: one `syncfs` for many on Linux, else
/// one `fsync` each.
fn sync_files(root: &Path, files: &[&Path]) -> Result<(), CacheError> {
    #[cfg(target_os = "linux")]
    if files.len() >= SYNCFS_FILES {
        return fs::File::open(root)
            .and_then(|dir| rustix::fs::syncfs(&dir).map_err(io::Error::from))
            .map_err(|source| CacheError::Io {
                action: "sync",
                path: root.to_path_buf(),
                source,
            });
    }
    let _ = root;
    for file in files {
        fs::File::open(file)
            .and_then(|f| f.sync_data())
            .map_err(|source| CacheError::Io {
                action: "sync",
                path: file.to_path_buf(),
                source,
            })?;
    }
    Ok(())
}

/// Writes a new file at `path` (never replacing one: `false` when the name is taken). A file
/// left half-written by a failure is removed.
fn write_new(path: &Path, bytes: &[u8]) -> Result<bool, CacheError> {
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(source) => {
            return Err(CacheError::Io {
                action: "create",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    file.write_all(bytes).map_err(|source| {
        let _ = fs::remove_file(path);
        CacheError::Io {
            action: "write",
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(true)
}

/// Writes `bytes` to a new temp file beside `path`, to be renamed into place; synced when
/// `sync` (else the batch's committer makes it durable).
pub(super) fn write_temp(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    sync: bool,
) -> Result<TempPath, CacheError> {
    let io_err = |action, source| CacheError::Io {
        action,
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| io_err("create a temp file for", e))?;
    tmp.write_all(bytes).map_err(|e| io_err("write", e))?;
    if sync {
        tmp.as_file().sync_data().map_err(|e| io_err("sync", e))?;
    }
    Ok(tmp.into_temp_path())
}

/// Renames a temp file into place.
pub(super) fn persist(tmp: TempPath, path: &Path) -> Result<(), CacheError> {
    tmp.persist(path).map_err(|e| CacheError::Io {
        action: "replace",
        path: path.to_path_buf(),
        source: e.error,
    })
}

/// Syncs a directory, so the renames in it are durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), CacheError> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| CacheError::Io {
                action: "sync",
                path: dir.to_path_buf(),
                source,
            })
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(url: &str) -> Meta {
        Meta {
            url: url.into(),
            final_url: url.into(),
            status: Some(200),
            content_type: Some("text/plain".into()),
            retrieved: "2026-11-29T00:00:00Z".into(),
            ..Meta::default()
        }
    }

    #[test]
    fn writes_from_many_threads_are_whole_after_finish() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("c"));
        let old = cache.put(meta("https://a.example/0"), b"old").expect("put");
        let batch = cache.batch().expect("batch");
        assert!(batch.listing().contains(&old.body));
        std::thread::scope(|s| {
            for t in 0..4 {
                let batch = &batch;
                let old = &old;
                s.spawn(move || {
                    for i in (t..40).step_by(4) {
                        let url = format!("https://a.example/{i}");
                        let replaces = (i == 0).then_some(old);
                        batch
                            .put(meta(&url), format!("body {i}").as_bytes(), replaces)
                            .expect("put");
                    }
                });
            }
        });
        batch.finish().expect("finish");
        assert!(cache.verify().expect("verify").is_empty());
        assert_eq!(cache.list().expect("list").len(), 40);
        let body = cache.get("https://a.example/0").expect("get").expect("hit");
        assert_eq!(body.body, b"body 0");
        // The replaced body is gone, and no temp file is left.
        let names: Vec<String> = fs::read_dir(dir.path().join("c"))
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.contains(&old.body), "{names:?}");
        assert!(!names.iter().any(|n| n.starts_with(".tmp-")), "{names:?}");
        assert_eq!(names.len(), 80);
    }

    /// While a hold is alive, readers see the cache as it was; the writes staged meanwhile are
    /// committed once it goes.
    #[test]
    fn a_hold_keeps_writes_out_of_sight_until_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let old = cache
            .put(meta("https://a.example/old"), b"old")
            .expect("put");
        let batch = cache.batch().expect("batch");
        let hold = batch.hold();
        batch
            .put(meta("https://a.example/new"), b"new", None)
            .expect("put");
        batch
            .put(meta("https://a.example/old"), b"newer", Some(&old))
            .expect("put");
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!(cache.meta("https://a.example/new").expect("meta"), None);
        let held = cache
            .get("https://a.example/old")
            .expect("get")
            .expect("hit");
        assert_eq!(held.body, b"old");
        drop(hold);
        batch.finish().expect("finish");
        let new = cache
            .get("https://a.example/new")
            .expect("get")
            .expect("hit");
        assert_eq!(new.body, b"new");
        let old = cache
            .get("https://a.example/old")
            .expect("get")
            .expect("hit");
        assert_eq!(old.body, b"newer");
        assert!(cache.verify().expect("verify").is_empty());
    }

    #[test]
    fn states_are_written_and_removed_and_metadata_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let url = "https://a.example/";
        let stored = cache.put(meta(url), b"one").expect("put");
        let failing = SourceState {
            url: url.into(),
            last_failure: Some(super::super::FailureRecord {
                at: "2026-11-29T00:00:00Z".into(),
                reason: "HTTP 500".into(),
            }),
            ..SourceState::default()
        };
        let batch = cache.batch().expect("batch");
        batch.put_state(&failing).expect("state");
        let mut newer = stored.clone();
        newer.retrieved = "2026-11-30T00:00:00Z".into();
        batch.put_meta(&newer).expect("meta");
        batch.finish().expect("finish");
        assert_eq!(cache.state(url).expect("state"), Some(failing));
        assert_eq!(cache.meta(url).expect("meta"), Some(newer));

        let batch = cache.batch().expect("batch");
        batch
            .put_state(&SourceState {
                url: url.into(),
                ..SourceState::default()
            })
            .expect("clear");
        drop(batch); // commits too
        assert_eq!(cache.state(url).expect("state"), None);
        assert!(cache.verify().expect("verify").is_empty());
    }

    /// A body file left half-written by a killed run has the name of the whole body: it is
    /// rewritten, never trusted.
    #[test]
    fn a_half_written_orphan_body_is_rewritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let url = "https://a.example/";
        let name = super::super::body_file(url, &sha256_hex(b"whole body"));
        fs::write(dir.path().join(&name), b"whole").expect("orphan");
        let batch = cache.batch().expect("batch");
        let stored = batch.put(meta(url), b"whole body", None).expect("put");
        batch.finish().expect("finish");
        assert_eq!(stored.body, name);
        assert_eq!(
            cache.get(url).expect("get").expect("hit").body,
            b"whole body"
        );
        assert!(cache.verify().expect("verify").is_empty());
    }

    #[test]
    fn an_old_body_named_outside_its_entry_is_never_removed() {
        assert!(is_body_name("abc.0123456789ab.body", "abc"));
        assert!(!is_body_name("../abc.0123456789ab.body", "abc"));
        assert!(!is_body_name("abc./../../x.body", "abc"));
        assert!(!is_body_name("abd.0123.body", "abc"));
        assert!(!is_body_name("abc..body", "abc"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_in_place_of_a_metadata_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let url = "https://a.example/";
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join(format!("{}.json", key(url))))
            .expect("symlink");
        let batch = cache.batch().expect("batch");
        let err = batch.put(meta(url), b"x", None).expect_err("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        batch.finish().expect("finish");
    }
}
