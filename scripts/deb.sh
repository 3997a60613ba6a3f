#!/usr/bin/env bash
# Builds the Debian package target/debian/pktmon_<version>_<arch>.deb from the release
# binary (built here if needed), the committed completions (bash, zsh, fish) and man pages,
# README, the guide and the licence notice. Prints the package's path on stdout.
# A plain dpkg-deb build (no cargo-deb): nothing to compile or download beyond the release
# binary, and the layout is spelled out here. Needs dpkg-deb and dpkg-shlibdeps
# (dpkg-dev); binutils' strip.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
pktmon_build_release >&2

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
out=target/debian
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
doc=$root/usr/share/doc/pktmon

install -D -m 0755 "$PKTMON_BIN" "$root/usr/bin/pktmon"
# The release profile keeps line tables (debug = 1) for profiling; a package ships none.
strip --strip-unneeded "$root/usr/bin/pktmon"
install -D -m 0644 completions/pktmon.bash "$root/usr/share/bash-completion/completions/pktmon"
install -D -m 0644 completions/_pktmon "$root/usr/share/zsh/vendor-completions/_pktmon"
install -D -m 0644 completions/pktmon.fish "$root/usr/share/fish/vendor_completions.d/pktmon.fish"
install -d "$root/usr/share/man/man1"
for page in man/*.1; do
    gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"
done
install -d "$doc"
gzip -9n <README.md >"$doc/README.md.gz"
gzip -9n <docs/guide.md >"$doc/guide.md.gz"
cat >"$doc/copyright" <<'COPYRIGHT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: pktmon

Files: *
Copyright: the pktmon developers
License: MIT or Apache-2.0
 On Debian systems the Apache License 2.0 is in /usr/share/common-licenses/Apache-2.0.
COPYRIGHT

# Shared-library dependencies as Debian computes them (libc6, libpcap0.8 ...).
mkdir -p "$work/debian"
printf 'Source: pktmon\n\nPackage: pktmon\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "root/usr/bin/pktmon" |
    sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: pktmon
Version: $version
Architecture: $arch
Maintainer: pktmon developers <pktmon@users.noreply.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: tshark
Section: net
Priority: optional
Description: command-compatible clone of Windows Packet Monitor (pktmon.exe)
 pktmon list, start --capture, status, stop, counters, filter, etl2txt and
 etl2pcap as on Windows, capturing every network interface of every network
 namespace into pcapng, with kernel drop reasons and each packet's path
 across interfaces. Reads Windows pktmon .etl logs.
CONTROL

mkdir -p "$out"
deb=$out/pktmon_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
