//! Writing files atomically: the new content goes to a temporary file in
//! the same folder, is flushed to disk, and is then renamed over the
//! target. A full disk or a crash leaves the old file as it was (or no
//! file), never a truncated one.

use std::io::Write;
use std::path::Path;

/// Replaces (or creates) `path` with `bytes`.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file = temp_beside(path, bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `path` with `bytes`; fails with `AlreadyExists` when it exists
/// (and leaves it alone).
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let file = temp_beside(path, bytes)?;
    file.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file in `path`'s folder holding `bytes`, synced.
fn temp_beside(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map_or("iryolint".into(), |n| n.to_string_lossy().into_owned());
    let mut file = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let err = create_new(&path, b"three").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["b.json"], "no temporary file is left behind");
    }
}
