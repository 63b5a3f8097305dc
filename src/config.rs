//! `factcheck.toml`: project defaults for the command line and the test harness.
//!
//! ```toml
//! cache = ".factcheck/cache"          # the cache directory
//! archives = ["captures/sources.warc.gz"]  # WARC files read before the network
//! assertions = ["assertions"]         # what `factcheck check` reads with no PATH
//! offline = false                     # never use the network
//! allow_private_addresses = false     # allow loopback/private/link-local/multicast hosts
//! wayback_url = "https://archive.org" # the Wayback Machine's base URL ("" to never ask it)
//!
//! [http]
//! timeout_secs = 30
//! connect_timeout_secs = 10
//! body_limit = 20971520               # bytes
//! per_host = 2                        # requests in flight per host
//! per_host_delay_ms = 500             # least time between request starts per host
//! global_limit = 32                   # requests in flight overall
//! max_redirects = 10
//! retries = 2                         # after timeouts, connection errors, 5xx, 429
//! retry_base_ms = 1000                # first backoff, doubled each retry, with jitter
//! retry_after_cap_secs = 60           # longest wait, Retry-After included
//!
//! [review]                            # `check --format claimreview` (FORMAT.md v1.2)
//! author = "Example Fact Check"       # the organisation publishing the reviews
//! url = "https://factcheck.example.org/reviews/deepseek-r1"  # the page holding them
//! author_url = "https://factcheck.example.org/"  # default: the origin of `url`
//! date = 2026-11-29                   # datePublished; default: the run's date (UTC)
//! ```
//!
//! Relative paths are relative to the directory holding `factcheck.toml`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::source::SourceOptions;
use crate::source::cache::DEFAULT_CACHE_DIR;
use crate::source::http::DEFAULT_WAYBACK_URL;
use crate::source::http::HttpOptions;

/// The configuration file's name.
pub const CONFIG_FILE: &str = "factcheck.toml";
/// The default directory of assertion files.
pub const DEFAULT_ASSERTIONS_DIR: &str = "assertions";

/// Errors reading `factcheck.toml`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("invalid {}:\n{message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

/// The settings of `factcheck.toml`, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The cache directory.
    pub cache: Option<PathBuf>,
    /// WARC files.
    #[serde(default)]
    pub archives: Vec<PathBuf>,
    /// Default assertion paths.
    #[serde(default)]
    pub assertions: Vec<PathBuf>,
    /// Never use the network.
    #[serde(default)]
    pub offline: bool,
    /// Allow requests to loopback, private, link-local and multicast addresses.
    #[serde(default)]
    pub allow_private_addresses: bool,
    /// The Wayback Machine's base URL; empty to never ask it.
    pub wayback_url: Option<String>,
    /// HTTP settings.
    #[serde(default)]
    pub http: HttpConfig,
    /// Limits on untrusted input (`[limits]`).
    #[serde(default)]
    pub limits: crate::limits::Limits,
    /// Who publishes the ClaimReview output, and where (`[review]`).
    #[serde(default)]
    pub review: ReviewConfig,
    /// The directory of the file; relative paths are resolved against it.
    #[serde(skip)]
    pub root: PathBuf,
}

/// The `[http]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Total timeout per request, in seconds.
    pub timeout_secs: Option<u64>,
    /// Connect timeout, in seconds.
    pub connect_timeout_secs: Option<u64>,
    /// Largest body read, in bytes.
    pub body_limit: Option<u64>,
    /// Concurrent requests per host.
    pub per_host: Option<usize>,
    /// Redirects followed.
    pub max_redirects: Option<usize>,
    /// Least time between request starts to one host, in milliseconds.
    pub per_host_delay_ms: Option<u64>,
    /// Concurrent requests overall.
    pub global_limit: Option<usize>,
    /// Retries after a retryable failure.
    pub retries: Option<u32>,
    /// The first backoff, in milliseconds.
    pub retry_base_ms: Option<u64>,
    /// The longest wait before a retry, in seconds.
    pub retry_after_cap_secs: Option<u64>,
}

/// The `[review]` table: the publisher of `check --format claimreview`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// The organisation publishing the reviews (ClaimReview's `author.name`).
    pub author: Option<String>,
    /// The page that publishes the reviews; each review's `url` is this page with the claim's
    /// `#<file-stem>-<claim-id>` fragment.
    pub url: Option<String>,
    /// The organisation's site (`author.url`); default: the origin of `url`.
    pub author_url: Option<String>,
    /// The reviews' `datePublished`; default: the run's date (UTC, or `FACTCHECK_TODAY`).
    pub date: Option<toml::value::Datetime>,
}

