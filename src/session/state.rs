//! The state directory: owner-only, `/run/pktmon` for root, else
//! `$XDG_RUNTIME_DIR/pktmon`. `PKTMON_STATE_DIR` overrides it (tests, several users).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub const STATE_DIR_ENV: &str = "PKTMON_STATE_DIR";

pub fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(STATE_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    #[cfg(unix)]
    {
        let uid = nix::unistd::geteuid();
        if uid.is_root() {
            return PathBuf::from("/run/pktmon");
        }
        if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(d).join("pktmon");
        }
        std::env::temp_dir().join(format!("pktmon-{uid}"))
    }
    #[cfg(not(unix))]
    {
        std::env::temp_dir().join("pktmon")
    }
}

/// Paths of one session's files.
#[derive(Clone, Debug)]
pub struct SessionPaths {
    pub name: String,
    pub dir: PathBuf,
}

impl SessionPaths {
    pub fn new(name: &str) -> Self {
        SessionPaths {
            name: name.to_string(),
            dir: state_dir(),
        }
    }
    fn file(&self, sub: &str, ext: &str) -> PathBuf {
        self.dir.join(sub).join(format!("{}.{ext}", self.name))
    }
    pub fn registry(&self) -> PathBuf {
        self.file("sessions", "json")
    }
    pub fn config(&self) -> PathBuf {
        self.file("sessions", "config.json")
    }
    /// The control channel's address: a Unix socket in the state directory, or on Windows
    /// a named pipe whose name includes a hash of the state directory (so that sessions of
    /// different state directories never meet).
    pub fn socket(&self) -> PathBuf {
        #[cfg(unix)]
        {
            self.file("sessions", "sock")
        }
        #[cfg(windows)]
        {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
            for b in self.dir.to_string_lossy().to_lowercase().bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
            PathBuf::from(format!(r"\\.\pipe\pktmon-{h:016x}-{}", self.name))
        }
    }
    pub fn lock(&self) -> PathBuf {
        self.file("sessions", "lock")
    }
    pub fn log(&self) -> PathBuf {
        self.file("sessions", "log")
    }
    pub fn last_report(&self) -> PathBuf {
        self.file("last", "json")
    }
}

/// Creates the state directory (and its subfolders) readable only by its owner, and
/// refuses one owned by somebody else.
pub fn ensure_state_dir() -> Result<PathBuf> {
    let dir = state_dir();
    for sub in ["", "sessions", "last"] {
        let d = dir.join(sub);
        create_private_dir(&d)?;
    }
    Ok(dir)
}

#[cfg(unix)]
fn create_private_dir(d: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    if !d.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(d)
            .map_err(|e| {
                Error::failure(format!(
                    "cannot create the state directory {}: {e}",
                    d.display()
                ))
            })?;
    }
    let md = std::fs::metadata(d)
        .map_err(|e| Error::failure(format!("cannot read {}: {e}", d.display())))?;
    if md.uid() != nix::unistd::geteuid().as_raw() {
        return Err(Error::failure(format!(
            "the state directory {} belongs to another user; set {STATE_DIR_ENV} to a directory of your own",
            d.display()
        )));
    }
    if md.mode() & 0o077 != 0 {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(d: &Path) -> Result<()> {
    std::fs::create_dir_all(d)
        .map_err(|e| Error::failure(format!("cannot create {}: {e}", d.display())))
}

/// Creates (or truncates) a file readable only by the owner. On Unix an existing file's
/// mode is tightened too (O_TRUNC keeps it); on Windows the file inherits the state or log
/// directory's ACL.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    Ok(f)
}

/// Opens (creating it if needed, never truncating) a file readable only by the owner: lock
/// files.
pub fn private_file_keep(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Writes a file atomically (temporary file + rename), readable only by the owner.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = private_file(&tmp)
            .map_err(|e| Error::failure(format!("cannot write {}: {e}", tmp.display())))?;
        std::io::Write::write_all(&mut f, contents)
            .map_err(|e| Error::failure(format!("cannot write {}: {e}", tmp.display())))?;
    }
    std::fs::rename(&tmp, path)
        .map_err(|e| Error::failure(format!("cannot write {}: {e}", path.display())))
}

/// Names of the sessions with a registry entry.
pub fn registered_sessions() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(state_dir().join("sessions"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".json")
                .filter(|s| !s.ends_with(".config"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}
