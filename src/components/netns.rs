//! Linux network namespaces: finding them (pktmon's own, init's, `ip netns` ones, Docker's
//! and those of running processes, deduplicated by inode), naming them, and reading their
//! interfaces with an rtnetlink dump from a thread that entered them (`setns`). Netlink
//! follows the thread's namespace; sysfs does not (it shows the namespace /sys was mounted
//! for), so nothing here reads sysfs for another namespace.

use super::Component;
use super::linux::{self, Wireless};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Where `ip netns` keeps named namespaces.
pub const NAMED_DIR: &str = "/run/netns";
/// Where Docker keeps its containers' namespaces.
pub const DOCKER_DIR: &str = "/run/docker/netns";

/// Inode of the initial network namespace on kernels that fix it (6.x: PROC_NET_INIT_INO),
/// and the first dynamically allocated one that older kernels give it. Used only to name
/// pktmon's own namespace `host` when /proc/1 cannot be read (no privileges).
const WELL_KNOWN_INIT_INODES: [u64; 2] = [0xEFFF_FFF9, 0xF000_0000];

/// CAP_SYS_ADMIN: needed for setns into another network namespace.
const CAP_SYS_ADMIN: u32 = 21;

/// Processes kept per namespace as ways in (the first one may exit before we enter).
const PIDS_PER_NAMESPACE: usize = 3;

/// Why a namespace could not be found or read.
#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    #[error("cannot read {path}: {source}")]
    Stat {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("network namespace {name} is gone")]
    Gone { name: String },
    #[error("entering network namespace {name} is not permitted (needs CAP_SYS_ADMIN)")]
    NotPermitted { name: String },
    #[error("cannot enter network namespace {name}: {errno}")]
    Enter {
        name: String,
        errno: nix::errno::Errno,
    },
    #[error("cannot list the interfaces of network namespace {name}: {detail}")]
    Dump { name: String, detail: String },
    #[error("cannot start a thread to enter network namespaces: {0}")]
    Thread(String),
}

/// One namespace found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceDesc {
    pub inode: u64,
    /// Readable and unique among the namespaces found.
    pub name: String,
    /// pktmon's own namespace.
    pub own: bool,
    /// How it was found, which decides the name and the listing order.
    pub origin: NetnsOrigin,
    /// Files that refer to it, tried in order to enter it.
    pub paths: Vec<PathBuf>,
}

/// How a namespace was found, in naming priority.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NetnsOrigin {
    /// The init namespace (`host`).
    Init,
    /// `/run/netns/NAME`.
    Named,
    /// `/run/docker/netns/NAME`.
    Docker,
    /// Only through a process in it.
    Process { pid: u32 },
    /// pktmon's own namespace, found nowhere else.
    Unnamed,
}

/// The namespaces pktmon may read, own first.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub namespaces: Vec<NamespaceDesc>,
    /// Namespaces found but left out because entering them needs privileges we lack.
    pub not_entered: usize,
}

fn stat(path: &Path) -> Result<std::fs::Metadata, NetnsError> {
    std::fs::metadata(path).map_err(|source| NetnsError::Stat {
        path: path.to_path_buf(),
        source,
    })
}

/// Inode of pktmon's own network namespace.
pub fn own_inode() -> Result<u64, NetnsError> {
    Ok(stat(Path::new("/proc/self/ns/net"))?.ino())
}

/// Inode of the network namespace process `pid` is in.
pub fn netns_of_pid(pid: u32) -> Result<u64, NetnsError> {
    Ok(stat(&PathBuf::from(format!("/proc/{pid}/ns/net")))?.ino())
}

/// Whether this process may enter other network namespaces (CAP_SYS_ADMIN effective).
pub fn can_enter_others() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << CAP_SYS_ADMIN) != 0)
}

#[derive(Default)]
struct Found {
    named: Vec<(String, PathBuf)>,
    docker: Vec<(String, PathBuf)>,
    init: bool,
    pids: Vec<u32>,
}

