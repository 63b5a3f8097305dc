//! The address guard: by default no request goes to a loopback, private, link-local, multicast
//! or otherwise non-public address, so a refresh run in CI cannot be tricked (by an assertion
//! file, a DNS answer or a redirect) into reading a cloud metadata endpoint or an intranet page
//! into its logs.
//!
//! The guard checks twice: [`GuardedResolver`] drops non-public addresses from every DNS answer
//! (so it holds for every connection, redirects included), and [`check_url`] refuses URLs whose
//! host is an IP literal (which bypass DNS), before the first request and on every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// A request refused because its host is, or resolves only to, a non-public address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", blocked_message(self))]
pub struct BlockedAddress {
    /// The host as written in the URL.
    pub host: String,
    /// The refused address.
    pub addr: IpAddr,
    /// What kind of address it is ("a loopback", "a private", ...).
    pub kind: &'static str,
}

fn blocked_message(b: &BlockedAddress) -> String {
    let addr = b.addr.to_string();
    if b.host.trim_matches(['[', ']']) == addr {
        format!("{addr} is {} address", b.kind)
    } else {
        format!("{} resolves to {} address {addr}", b.host, b.kind)
    }
}

/// Why `ip` may not be contacted by default ("a loopback", "a private", ...), or `None` for a
/// public address.
pub fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_kind(v4),
            None => v6_kind(v6),
        },
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback")
    } else if ip.is_private() {
        Some("a private")
    } else if ip.is_link_local() {
        Some("a link-local")
    } else if ip.is_multicast() {
        Some("a multicast")
    } else if ip.is_unspecified() || a == 0 {
        Some("an unspecified")
    } else if ip.is_broadcast() {
        Some("a broadcast")
    } else if a == 100 && (64..128).contains(&b) {
        // 100.64.0.0/10, carrier-grade NAT: private in practice.
        Some("a shared (CGNAT)")
    } else if a >= 240 {
        Some("a reserved")
    } else {
        None
    }
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("a loopback")
    } else if ip.is_unspecified() {
        Some("an unspecified")
    } else if ip.is_multicast() {
        Some("a multicast")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a private (unique local)")
    } else if first & 0xffc0 == 0xfec0 {
        Some("a site-local")
    } else {
        None
    }
}

/// Refuses a URL whose host is a non-public IP literal; host names are checked after DNS
/// resolution by [`GuardedResolver`].
pub fn check_url(url: &Url) -> Result<(), BlockedAddress> {
    let ip = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    match non_public_kind(ip) {
        Some(kind) => Err(BlockedAddress {
            host: url.host_str().unwrap_or_default().to_string(),
            addr: ip,
            kind,
        }),
        None => Ok(()),
    }
}

/// Keeps only the public addresses of a DNS answer; fails when none is left.
pub fn filter_addrs(
    host: &str,
    addrs: impl IntoIterator<Item = SocketAddr>,
) -> Result<Vec<SocketAddr>, BlockedAddress> {
    let mut public = Vec::new();
    let mut refused = None;
    for addr in addrs {
        match non_public_kind(addr.ip()) {
            None => public.push(addr),
            Some(kind) => {
                refused.get_or_insert(BlockedAddress {
                    host: host.to_string(),
                    addr: addr.ip(),
                    kind,
                });
            }
        }
    }
    match refused {
        Some(blocked) if public.is_empty() => Err(blocked),
        _ => Ok(public),
    }
}

/// A DNS resolver (the system's, through tokio) that drops non-public addresses.
#[derive(Debug, Clone, Copy, Default)]
pub struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let public = filter_addrs(&host, addrs)?;
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<&'static str> {
        non_public_kind(ip.parse().expect("ip"))
    }

    #[test]
    fn non_public_ranges_are_named() {
        assert_eq!(kind("127.0.0.1"), Some("a loopback"));
        assert_eq!(kind("10.1.2.3"), Some("a private"));
        assert_eq!(kind("172.16.0.1"), Some("a private"));
        assert_eq!(kind("192.168.1.1"), Some("a private"));
        assert_eq!(kind("169.254.169.254"), Some("a link-local"));
        assert_eq!(kind("224.0.0.1"), Some("a multicast"));
        assert_eq!(kind("0.0.0.0"), Some("an unspecified"));
        assert_eq!(kind("100.64.0.1"), Some("a shared (CGNAT)"));
        assert_eq!(kind("::1"), Some("a loopback"));
        assert_eq!(kind("fe80::1"), Some("a link-local"));
        assert_eq!(kind("fd00::1"), Some("a private (unique local)"));
        assert_eq!(kind("ff02::1"), Some("a multicast"));
        assert_eq!(kind("::ffff:127.0.0.1"), Some("a loopback"));
        assert_eq!(kind("::ffff:169.254.169.254"), Some("a link-local"));
        assert_eq!(kind("93.184.216.34"), None);
        assert_eq!(kind("172.32.0.1"), None);
        assert_eq!(kind("2606:4700::1111"), None);
    }

    #[test]
    fn ip_literals_are_checked_in_every_spelling() {
        let blocked = |u: &str| check_url(&Url::parse(u).expect("url")).is_err();
        assert!(blocked("http://127.0.0.1:8080/x"));
        assert!(blocked("http://169.254.169.254/latest/meta-data/"));
        assert!(blocked("http://[::1]/"));
        // WHATWG parsing turns these into 127.0.0.1.
        assert!(blocked("http://2130706433/"));
        assert!(blocked("http://0x7f.1/"));
        assert!(!blocked("https://example.com/"));
        assert!(!blocked("http://93.184.216.34/"));
    }

    #[test]
    fn dns_answers_keep_only_public_addresses() {
        let a = |s: &str| -> SocketAddr { s.parse().expect("addr") };
        let kept = filter_addrs("mixed.example", [a("10.0.0.1:0"), a("93.184.216.34:0")])
            .expect("one public");
        assert_eq!(kept, [a("93.184.216.34:0")]);
        let err = filter_addrs("metadata.example", [a("169.254.169.254:0")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "metadata.example resolves to a link-local address 169.254.169.254"
        );
    }
}
