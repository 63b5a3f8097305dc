//! The redirect policy: a limit on hops, and the address guard on every hop's target.

use url::Url;

use super::guard::{self, BlockedAddress};

/// Why the redirect policy refuses a hop.
#[derive(Debug)]
pub(super) enum RedirectRefused {
    /// More hops than allowed.
    TooMany(TooManyRedirectsMarker),
    /// A non-public address.
    Blocked(BlockedAddress),
}

/// The redirect policy: `previous` URLs visited so far (the first request included), `next` the
/// redirect's target. Too many hops fail; so does a non-public IP literal unless allowed (a
/// host name is checked when its connection resolves it).
pub(super) fn check_redirect(
    previous: usize,
    next: &Url,
    max_redirects: usize,
    allow_private: bool,
) -> Result<(), RedirectRefused> {
    if previous > max_redirects {
        return Err(RedirectRefused::TooMany(TooManyRedirectsMarker));
    }
    if !allow_private {
        guard::check_url(next).map_err(RedirectRefused::Blocked)?;
    }
    Ok(())
}

/// The redirect policy's error for too many redirects (a redirect loop ends here too: each
/// hop is a request, and the limit stops it).
#[derive(Debug, thiserror::Error)]
#[error("too many redirects")]
pub(super) struct TooManyRedirectsMarker;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_are_limited_and_guarded() {
        let url = |u: &str| Url::parse(u).expect("url");
        let public = url("https://example.com/next");
        assert!(check_redirect(1, &public, 10, false).is_ok());
        assert!(check_redirect(10, &public, 10, false).is_ok());
        assert!(matches!(
            check_redirect(11, &public, 10, false),
            Err(RedirectRefused::TooMany(_))
        ));
        let metadata = url("http://169.254.169.254/latest/meta-data/");
        match check_redirect(1, &metadata, 10, false) {
            Err(RedirectRefused::Blocked(b)) => {
                assert_eq!(b.to_string(), "169.254.169.254 is a link-local address");
            }
            other => panic!("{other:?}"),
        }
        assert!(check_redirect(1, &metadata, 10, true).is_ok());
        assert!(check_redirect(1, &url("http://[::1]:8080/"), 10, false).is_err());
    }
}
