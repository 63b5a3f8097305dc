//! Shards of a run across machines: `--partition hash:K/N` keeps the items whose key hashes to
//! shard `K` of `N` (1-based), like `cargo nextest --partition`.
//!
//! The hash is the first eight bytes of the key's SHA-256, so a key lands in the same shard on
//! every machine, platform and version. `check` keys a claim by its first source's URL (a page's
//! claims stay together and each page is parsed on one machine); `refresh` keys a source by its
//! host, so per-host politeness holds across shards.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    index: u64,
    count: u64,
}

impl Partition {
    /// Shard `index` (1-based) of `count`; `None` unless `1 ≤ index ≤ count`.
    pub fn new(index: u64, count: u64) -> Option<Partition> {
        (index >= 1 && index <= count).then_some(Partition { index, count })
    }

    /// The shard's number, 1-based.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// How many shards there are.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether an item with this key belongs to this shard.
    pub fn selects(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }
}

/// The shard (1-based) of `key` among `count`.
pub fn shard_of(key: &str, count: u64) -> u64 {
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1) + 1
}

/// Why a `--partition` value is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a partition: write hash:K/N, with 1 ≤ K ≤ N (e.g. hash:1/4)")]
pub struct PartitionError(String);

impl FromStr for Partition {
    type Err = PartitionError;

    fn from_str(s: &str) -> Result<Partition, PartitionError> {
        let err = || PartitionError(s.to_string());
        let rest = s.trim().strip_prefix("hash:").ok_or_else(err)?;
        let (k, n) = rest.split_once('/').ok_or_else(err)?;
        let k: u64 = k.trim().parse().map_err(|_| err())?;
        let n: u64 = n.trim().parse().map_err(|_| err())?;
        Partition::new(k, n).ok_or_else(err)
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hash:{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shard of `example.com` among 1000: SHA-256 prefix mod 1000, plus one.
    const PINNED: u64 = 310;

    #[test]
    fn parses_and_prints() {
        let p: Partition = "hash:2/3".parse().expect("valid");
        assert_eq!((p.index(), p.count()), (2, 3));
        assert_eq!(p.to_string(), "hash:2/3");
        for bad in [
            "2/3",
            "hash:0/3",
            "hash:4/3",
            "hash:1/0",
            "hash:a/b",
            "count:1/2",
        ] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_lands_in_exactly_one_shard() {
        let shards: Vec<Partition> = (1..=4).map(|k| Partition::new(k, 4).unwrap()).collect();
        let mut sizes = [0usize; 4];
        for i in 0..1000 {
            let key = format!("https://host{i}.example/page");
            let hits: Vec<usize> = (0..4).filter(|&s| shards[s].selects(&key)).collect();
            assert_eq!(hits.len(), 1, "{key}");
            sizes[hits[0]] += 1;
        }
        // Roughly even: no shard is empty or holds more than half.
        assert!(sizes.iter().all(|&n| n > 150 && n < 500), "{sizes:?}");
    }

    #[test]
    fn the_hash_is_stable() {
        // Shards must agree across machines and versions: pin one value.
        assert_eq!(shard_of("example.com", 1000), PINNED);
        assert_eq!(shard_of("anything", 1), 1);
    }
}