/// Finds every network namespace; without the privilege to enter others, only pktmon's own
/// is returned (and the others are counted).
pub fn discover() -> Result<Discovery, NetnsError> {
    let own_meta = stat(Path::new("/proc/self/ns/net"))?;
    let (own, nsfs_dev) = (own_meta.ino(), own_meta.dev());
    let mut found: BTreeMap<u64, Found> = BTreeMap::new();
    found.entry(own).or_default();
    // Only nsfs files count: a stale /run/netns entry whose mount is gone is a plain file.
    let ns_inode = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .filter(|m| m.dev() == nsfs_dev)
            .map(|m| m.ino())
    };
    let init = ns_inode(Path::new("/proc/1/ns/net"));
    if let Some(i) = init {
        found.entry(i).or_default().init = true;
    }
    for (dir, docker) in [(NAMED_DIR, false), (DOCKER_DIR, true)] {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut entries: Vec<(String, PathBuf)> = rd
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .collect();
        entries.sort();
        for (name, path) in entries {
            if let Some(i) = ns_inode(&path) {
                let f = found.entry(i).or_default();
                if docker {
                    f.docker.push((name, path));
                } else {
                    f.named.push((name, path));
                }
            }
        }
    }
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    pids.sort_unstable();
    for pid in pids {
        // Other users' processes are unreadable without privileges; they are skipped.
        if let Some(i) = ns_inode(&PathBuf::from(format!("/proc/{pid}/ns/net"))) {
            let f = found.entry(i).or_default();
            if f.pids.len() < PIDS_PER_NAMESPACE {
                f.pids.push(pid);
            }
        }
    }
    let may_enter = can_enter_others();
    let mut not_entered = 0;
    let mut namespaces = Vec::new();
    for (inode, f) in found {
        let is_own = inode == own;
        if !is_own && !may_enter {
            not_entered += 1;
            continue;
        }
        let init_unknown_but_likely =
            is_own && init.is_none() && WELL_KNOWN_INIT_INODES.contains(&inode);
        let (name, origin) = if let Some((n, _)) = f.named.first() {
            (n.clone(), NetnsOrigin::Named)
        } else if let Some((n, _)) = f.docker.first() {
            (n.clone(), NetnsOrigin::Docker)
        } else if f.init || init_unknown_but_likely {
            ("host".to_string(), NetnsOrigin::Init)
        } else if let Some(&pid) = f.pids.first() {
            (process_name(pid), NetnsOrigin::Process { pid })
        } else {
            (format!("netns {inode}"), NetnsOrigin::Unnamed)
        };
        let mut paths: Vec<PathBuf> = f
            .named
            .iter()
            .chain(&f.docker)
            .map(|(_, p)| p.clone())
            .collect();
        paths.extend(
            f.pids
                .iter()
                .map(|p| PathBuf::from(format!("/proc/{p}/ns/net"))),
        );
        namespaces.push(NamespaceDesc {
            inode,
            name,
            own: is_own,
            origin,
            paths,
        });
    }
    sort_and_name_uniquely(&mut namespaces);
    Ok(Discovery {
        namespaces,
        not_entered,
    })
}

/// `pid N (comm)`.
fn process_name(pid: u32) -> String {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    format!("pid {pid} ({})", comm.trim())
}

/// Own first, then init, named, Docker, process namespaces (by name, by pid); a name that
/// repeats (a Docker file named like an `ip netns` one) gets the inode appended, so that
/// `--comp NAME` is never ambiguous.
pub fn sort_and_name_uniquely(namespaces: &mut [NamespaceDesc]) {
    namespaces.sort_by(|a, b| {
        (!a.own, &a.origin, &a.name, a.inode).cmp(&(!b.own, &b.origin, &b.name, b.inode))
    });
    let mut seen = std::collections::HashSet::new();
    for n in namespaces.iter_mut() {
        if !seen.insert(n.name.clone()) {
            n.name = format!("{} ({})", n.name, n.inode);
            seen.insert(n.name.clone());
        }
    }
}

/// A namespace's interfaces (ids = ifindexes, namespace not filled in), and the ids
/// (nsids) it gives the other namespaces, which tell where a veth's peer is.
#[derive(Clone, Debug, Default)]
pub struct NsLinks {
    pub components: Vec<Component>,
    /// (nsid in this namespace, inode of the namespace it stands for).
    pub nsids: Vec<(i32, u64)>,
}

/// The interfaces of each namespace in `nss`, in that order; `known` are all namespaces
/// found (asked for their nsids when a veth points elsewhere). pktmon's own namespace is
/// read on the calling thread; the others from one short-lived thread that enters them in
/// turn, so no other thread ever changes namespace.
pub fn read_links(
    nss: &[NamespaceDesc],
    known: &[NamespaceDesc],
) -> Vec<Result<NsLinks, NetnsError>> {
    let foreign: Vec<NamespaceDesc> = nss.iter().filter(|n| !n.own).cloned().collect();
    let mut foreign_results = if foreign.is_empty() {
        Vec::new()
    } else {
        let count = foreign.len();
        let known_copy = known.to_vec();
        let spawned = std::thread::Builder::new()
            .name("pktmon-netns".into())
            .spawn(move || {
                foreign
                    .iter()
                    .map(|n| {
                        enter(n)?;
                        read_here(n, &known_copy, Wireless::ThreadProc)
                    })
                    .collect::<Vec<_>>()
            });
        match spawned.map(|h| h.join()) {
            Ok(Ok(results)) => results,
            Ok(Err(_)) => (0..count)
                .map(|_| Err(NetnsError::Thread("the thread panicked".into())))
                .collect(),
            Err(e) => (0..count)
                .map(|_| Err(NetnsError::Thread(e.to_string())))
                .collect(),
        }
    }
    .into_iter();
    nss.iter()
        .map(|n| {
            if n.own {
                read_here(n, known, Wireless::Sysfs)
            } else {
                foreign_results
                    .next()
                    .unwrap_or_else(|| Err(NetnsError::Thread("result missing".into())))
            }
        })
        .collect()
}

