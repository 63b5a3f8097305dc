//! The cache: one body file and one small metadata file per source, keyed by a hash of the URL.
//!
//! Layout (flat, git-friendly): `<root>/<key>.json` holds the [`Meta`] and names the body file
//! `<key>.<sha256 prefix>.body`. `key` is the first 32 hex digits of the SHA-256 of the URL, so no
//! path is ever built from a URL. Every write is atomic (temp file, then rename), and the metadata
//! file is the commit point: the new body is renamed into place first, under a new name, then the
//! metadata, then the old body is removed. A run killed at any moment leaves every entry whole
//! (at worst an orphaned body, which `verify` reports and `put` cleans up next time).
//!
//! Beside an entry, `<key>.state` holds what refreshes learnt about the source ([`SourceState`]:
//! its failures since the last success, where its copy now comes from). It is a separate file
//! so that a source with no good copy yet can have a history too, and so that recording a
//! failure never rewrites the metadata of the good copy. `.lock` is held by a run that writes
//! the cache ([`Cache::lock`]).
//!
//! A cache may be committed, so its files are untrusted: bodies and metadata are read only when
//! they are regular files, within the `body_bytes` limit, and a body that is a symlink is
//! followed only when it stays inside the cache ([`CacheError::Refused`] otherwise). Writes
//! replace only regular files ([`write_atomic`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::limits::Limits;
use crate::source::file;

mod batch;
mod consistency;
mod lock;
mod merge;
pub use batch::{Batch, Hold, Listing, SYNCFS_FILES};
pub use lock::CacheLock;
pub use merge::Merged;
use sha2::{Digest, Sha256};

/// The default cache directory, relative to the project root.
pub const DEFAULT_CACHE_DIR: &str = ".factcheck/cache";

/// What the cache knows about one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The URL as the assertion file names it.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status, when the body came over HTTP (or from a WARC response record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The Content-Type header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The ETag header, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The Last-Modified header, for conditional requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When the body was retrieved (RFC 3339, UTC).
    pub retrieved: String,
    /// The SHA-256 of the body, in hex.
    pub sha256: String,
    /// The body's file name, beside the metadata file.
    #[serde(default)]
    pub body: String,
    /// The SHA-256 of the page's normalised main content (HTML), recorded when the page is first
    /// read: if the body's hash changes but this does not, only boilerplate changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_sha256: Option<String>,
}

/// The state file's extension.
const STATE_EXT: &str = "state";
/// The lock file's name, in the cache directory.
pub const LOCK_FILE: &str = ".lock";

/// One failed fetch of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Why, as shown to users ("HTTP 404 Not Found").
    pub reason: String,
}

/// What refreshes learnt about one source, kept in `<key>.state`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    /// The URL as the assertion file names it.
    pub url: String,
    /// The failures that count towards declaring the source dead: the first failure since the
    /// last success, then each later one far enough from the previous (see `refresh::health`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<FailureRecord>,
    /// The most recent failure, counted or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<FailureRecord>,
    /// Where the cached copy came from when not from the URL itself (an `archived` URL or a
    /// Wayback Machine capture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_from: Option<String>,
    /// When a refresh last tried the source (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked: Option<String>,
}

impl SourceState {
    /// Whether the state has nothing to say (no failures, no archived copy), so that no file
    /// is kept for it.
    pub fn is_empty(&self) -> bool {
        self.failures.is_empty() && self.last_failure.is_none() && self.archived_from.is_none()
    }
}

