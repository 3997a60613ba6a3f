#!/usr/bin/env bash
# CI: builds the Debian package (scripts/deb.sh), unpacks it into a scratch root with
# `dpkg -x` and checks its control data and contents: the binary runs from there, every
# man page and completion the repository generates is installed (the completions
# byte for byte), README and copyright are there, and nothing else is.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(bash scripts/deb.sh)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "deb-check: $*" >&2; exit 1; }

dpkg-deb --info "$deb" >"$scratch/info"
grep -q '^ Package: pktmon$' "$scratch/info" || fail "no Package: pktmon"
grep -q '^ Depends: .*libpcap' "$scratch/info" || fail "Depends lacks libpcap: $(cat "$scratch/info")"
dpkg -x "$deb" "$scratch/root"
r=$scratch/root

# What must be there, and only that.
expected=(
    usr/bin/pktmon
    usr/share/bash-completion/completions/pktmon
    usr/share/zsh/vendor-completions/_pktmon
    usr/share/fish/vendor_completions.d/pktmon.fish
    usr/share/doc/pktmon/README.md.gz
    usr/share/doc/pktmon/guide.md.gz
    usr/share/doc/pktmon/copyright
)
for page in man/*.1; do expected+=("usr/share/man/man1/$(basename "$page").gz"); done
(cd "$r" && find . -type f | sed 's|^\./||' | sort) >"$scratch/found"
printf '%s\n' "${expected[@]}" | sort >"$scratch/expected"
diff -u "$scratch/expected" "$scratch/found" || fail "contents differ from the expected list"

cmp completions/pktmon.bash "$r/usr/share/bash-completion/completions/pktmon"
cmp completions/_pktmon "$r/usr/share/zsh/vendor-completions/_pktmon"
cmp completions/pktmon.fish "$r/usr/share/fish/vendor_completions.d/pktmon.fish"
for page in man/*.1; do
    zcat "$r/usr/share/man/man1/$(basename "$page").gz" | cmp - "$page"
done
zcat "$r/usr/share/doc/pktmon/README.md.gz" | cmp - README.md
[ "$(stat -c %a "$r/usr/bin/pktmon")" = 755 ] || fail "usr/bin/pktmon is not mode 0755"

# The installed binary runs (help: exit 0; a bad command: pktmon's 87).
"$r/usr/bin/pktmon" help | grep -q "pktmon start" || fail "installed pktmon help"
set +e
"$r/usr/bin/pktmon" no-such-command 2>/dev/null
rc=$?
set -e
[ "$rc" = 87 ] || fail "installed pktmon: unknown command gave $rc, not 87"
echo "deb-check: $deb ($(stat -c %s "$deb") bytes, $(wc -l <"$scratch/found") files) is complete"
