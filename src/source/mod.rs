//! Obtaining the bytes of a source: from the cache, then the WARC archives, then the network.
//!
//! [`Sources`] is the policy; [`cache`], [`warc`] and [`http`] are the three places bytes come
//! from. Whatever the place, the result is a [`Snapshot`]: the body and its metadata.

pub mod cache;
pub mod file;
pub mod http;
pub mod warc;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::sync::lock;
use cache::{Cache, CacheError, Meta};
#[cfg(feature = "network")]
use http::{FetchError, Fetcher};
use http::{Fetched, HttpOptions};
use warc::{ArchivedPage, WarcArchive, WarcError};

/// Where a snapshot came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The cache directory.
    Cache,
    /// A WARC file.
    Archive(PathBuf),
    /// The network, during this run (and now in the cache).
    Network,
    /// Bytes given directly: a local file, or a page built by a test.
    Local,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Cache => f.write_str("cache"),
            Origin::Archive(path) => write!(f, "archive {}", path.display()),
            Origin::Network => f.write_str("network"),
            Origin::Local => f.write_str("local"),
        }
    }
}

/// The bytes of one source and what is known about them.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// URL, status, content type, hash, retrieved time.
    pub meta: Meta,
    /// The body.
    pub body: Vec<u8>,
    /// Where it came from.
    pub origin: Origin,
}

impl Snapshot {
    /// Bytes that came from none of the sources' places (a local file, a page built by a test):
    /// `url` names them and `content_type`, when known, helps tell their format.
    pub fn local(url: impl Into<String>, content_type: Option<&str>, body: Vec<u8>) -> Snapshot {
        let url = url.into();
        Snapshot {
            meta: Meta {
                final_url: url.clone(),
                url,
                content_type: content_type.map(str::to_string),
                sha256: cache::sha256_hex(&body),
                ..Meta::default()
            },
            body,
            origin: Origin::Local,
        }
    }
}

/// Errors that stop factcheck itself (as opposed to a source being unavailable).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The cache failed.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// A WARC file could not be opened or read.
    #[error(transparent)]
    Warc(#[from] WarcError),
    /// The HTTP client could not be built.
    #[cfg(feature = "network")]
    #[error("cannot set up the HTTP client")]
    Client(#[source] FetchError),
}

/// Why a source could not be obtained.
#[derive(Debug)]
#[non_exhaustive]
pub enum Obtain {
    /// The source is unavailable; the reason is shown to the user.
    Unavailable(String),
    /// factcheck itself failed.
    Failed(SourceError),
}

impl From<SourceError> for Obtain {
    fn from(e: SourceError) -> Obtain {
        Obtain::Failed(e)
    }
}

/// Where sources may come from.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// The cache directory.
    pub cache_dir: PathBuf,
    /// WARC files to read, in order of preference.
    pub archives: Vec<PathBuf>,
    /// Never use the network.
    pub offline: bool,
    /// HTTP settings.
    pub http: HttpOptions,
}

impl Default for SourceOptions {
    fn default() -> SourceOptions {
        SourceOptions {
            cache_dir: PathBuf::from(cache::DEFAULT_CACHE_DIR),
            archives: Vec::new(),
            offline: false,
            http: HttpOptions::default(),
        }
    }
}

/// The policy that picks among cache, archives and network.
pub struct Sources {
    cache: Cache,
    archives: Vec<WarcArchive>,
    /// The client, unless offline.
    #[cfg(feature = "network")]
    fetcher: Option<Fetcher>,
    /// Offline by choice (not only for want of the `network` feature).
    #[cfg_attr(feature = "network", allow(dead_code))]
    offline: bool,
    /// Fetch failures of this run, so a URL is tried once.
    failures: Mutex<HashMap<String, String>>,
    /// URLs fetched during this run (read back from the cache, but reported as `network`).
    fetched: Mutex<HashSet<String>>,
}

impl Sources {
    /// Opens the cache and every archive (an archive that cannot be read is an error).
    pub fn open(opts: &SourceOptions) -> Result<Sources, SourceError> {
        let archives = opts
            .archives
            .iter()
            .map(|path| WarcArchive::open(path))
            .collect::<Result<Vec<_>, _>>()?;
        #[cfg(feature = "network")]
        let fetcher = if opts.offline {
            None
        } else {
            Some(Fetcher::new(opts.http.clone()).map_err(SourceError::Client)?)
        };
        Ok(Sources {
            cache: Cache::new(&opts.cache_dir),
            archives,
            #[cfg(feature = "network")]
            fetcher,
            offline: opts.offline,
            failures: Mutex::new(HashMap::new()),
            fetched: Mutex::new(HashSet::new()),
        })
    }

    /// The cache.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The archives, as opened.
    pub fn archives(&self) -> &[WarcArchive] {
        &self.archives
    }

    /// The capture of `url` in the first archive holding one. A record that cannot be read
    /// (malformed, over a limit, failing its digest) makes the source unavailable; only a file
    /// that cannot be read at all stops the run.
    fn archived(&self, url: &str) -> Result<Option<Snapshot>, Obtain> {
        for archive in &self.archives {
            match archive.get(url) {
                Ok(Some(page)) => return Ok(Some(snapshot_from_archive(page, archive.path()))),
                Ok(None) => {}
                Err(e @ WarcError::Io { .. }) => return Err(SourceError::from(e).into()),
                Err(e) => return Err(Obtain::Unavailable(error_chain(&e))),
            }
        }
        Ok(None)
    }