/// Errors of the cache.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// A file could not be read or written.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// Another run holds the cache's lock.
    #[error("another factcheck run is writing the cache (it holds {})", path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// A state file does not parse.
    #[error("corrupt source state {}", path.display())]
    State {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// A file of the cache is refused: not a regular file, a symlink out of the cache, or
    /// larger than the limit. Reading the source it belongs to makes it unavailable.
    #[error("refusing {}: {reason}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A metadata file does not parse.
    #[error("corrupt cache metadata {}", path.display())]
    Meta {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

/// A body and its metadata.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The metadata.
    pub meta: Meta,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// A problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned.
    pub path: PathBuf,
    /// The URL, when known.
    pub url: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Whether it makes the cache inconsistent (false for harmless leftovers).
    pub fatal: bool,
}

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// The SHA-256 of some bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex, two digits a byte (a table, not the formatting machinery: every cache write
/// names files by hashes).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The cache key of a URL: 32 hex digits of its SHA-256.
pub fn key(url: &str) -> String {
    sha256_hex(url.as_bytes())[..32].to_string()
}

/// The name of the metadata file of `url`'s entry: `<key>.json`.
pub fn meta_file(url: &str) -> String {
    format!("{}.json", key(url))
}

/// The name of the body file of `url`'s entry whose bytes hash to `sha256` (hex):
/// `<key>.<first 12 hex digits>.body`.
pub fn body_file(url: &str, sha256: &str) -> String {
    format!("{}.{}.body", key(url), &sha256[..sha256.len().min(12)])
}

/// The name of the state file of `url`: `<key>.state`.
pub fn state_file(url: &str) -> String {
    format!("{}.{STATE_EXT}", key(url))
}

/// What the file at `path` is, for a message ("a symbolic link", "a FIFO").
fn file_kind_name(path: &Path) -> String {
    fs::symlink_metadata(path).map_or_else(
        |_| "not a regular file".into(),
        |m| file::kind_of(&m).to_string(),
    )
}

impl Cache {
    /// A cache rooted at `root`; the directory is created on the first write.
    pub fn new(root: impl Into<PathBuf>) -> Cache {
        Cache { root: root.into() }
    }

    /// The cache directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn meta_path(&self, url: &str) -> PathBuf {
        self.root.join(meta_file(url))
    }

    /// The cache directory's files, listed once (empty when there is no directory yet).
    pub fn listing(&self) -> Result<Listing, CacheError> {
        Listing::read(&self.root)
    }

    /// Starts a [`Batch`] of concurrent writes, committed together; hold the lock meanwhile.
    pub fn batch(&self) -> Result<Batch, CacheError> {
        Batch::start(self)
    }

    /// The metadata of `url`, if cached.
    pub fn meta(&self, url: &str) -> Result<Option<Meta>, CacheError> {
        read_meta(&self.meta_path(url))
    }

    /// The body and metadata of `url`, if cached and whole.
    ///
    /// A body whose hash no longer matches its metadata is treated as absent, so a damaged entry
    /// is fetched again rather than believed.
    pub fn get(&self, url: &str) -> Result<Option<Entry>, CacheError> {
        let Some(meta) = self.meta(url)? else {
            return Ok(None);
        };
        let Some(body) = self.read_body(&meta.body)? else {
            return Ok(None);
        };
        if sha256_hex(&body) != meta.sha256 {
            return Ok(None);
        }
        Ok(Some(Entry { meta, body }))
    }

    /// Reads the body file `name` of an entry; `None` when it is missing. Refuses a name that is
    /// not a plain file name, a symlink that leaves the cache, anything but a regular file, and a
    /// body over the `body_bytes` limit.
    fn read_body(&self, name: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let path = self.root.join(name);
        let refused = |reason: String| CacheError::Refused {
            path: path.clone(),
            reason,
        };
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err(refused(
                "the metadata names a body outside the cache directory".to_string(),
            ));
        }
        let limit = Limits::current().body_bytes;
        // Opened without following a symlink, so a body costs no stat of its own; a symlink
        // is followed only when it stays inside the cache.
        let read = match open_unfollowed(&path) {
            Ok(Some((opened, meta))) if meta.len() > limit => {
                drop(opened);
                Err(file::too_large("the file", limit, "body_bytes"))
            }
            Ok(Some((opened, _))) => file::read_bounded(opened, limit, "the file", "body_bytes"),
            Ok(None) => {
                let inside = match (fs::canonicalize(&path), fs::canonicalize(&self.root)) {
                    (Ok(target), Ok(root)) => target.starts_with(root),
                    _ => false,
                };
                if !inside {
                    return Err(refused(
                        "it is a symbolic link that leads out of the cache (or nowhere)".into(),
                    ));
                }
                file::read_regular(&path, limit, "body_bytes")
            }
            Err(e) => Err(e),
        };
        match read {
            Ok(body) => Ok(Some(body)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) if file::is_too_large(&e) || e.kind() == io::ErrorKind::InvalidInput => {
                Err(refused(e.to_string()))
            }
            Err(source) => Err(CacheError::Io {
                action: "read",
                path,
                source,
            }),
        }
    }

    /// Whether this process holds the cache's lock ([`Cache::lock`]), and so may write it.
    pub fn locked_here(&self) -> bool {
        lock::held_here(&self.root.join(LOCK_FILE))
    }

    /// Stores a body and its metadata atomically; `meta.sha256` and `meta.body` are set here.
    pub fn put(&self, mut meta: Meta, body: &[u8]) -> Result<Meta, CacheError> {
        self.create_root()?;
        let key = key(&meta.url);
        let old = self.meta(&meta.url).ok().flatten();
        meta.sha256 = sha256_hex(body);
        meta.body = body_file(&meta.url, &meta.sha256);
        let body_path = self.root.join(&meta.body);
        if !body_path.exists() {
            write_atomic(&body_path, body)?;
        }
        let json = serde_json::to_vec_pretty(&meta).map_err(|source| CacheError::Meta {
            path: self.meta_path(&meta.url),
            source,
        })?;
        write_atomic(&self.meta_path(&meta.url), &json)?;
        if let Some(old) =
            old.filter(|old| old.body != meta.body && batch::is_body_name(&old.body, &key))
        {
            let _ = fs::remove_file(self.root.join(old.body));
        }
        Ok(meta)
    }

    /// Updates only the metadata of a cached entry (for example its retrieved time after a 304).
    pub fn put_meta(&self, meta: &Meta) -> Result<(), CacheError> {
        let path = self.meta_path(&meta.url);
        let json = serde_json::to_vec_pretty(meta).map_err(|source| CacheError::Meta {
            path: path.clone(),
            source,
        })?;
        write_atomic(&path, &json)
    }

    fn state_path(&self, url: &str) -> PathBuf {
        self.root.join(state_file(url))
    }

    /// What refreshes learnt about `url`, if anything.
    pub fn state(&self, url: &str) -> Result<Option<SourceState>, CacheError> {
        read_state(&self.state_path(url))
    }

    /// Stores a source's state atomically; a state with nothing to say removes the file.
    pub fn put_state(&self, state: &SourceState) -> Result<(), CacheError> {
        let path = self.state_path(&state.url);
        if state.is_empty() {
            return match fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(source) => Err(CacheError::Io {
                    action: "remove",
                    path,
                    source,
                }),
            };
        }
        self.create_root()?;
        let json = serde_json::to_vec_pretty(state).map_err(|source| CacheError::State {
            path: path.clone(),
            source,
        })?;
        write_atomic(&path, &json)
    }

    /// Takes the cache's lock, so no other run writes it meanwhile; released when the guard is
    /// dropped (or the process dies). Fails at once with [`CacheError::Locked`] when held.
    pub fn lock(&self) -> Result<CacheLock, CacheError> {
        self.create_root()?;
        CacheLock::acquire(self.root.join(LOCK_FILE))
    }

    fn create_root(&self) -> Result<(), CacheError> {
        fs::create_dir_all(&self.root).map_err(|source| CacheError::Io {
            action: "create",
            path: self.root.clone(),
            source,
        })
    }

    /// Every readable entry's metadata, sorted by URL, and a problem for each metadata file that
    /// cannot be read (corrupt, refused, unreadable): one bad file does not hide the others.
    /// Fails only when the cache directory itself cannot be read.
    pub fn scan(&self) -> Result<(Vec<Meta>, Vec<Problem>), CacheError> {
        let mut metas = Vec::new();
        let mut problems = Vec::new();
        for path in self.files("json")? {
            match read_meta(&path) {
                Ok(Some(meta)) => metas.push(meta),
                Ok(None) => {}
                Err(e) => problems.push(Problem {
                    path,
                    url: None,
                    message: e.to_string(),
                    fatal: true,
                }),
            }
        }
        metas.sort_by(|a, b| a.url.cmp(&b.url));
        Ok((metas, problems))
    }

    /// Every entry's metadata, sorted by URL; the first unreadable metadata file is an error
    /// ([`Cache::scan`] reports them all).
    pub fn list(&self) -> Result<Vec<Meta>, CacheError> {
        let mut metas = Vec::new();
        for path in self.files("json")? {
            if let Some(meta) = read_meta(&path)? {
                metas.push(meta);
            }
        }
        metas.sort_by(|a, b| a.url.cmp(&b.url));
        Ok(metas)
    }

    /// Re-hashes every body and reports mismatches, missing bodies, misplaced entries and
    /// leftovers; an empty list means the cache is consistent.
    pub fn verify(&self) -> Result<Vec<Problem>, CacheError> {
        let mut problems = Vec::new();
        let mut referenced = std::collections::HashSet::new();
        for path in self.files("json")? {
            let meta = match read_meta(&path) {
                Ok(Some(meta)) => meta,
                Ok(None) => continue,
                Err(e) => {
                    problems.push(Problem {
                        path,
                        url: None,
                        message: e.to_string(),
                        fatal: true,
                    });
                    continue;
                }
            };
            let problem = |message: String| Problem {
                path: path.clone(),
                url: Some(meta.url.clone()),
                message,
                fatal: true,
            };
            if path.file_stem().and_then(|s| s.to_str()) != Some(key(&meta.url).as_str()) {
                problems.push(problem("file name does not match the URL's key".into()));
            }
            referenced.insert(meta.body.clone());
            for message in consistency::meta_problems(&meta) {
                problems.push(problem(message));
            }
            match self.read_body(&meta.body) {
                Ok(Some(body)) => {
                    let actual = sha256_hex(&body);
                    if actual != meta.sha256 {
                        problems.push(problem(format!(
                            "body {} has sha256 {actual}, metadata says {}",
                            meta.body, meta.sha256
                        )));
                    }
                    for message in consistency::body_problems(&meta, &body) {
                        problems.push(problem(message));
                    }
                }
                Ok(None) => problems.push(problem(format!("body {} is missing", meta.body))),
                Err(CacheError::Refused { reason, .. }) => {
                    problems.push(problem(format!("body {}: {reason}", meta.body)));
                }
                Err(e) => problems.push(problem(format!("cannot read body {}: {e}", meta.body))),
            }
        }
        for path in self.files(STATE_EXT)? {
            if let Err(e) = read_state(&path) {
                problems.push(Problem {
                    path,
                    url: None,
                    message: e.to_string(),
                    fatal: true,
                });
            }
        }
        for path in self.files("body")? {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !referenced.contains(name) {
                problems.push(Problem {
                    path: path.clone(),
                    url: None,
                    message: "orphaned body (left by an interrupted write; harmless)".into(),
                    fatal: false,
                });
            }
        }
        Ok(problems)
    }

    fn files(&self, ext: &str) -> Result<Vec<PathBuf>, CacheError> {
        let dir = match fs::read_dir(&self.root) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(CacheError::Io {
                    action: "read",
                    path: self.root.clone(),
                    source,
                });
            }
        };
        let mut out: Vec<PathBuf> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
            .collect();
        out.sort();
        Ok(out)
    }
}