impl Config {
    /// Finds `factcheck.toml` in `dir` or its ancestors; the defaults when there is none.
    pub fn discover(dir: &Path) -> Result<Config, ConfigError> {
        for d in dir.ancestors() {
            let path = d.join(CONFIG_FILE);
            if path.is_file() {
                return Config::load(&path);
            }
        }
        Ok(Config {
            root: dir.to_path_buf(),
            ..Config::default()
        })
    }

    /// Reads one configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        config.root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(config)
    }

    /// A path from the file, resolved against its directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() || self.root.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        }
    }

    /// The cache directory.
    pub fn cache_dir(&self) -> PathBuf {
        self.resolve(
            self.cache
                .as_deref()
                .unwrap_or(Path::new(DEFAULT_CACHE_DIR)),
        )
    }

    /// The archives that exist, and the ones listed but missing (reported as warnings).
    pub fn archives(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        self.archives
            .iter()
            .map(|p| self.resolve(p))
            .partition(|p| p.is_file())
    }

    /// The default assertion paths.
    pub fn assertion_paths(&self) -> Vec<PathBuf> {
        if self.assertions.is_empty() {
            vec![self.resolve(Path::new(DEFAULT_ASSERTIONS_DIR))]
        } else {
            self.assertions.iter().map(|p| self.resolve(p)).collect()
        }
    }

    /// The HTTP options, defaults filled in.
    pub fn http_options(&self) -> HttpOptions {
        let mut o = HttpOptions::default();
        let h = &self.http;
        if let Some(s) = h.timeout_secs {
            o.timeout = Duration::from_secs(s);
        }
        if let Some(s) = h.connect_timeout_secs {
            o.connect_timeout = Duration::from_secs(s);
        }
        if let Some(b) = h.body_limit {
            o.body_limit = b;
        }
        if let Some(n) = h.per_host {
            o.per_host = n.max(1);
        }
        if let Some(n) = h.max_redirects {
            o.max_redirects = n;
        }
        if let Some(ms) = h.per_host_delay_ms {
            o.per_host_delay = Duration::from_millis(ms);
        }
        if let Some(n) = h.global_limit {
            o.global_limit = n.max(1);
        }
        if let Some(n) = h.retries {
            o.retries = n;
        }
        if let Some(ms) = h.retry_base_ms {
            o.retry_base = Duration::from_millis(ms);
        }
        if let Some(s) = h.retry_after_cap_secs {
            o.retry_after_cap = Duration::from_secs(s);
        }
        o.allow_private = self.allow_private_addresses;
        o
    }

    /// The Wayback Machine's base URL, or `None` when disabled with `wayback_url = ""`.
    pub fn wayback_url(&self) -> Option<String> {
        match &self.wayback_url {
            Some(url) if url.trim().is_empty() => None,
            Some(url) => Some(url.clone()),
            None => Some(DEFAULT_WAYBACK_URL.to_string()),
        }
    }

    /// Source options from this file (the command line may override them).
    pub fn source_options(&self) -> SourceOptions {
        SourceOptions {
            cache_dir: self.cache_dir(),
            archives: self.archives().0,
            offline: self.offline,
            http: self.http_options(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_against_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "cache = \"c\"\narchives = [\"a.warc\", \"missing.warc\"]\n\
             allow_private_addresses = true\nwayback_url = \"\"\n\
             [http]\nper_host = 3\nper_host_delay_ms = 20\nretries = 0\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("a.warc"), "").expect("write");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        let config = Config::discover(&dir.path().join("sub")).expect("config");
        assert_eq!(config.cache_dir(), dir.path().join("c"));
        let (present, missing) = config.archives();
        assert_eq!(present, vec![dir.path().join("a.warc")]);
        assert_eq!(missing, vec![dir.path().join("missing.warc")]);
        let http = config.http_options();
        assert_eq!(http.per_host, 3);
        assert_eq!(http.per_host_delay, Duration::from_millis(20));
        assert_eq!(http.retries, 0);
        assert!(http.allow_private);
        assert_eq!(config.wayback_url(), None);
        let defaults = Config::default();
        assert!(!defaults.http_options().allow_private);
        assert_eq!(defaults.wayback_url().as_deref(), Some(DEFAULT_WAYBACK_URL));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "cahce = \"c\"\n").expect("write");
        let err = Config::load(&path).expect_err("invalid");
        assert!(err.to_string().contains("cahce"), "{err}");
    }
}