    fn held(&self, url: &str) -> Result<Option<Snapshot>, Obtain> {
        let entry = match self.cache.get(url) {
            Ok(entry) => entry,
            Err(e @ CacheError::Refused { .. }) => {
                return Err(Obtain::Unavailable(error_chain(&e)));
            }
            Err(e) => return Err(SourceError::from(e).into()),
        };
        if let Some(entry) = entry {
            let fetched = lock(&self.fetched).contains(url);
            return Ok(Some(Snapshot {
                meta: entry.meta,
                body: entry.body,
                origin: if fetched {
                    Origin::Network
                } else {
                    Origin::Cache
                },
            }));
        }
        self.archived(url)
    }

    /// Fetches, concurrently, every URL that is neither cached nor archived, and stores what
    /// arrives in the cache. Does nothing offline, nor without the `network` feature.
    #[cfg(not(feature = "network"))]
    pub fn prefetch(&self, _urls: &[String]) -> Result<(), SourceError> {
        Ok(())
    }

    /// Fetches, concurrently, every URL that is neither cached nor archived, and stores what
    /// arrives in the cache. Does nothing offline, nor without the `network` feature.
    #[cfg(feature = "network")]
    pub fn prefetch(&self, urls: &[String]) -> Result<(), SourceError> {
        let Some(fetcher) = &self.fetcher else {
            return Ok(());
        };
        let mut missing = Vec::new();
        for url in urls {
            if self.cache.meta(url)?.is_none() && !self.archives.iter().any(|a| a.contains(url)) {
                missing.push(url.clone());
            }
        }
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        // Writing the cache: one run at a time (a refresh may be running).
        let _lock = self.cache.lock()?;
        let results = fetcher.fetch_all(&missing);
        for (url, result) in missing.iter().zip(results) {
            // A failure is remembered, and reported when a claim asks for the page.
            let _ = self.store(url, result)?;
        }
        Ok(())
    }

    #[cfg(feature = "network")]
    fn store(
        &self,
        url: &str,
        result: Result<Fetched, FetchError>,
    ) -> Result<Result<Snapshot, String>, SourceError> {
        match result {
            Ok(fetched) => {
                let (meta, body) = fetched_meta(url, fetched, now_rfc3339());
                let meta = self.cache.put(meta, &body)?;
                lock(&self.fetched).insert(url.to_string());
                Ok(Ok(Snapshot {
                    meta,
                    body,
                    origin: Origin::Network,
                }))
            }
            Err(e) => {
                let reason = e.reason();
                lock(&self.failures).insert(url.to_string(), reason.clone());
                Ok(Err(reason))
            }
        }
    }

    /// The snapshot of `url`: from the cache, else an archive, else the network (unless
    /// offline). A source that cannot be had is [`Obtain::Unavailable`] with the reason.
    pub fn get(&self, url: &str) -> Result<Snapshot, Obtain> {
        if let Some(snapshot) = self.held(url)? {
            return Ok(snapshot);
        }
        let failed = lock(&self.failures).get(url).cloned();
        if let Some(reason) = failed {
            return Err(Obtain::Unavailable(reason));
        }
        self.fetch(url)
    }

    /// Without the `network` feature nothing is fetched.
    #[cfg(not(feature = "network"))]
    fn fetch(&self, _url: &str) -> Result<Snapshot, Obtain> {
        Err(Obtain::Unavailable(if self.offline {
            OFFLINE.to_string()
        } else {
            format!(
                "{OFFLINE} (this build of factcheck cannot fetch: it was built without the `network` feature)"
            )
        }))
    }

    /// Fetches `url` (unless offline) and stores it in the cache.
    #[cfg(feature = "network")]
    fn fetch(&self, url: &str) -> Result<Snapshot, Obtain> {
        let Some(fetcher) = &self.fetcher else {
            return Err(Obtain::Unavailable(OFFLINE.to_string()));
        };
        let _lock = self.cache.lock().map_err(SourceError::from)?;
        let Some(result) = fetcher.fetch_all(&[url.to_string()]).into_iter().next() else {
            return Err(Obtain::Unavailable("the fetch gave no result".to_string()));
        };
        self.store(url, result)?.map_err(Obtain::Unavailable)
    }
}

/// Why a source that is neither cached nor archived is unavailable offline.
const OFFLINE: &str = "offline, and the source is neither cached nor archived";

/// An error and its causes on one line, each cause once: "cannot read the PDF: unexpected end
/// of file". The reason of an unavailable source, and what the command line prints.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let msg = c.to_string();
        if !s.contains(&msg) {
            s.push_str(": ");
            s.push_str(&msg);
        }
        cause = c.source();
    }
    s
}

/// The cache metadata of a fetched page, and its body (hash and body file are set when stored).
pub fn fetched_meta(url: &str, fetched: Fetched, retrieved: String) -> (Meta, Vec<u8>) {
    let meta = Meta {
        url: url.to_string(),
        final_url: fetched.final_url,
        status: Some(fetched.status),
        content_type: fetched.content_type,
        etag: fetched.etag,
        last_modified: fetched.last_modified,
        retrieved,
        ..Meta::default()
    };
    (meta, fetched.body)
}

/// A snapshot of an archived page.
pub fn snapshot_from_archive(page: ArchivedPage, archive: &Path) -> Snapshot {
    let meta = Meta {
        final_url: page.url.clone(),
        status: page.status,
        content_type: page.content_type.clone(),
        etag: page.header("etag").map(str::to_string),
        last_modified: page.header("last-modified").map(str::to_string),
        retrieved: page.date.clone().unwrap_or_default(),
        sha256: page.sha256.unwrap_or_else(|| cache::sha256_hex(&page.body)),
        body: String::new(),
        url: page.url,
        main_sha256: None,
    };
    Snapshot {
        meta,
        body: page.body,
        origin: Origin::Archive(archive.to_path_buf()),
    }
}

/// The current time, RFC 3339 in UTC to the second.
pub fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}
