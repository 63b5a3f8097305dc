//! A page of `../shared/extraction` as a WARC record: read and gunzipped at test time, never
//! copied into the project.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;

use factcheck::source::warc::ArchivedPage;

/// The `.html.gz` page at `path` as a 200 `text/html` response from `url`.
pub fn archived(path: &Path, url: impl Into<String>) -> Result<ArchivedPage, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut body)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(ArchivedPage::http(
        url.into(),
        None,
        200,
        Some("text/html".into()),
        None,
        None,
        body,
    ))
}
