//! Reading local files that may be hostile: only regular files, never more than a limit, and
//! decompression that stops at a limit too.
//!
//! A path can name a FIFO (reading blocks for ever), a device (`/dev/zero` never ends), a
//! directory, or a symlink to any of these. [`read_regular`] opens without blocking, checks what
//! was opened (not what the path named a moment before) and reads at most the limit;
//! [`read_bounded`] does the same for any reader, such as a decompressor.

use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::Path;

/// What a file is, for messages: "a directory", "a FIFO", "a character device"...
pub fn kind_of(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_file() {
        return "a regular file";
    }
    if ft.is_dir() {
        return "a directory";
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Why `path` cannot be read as a regular file ("it does not exist", "it is a directory"), or
/// `None` when it is one (symlinks followed).
pub fn unusable(path: &Path) -> Option<String> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => None,
        Ok(meta) => Some(format!("it is {}, not a regular file", kind_of(&meta))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Some("it does not exist".to_string()),
        Err(e) => Some(e.to_string()),
    }
}

/// `n` bytes for people: "20 MiB", "512 KiB", "300 bytes".
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size {
            return if n % size == 0 {
                format!("{} {unit}", n / size)
            } else {
                format!("{:.1} {unit}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} bytes")
}

/// The error of a read that went past `limit` bytes; `setting` names the limit
/// (`"body_bytes"`), so the message tells which `[limits]` key to raise.
pub fn too_large(what: &str, limit: u64, setting: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "{what} is larger than the limit of {} (`{setting}`)",
            human_bytes(limit)
        ),
    )
}

/// Whether `e` is a limit error made by [`too_large`].
pub fn is_too_large(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::FileTooLarge
}

/// Reads all of `reader`, failing with [`too_large`] once it yields more than `limit` bytes.
/// Memory stays within the limit (plus one read buffer) however much the reader could give.
pub fn read_bounded(
    reader: impl Read,
    limit: u64,
    what: &str,
    setting: &str,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(too_large(what, limit, setting));
    }
    Ok(out)
}

/// Opens `path` for reading without blocking on a FIFO, and fails unless what was opened is a
/// regular file (symlinks are followed; see [`Metadata`] of the opened file, not of the path).
pub fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever. It has no
        // effect on regular files, the only ones read.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", kind_of(&meta)),
        ));
    }
    Ok((file, meta))
}

/// Reads the regular file at `path`, at most `limit` bytes (`setting` names the limit for the
/// message). A FIFO, device, directory or socket is refused without reading it.
pub fn read_regular(path: &Path, limit: u64, setting: &str) -> io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(too_large("the file", limit, setting));
    }
    read_bounded(file, limit, "the file", setting)
}

/// A file written in full beside its destination and put in its place only when complete and
/// synced, so a reader never sees half of it and a failure leaves the old one. Only an absent
/// path or a regular file is replaced: a symlink, FIFO, device or directory is refused, so that
/// `--output /dev/full` or a planted symlink cannot be turned into a regular file.
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

/// Why a new file may not replace `path`: it is a symlink, FIFO, device or directory (only an
/// absent path or a regular file is replaced, so that `--output /dev/full` or a planted symlink
/// cannot be turned into a regular file). `None` when it may.
pub fn not_replaceable(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    (!meta.file_type().is_file())
        .then(|| format!("it is {}; only a regular file is replaced", kind_of(&meta)))
}

/// The directory a file at `path` goes in: its parent, or `.` for a bare name.
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Gives a temp file that is about to replace `path` the permissions a file there should have:
/// those of the file it replaces, else `0644` (a temp file is created `0600`, which would make
/// a report or an edited assertion file unreadable to the rest of a team).
pub fn keep_permissions(tmp: &Path, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        fs::set_permissions(tmp, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (tmp, path);
        Ok(())
    }
}

impl AtomicFile {
    /// Starts the file that will replace `path`.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        if let Some(reason) = not_replaceable(path) {
            return Err(io::Error::other(reason));
        }
        let dir = parent_dir(path);
        if !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("the directory {} does not exist", dir.display()),
            ));
        }
        let tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Syncs the file and puts it in place.
    pub fn commit(mut self) -> io::Result<()> {
        self.tmp.flush()?;
        keep_permissions(self.tmp.path(), &self.path)?;
        self.tmp.as_file().sync_all()?;
        self.tmp.persist(&self.path).map(drop).map_err(|e| e.error)
    }
}

impl io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_and_a_new_one_is_0644() {
        use std::io::Write as _;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let new = dir.path().join("new.txt");
        let mut f = AtomicFile::create(&new).expect("create");
        f.write_all(b"x").expect("write");
        f.commit().expect("commit");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&new), 0o644);
        fs::set_permissions(&new, fs::Permissions::from_mode(0o640)).expect("chmod");
        let mut f = AtomicFile::create(&new).expect("create");
        f.write_all(b"y").expect("write");
        f.commit().expect("commit");
        assert_eq!(mode(&new), 0o640);
    }

    #[test]
    fn reads_a_regular_file_and_refuses_a_large_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        fs::write(&path, b"hello").expect("write");
        assert_eq!(read_regular(&path, 5, "x").expect("read"), b"hello");
        let err = read_regular(&path, 4, "draft_bytes").expect_err("too large");
        assert!(is_too_large(&err));
        assert_eq!(
            err.to_string(),
            "the file is larger than the limit of 4 bytes (`draft_bytes`)"
        );
    }

    #[test]
    fn refuses_directories_and_devices() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = read_regular(dir.path(), 10, "x").expect_err("a directory");
        assert!(err.to_string().contains("a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = read_regular(Path::new("/dev/zero"), 10, "x").expect_err("a device");
            assert!(err.to_string().contains("a character device"), "{err}");
            assert_eq!(
                unusable(Path::new("/dev/null")).as_deref(),
                Some("it is a character device, not a regular file")
            );
        }
        assert_eq!(
            unusable(&dir.path().join("nope")).as_deref(),
            Some("it does not exist")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        let err = read_regular(&fifo, 10, "x").expect_err("a FIFO");
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn bounded_reads_stop_at_the_limit() {
        let err = read_bounded(io::repeat(0), 1 << 20, "the body", "decompressed_bytes")
            .expect_err("endless");
        assert!(err.to_string().contains("1 MiB"), "{err}");
        assert_eq!(
            read_bounded(&b"abc"[..], 3, "b", "x").expect("fits"),
            b"abc"
        );
        assert_eq!(human_bytes(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