/// Opens a regular file for reading without following a symlink (`Ok(None)` when `path` is
/// one) and without blocking on a FIFO; anything but a regular file is refused, as
/// [`file::open_regular`] does.
#[cfg(unix)]
fn open_unfollowed(path: &Path) -> io::Result<Option<(fs::File, fs::Metadata)>> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW;
    let opened = match fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
    {
        Ok(opened) => opened,
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let meta = opened.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", file::kind_of(&meta)),
        ));
    }
    Ok(Some((opened, meta)))
}

#[cfg(not(unix))]
fn open_unfollowed(path: &Path) -> io::Result<Option<(fs::File, fs::Metadata)>> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Ok(None);
    }
    file::open_regular(path).map(Some)
}

fn read_meta(path: &Path) -> Result<Option<Meta>, CacheError> {
    read_json(path, |path, source| CacheError::Meta { path, source })
}

fn read_state(path: &Path) -> Result<Option<SourceState>, CacheError> {
    read_json(path, |path, source| CacheError::State { path, source })
}

/// Reads a JSON file of the cache; `None` when it does not exist.
fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    invalid: impl FnOnce(PathBuf, serde_json::Error) -> CacheError,
) -> Result<Option<T>, CacheError> {
    let bytes = match file::read_regular(path, Limits::current().body_bytes, "body_bytes") {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if file::is_too_large(&e) || e.kind() == io::ErrorKind::InvalidInput => {
            return Err(CacheError::Refused {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
        Err(source) => {
            return Err(CacheError::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| invalid(path.to_path_buf(), source))
}

/// Writes a file atomically: a temp file in the same directory, flushed, then renamed. Only an
/// absent path or a regular file is replaced: a symlink, FIFO, device or directory is refused
/// ([`CacheError::Refused`]), so that `--output /dev/full` or a planted symlink cannot be
/// turned into a regular file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    if let Some(reason) = file::not_replaceable(path) {
        return Err(CacheError::Refused {
            path: path.to_path_buf(),
            reason,
        });
    }
    let dir = file::parent_dir(path);
    let tmp = batch::write_temp(dir, path, bytes, true)?;
    file::keep_permissions(&tmp, path).map_err(|source| CacheError::Io {
        action: "set the permissions of",
        path: path.to_path_buf(),
        source,
    })?;
    batch::persist(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0, 9, 10, 255]), "00090aff");
    }

    fn meta(url: &str) -> Meta {
        Meta {
            url: url.into(),
            final_url: url.into(),
            status: Some(200),
            content_type: Some("text/plain".into()),
            etag: Some("\"abc\"".into()),
            last_modified: None,
            retrieved: "2026-11-29T00:00:00Z".into(),
            sha256: String::new(),
            body: String::new(),
            main_sha256: None,
        }
    }

    #[test]
    fn put_get_list_verify() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("cache"));
        assert!(cache.get("https://a.example/x").expect("get").is_none());
        let stored = cache
            .put(meta("https://a.example/x"), b"hello")
            .expect("put");
        assert_eq!(stored.sha256, sha256_hex(b"hello"));
        let entry = cache.get("https://a.example/x").expect("get").expect("hit");
        assert_eq!(entry.body, b"hello");
        assert_eq!(entry.meta.etag.as_deref(), Some("\"abc\""));
        assert_eq!(cache.list().expect("list").len(), 1);
        assert!(cache.verify().expect("verify").is_empty());
    }

    #[test]
    fn replacing_removes_the_old_body() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        cache.put(meta("https://a.example/"), b"one").expect("put");
        cache.put(meta("https://a.example/"), b"two").expect("put");
        let bodies = cache.files("body").expect("files");
        assert_eq!(bodies.len(), 1);
        assert_eq!(
            cache
                .get("https://a.example/")
                .expect("get")
                .expect("hit")
                .body,
            b"two"
        );
    }

    #[test]
    fn verify_reports_a_tampered_body_and_get_ignores_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let stored = cache.put(meta("https://a.example/"), b"good").expect("put");
        fs::write(dir.path().join(&stored.body), b"evil").expect("tamper");
        let problems = cache.verify().expect("verify");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].fatal);
        assert!(problems[0].message.contains("metadata says"));
        assert!(cache.get("https://a.example/").expect("get").is_none());
    }

    #[test]
    fn source_state_round_trips_and_empty_state_is_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let url = "https://a.example/";
        assert_eq!(cache.state(url).expect("state"), None);
        let failure = FailureRecord {
            at: "2026-11-29T00:00:00Z".into(),
            reason: "HTTP 404 Not Found".into(),
        };
        let state = SourceState {
            url: url.into(),
            failures: vec![failure.clone()],
            last_failure: Some(failure),
            ..SourceState::default()
        };
        cache.put_state(&state).expect("put");
        assert_eq!(cache.state(url).expect("state"), Some(state));
        assert!(cache.verify().expect("verify").is_empty());
        cache
            .put_state(&SourceState {
                url: url.into(),
                ..SourceState::default()
            })
            .expect("clear");
        assert_eq!(cache.state(url).expect("state"), None);
    }

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("c"));
        let held = cache.lock().expect("first lock");
        let err = cache.lock().expect_err("second lock");
        assert!(matches!(err, CacheError::Locked { .. }), "{err:?}");
        drop(held);
        assert!(!dir.path().join("c").join(LOCK_FILE).exists());
        let _again = cache.lock().expect("lock after release");
    }

    #[cfg(unix)]
    #[test]
    fn bodies_that_are_devices_fifos_or_symlinks_out_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().join("c"));
        let url = "https://a.example/";
        let stored = cache.put(meta(url), b"good").expect("put");
        let body = dir.path().join("c").join(&stored.body);
        for target in ["/dev/zero", "/dev/urandom"] {
            fs::remove_file(&body).expect("rm");
            std::os::unix::fs::symlink(target, &body).expect("symlink");
            let err = cache.get(url).expect_err("refused");
            assert!(matches!(err, CacheError::Refused { .. }), "{err:?}");
            assert!(err.to_string().contains("leads out of the cache"), "{err}");
        }
        fs::remove_file(&body).expect("rm");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &body,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        let err = cache.get(url).expect_err("refused");
        assert!(err.to_string().contains("FIFO"), "{err}");
        let problems = cache.verify().expect("verify");
        assert!(
            problems.iter().any(|p| p.message.contains("FIFO")),
            "{problems:?}"
        );
        // A symlink that stays inside the cache is followed.
        fs::remove_file(&body).expect("rm");
        fs::write(dir.path().join("c").join("copy"), b"good").expect("write");
        std::os::unix::fs::symlink("copy", &body).expect("symlink");
        assert_eq!(cache.get(url).expect("get").expect("hit").body, b"good");
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_replaces_only_regular_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("out");
        write_atomic(&file, b"one").expect("absent");
        write_atomic(&file, b"two").expect("regular");
        assert_eq!(fs::read(&file).expect("read"), b"two");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        let err = write_atomic(&link, b"x").expect_err("symlink");
        assert!(err.to_string().contains("a symbolic link"), "{err}");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        assert!(write_atomic(&fifo, b"x").is_err());
        assert!(write_atomic(Path::new("/dev/null"), b"x").is_err());
        assert!(write_atomic(dir.path(), b"x").is_err());
        assert_eq!(fs::read(&file).expect("read"), b"two");
    }

    /// Regression: editing `content_type` made an `absent` check pass and verify said nothing.
    #[test]
    fn verify_checks_the_metadata_against_the_body() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path());
        let url = "https://a.example/";
        let mut m = meta(url);
        m.content_type = Some("text/html".into());
        let stored = cache.put(m, b"<p>GPL</p>").expect("put");
        assert!(cache.verify().expect("verify").is_empty());
        let json_path = dir.path().join(format!("{}.json", key(url)));
        let edit = |f: &dyn Fn(&mut Meta)| {
            let mut m = stored.clone();
            f(&mut m);
            fs::write(&json_path, serde_json::to_vec(&m).expect("json")).expect("write");
            cache.verify().expect("verify")
        };
        let p = edit(&|m| m.content_type = Some("application/pdf".into()));
        assert!(p.iter().any(|p| p.message.contains("not a PDF")), "{p:?}");
        let p = edit(&|m| m.content_type = Some("text/html; charset=utf-16".into()));
        assert!(p.iter().any(|p| p.message.contains("UTF-16")), "{p:?}");
        let p = edit(&|m| m.body = "../../etc/passwd".into());
        assert!(
            p.iter().any(|p| p.message.contains("body file name")),
            "{p:?}"
        );
        let p = edit(&|m| m.sha256 = "xyz".into());
        assert!(
            p.iter().any(|p| p.message.contains("not a SHA-256")),
            "{p:?}"
        );
    }

    #[test]
    fn keys_are_hashes_not_paths() {
        let k = key("https://example.com/../../etc/passwd");
        assert_eq!(k.len(), 32);
        assert!(k.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