/// Runs `f` on a short-lived thread that entered the network namespace `ns` (sockets it
/// opens stay in that namespace), so that no long-lived thread ever changes namespace.
pub fn run_in<T: Send + 'static>(
    ns: &NamespaceDesc,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, NetnsError> {
    let ns = ns.clone();
    std::thread::Builder::new()
        .name("pktmon-netns".into())
        .spawn(move || {
            enter(&ns)?;
            Ok(f())
        })
        .map_err(|e| NetnsError::Thread(e.to_string()))?
        .join()
        .map_err(|_| NetnsError::Thread("the thread panicked".into()))?
}

/// Dumps the links of the namespace the calling thread is in (`n`).
fn read_here(
    n: &NamespaceDesc,
    known: &[NamespaceDesc],
    wireless: Wireless,
) -> Result<NsLinks, NetnsError> {
    let components = linux::list_with(wireless).map_err(|e| NetnsError::Dump {
        name: n.name.clone(),
        detail: e.to_string(),
    })?;
    let nsids = if components.iter().any(|c| c.link_netnsid.is_some()) {
        nsid_map(n, known)
    } else {
        Vec::new()
    };
    Ok(NsLinks { components, nsids })
}

/// The nsids the calling thread's namespace (`here`) gives the other namespaces known.
fn nsid_map(here: &NamespaceDesc, known: &[NamespaceDesc]) -> Vec<(i32, u64)> {
    use std::os::fd::AsFd;
    let Ok(mut q) = linux::NsidQuery::new() else {
        return Vec::new();
    };
    known
        .iter()
        .filter(|k| k.inode != here.inode)
        .filter_map(|k| {
            let file = open_ns(k)?;
            q.nsid_of(file.as_fd()).map(|id| (id, k.inode))
        })
        .collect()
}

/// Whether one of a namespace's files still refers to it. A namespace's inode is reused
/// once it is gone, so a namespace found under a known inode may be another one (a test's
/// or a container's namespace deleted, the next one created).
pub fn is_current(ns: &NamespaceDesc) -> bool {
    ns.paths.is_empty()
        || ns
            .paths
            .iter()
            .any(|p| std::fs::metadata(p).is_ok_and(|m| m.ino() == ns.inode))
}

/// The first of a namespace's files that still refers to it (a process may have exited,
/// a pid been reused).
fn open_ns(ns: &NamespaceDesc) -> Option<std::fs::File> {
    ns.paths.iter().find_map(|path| {
        let file = std::fs::File::open(path).ok()?;
        (file.metadata().ok()?.ino() == ns.inode).then_some(file)
    })
}

/// Moves the calling thread into `ns`.
fn enter(ns: &NamespaceDesc) -> Result<(), NetnsError> {
    let file = open_ns(ns).ok_or_else(|| NetnsError::Gone {
        name: ns.name.clone(),
    })?;
    nix::sched::setns(file, nix::sched::CloneFlags::CLONE_NEWNET).map_err(|errno| {
        if errno == nix::errno::Errno::EPERM {
            NetnsError::NotPermitted {
                name: ns.name.clone(),
            }
        } else {
            NetnsError::Enter {
                name: ns.name.clone(),
                errno,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(inode: u64, name: &str, own: bool, origin: NetnsOrigin) -> NamespaceDesc {
        NamespaceDesc {
            inode,
            name: name.into(),
            own,
            origin,
            paths: vec![],
        }
    }

    #[test]
    fn own_first_then_by_origin_and_repeated_names_made_unique() {
        let mut v = vec![
            desc(5, "pid 9 (sleep)", false, NetnsOrigin::Process { pid: 9 }),
            desc(4, "blue", false, NetnsOrigin::Docker),
            desc(3, "blue", false, NetnsOrigin::Named),
            desc(2, "host", false, NetnsOrigin::Init),
            desc(1, "red", true, NetnsOrigin::Named),
        ];
        sort_and_name_uniquely(&mut v);
        let names: Vec<&str> = v.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["red", "host", "blue", "blue (4)", "pid 9 (sleep)"]
        );
    }

    #[test]
    fn own_namespace_is_always_found() {
        let d = discover().expect("discover");
        assert!(d.namespaces[0].own);
        assert_eq!(d.namespaces[0].inode, own_inode().unwrap());
        assert_eq!(d.namespaces.iter().filter(|n| n.own).count(), 1);
        let links = read_links(&d.namespaces[..1], &d.namespaces);
        let own = links[0].as_ref().unwrap();
        assert!(own.components.iter().any(|c| c.name == "lo"));
    }
}
