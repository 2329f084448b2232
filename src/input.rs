//! Reading one input's bytes, within the size limit.
//!
//! A file named on the command line that is not a regular file (a FIFO, a
//! device such as `/dev/zero`, a socket) is skipped with a note: reading it
//! could block forever or never end. Standard input (`-`) is read whatever
//! it is, up to the limit.

use std::io::Read;
use std::path::Path;

use crate::limits::human_size;
use crate::walk::io_message;

/// What reading an input gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Bytes {
    /// The input's bytes.
    Read(Vec<u8>),
    /// Not read, for this reason (a note, not an error).
    Skipped(String),
}

/// Reads the file at `path` (reported as `name`), at most `max` bytes.
pub fn read_file(path: &Path, name: &str, max: u64) -> Result<Bytes, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: {}", io_message(&e)))?;
    if !meta.is_file() {
        return Ok(Bytes::Skipped(format!("{name}: {} skipped (not a regular file)", kind_of(&meta.file_type()))));
    }
    if meta.len() > max {
        return Err(too_large(name, max));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {}", io_message(&e)))?;
    read_limited(file, name, max, meta.len()).map(Bytes::Read)
}

/// Reads standard input (reported as `name`), at most `max` bytes.
pub fn read_stdin(name: &str, max: u64) -> Result<Vec<u8>, String> {
    read_limited(std::io::stdin().lock(), name, max, 0)
}

/// Largest config, rule or baseline file read: 256 MiB (a baseline of a
/// large site is big; the point is not to read `/dev/zero` forever).
pub const MAX_SETTINGS_FILE_BYTES: u64 = 256 << 20;

/// Reads a config, rule or baseline file as UTF-8 text: a regular file of
/// at most [`MAX_SETTINGS_FILE_BYTES`]. Errors name the file.
pub fn read_settings_file(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let max = MAX_SETTINGS_FILE_BYTES;
    let bytes = match read_file(path, &name, max)? {
        Bytes::Read(bytes) => bytes,
        Bytes::Skipped(why) => return Err(why.replace("skipped", "cannot be read")),
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
        format!("{name}:{line}: not valid UTF-8")
    })
}

fn read_limited(reader: impl Read, name: &str, max: u64, expected: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(expected.min(max) as usize);
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("{name}: {}", io_message(&e)))?;
    if bytes.len() as u64 > max {
        return Err(too_large(name, max));
    }
    Ok(bytes)
}

fn too_large(name: &str, max: u64) -> String {
    format!("{name}: larger than {} (the limit; raise it with --max-file-size, or read plain text or Markdown in sections with --input-format sections)", human_size(max))
}

/// What a file that is not a regular file is, for notes.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        return "directory";
    }
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_over_the_limit_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read_file(&path, "a.txt", 5), Ok(Bytes::Read(b"12345".to_vec())));
        assert_eq!(
            read_file(&path, "a.txt", 4),
            Err("a.txt: larger than 4 bytes (the limit; raise it with --max-file-size, or read plain text or Markdown in sections with --input-format sections)".into())
        );
        assert_eq!(
            read_limited(&b"123456"[..], "-", 5, 0),
            Err("-: larger than 5 bytes (the limit; raise it with --max-file-size, or read plain text or Markdown in sections with --input-format sections)".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn settings_files_must_be_regular_utf8_files() {
        let err = read_settings_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err, "/dev/zero: character device cannot be read (not a regular file)");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, b"a = 1\nb = \"\xff\"\n").unwrap();
        assert_eq!(read_settings_file(&path).unwrap_err(), format!("{}:2: not valid UTF-8", path.display()));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_skipped_not_read() {
        let got = read_file(Path::new("/dev/zero"), "/dev/zero", 1 << 20).unwrap();
        assert_eq!(got, Bytes::Skipped("/dev/zero: character device skipped (not a regular file)".into()));
    }
}
