#!/usr/bin/env bash
# Cross-target CI (docs: docs/spec/cross-targets.md): lints and checks the Windows and
# macOS builds with Debian's Rust (rustc-web, whose std source allows -Zbuild-std), then
# runs the Windows tests under Wine against a stand-in PktMonApi.dll built from
# tests/pktmonapi_standin.c. Run as root on Debian 12 from anywhere; any failure fails.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
step() { echo "== [cross $(($(date +%s) - t0))s] $*"; }
# rustup's proxies must win over the /usr/bin/cargo that cargo-web installs.
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

step "apt install (Debian Rust + std source, mingw-w64, wine64)"
apt-get update -qq --error-on=any
apt-get install -y -qq --no-install-recommends \
    rustc-web cargo-web rust-web-src rust-web-clippy \
    binutils-mingw-w64-x86-64 gcc-mingw-w64-x86-64-win32 wine64 libpcap-dev >/dev/null
v_rustc=$(dpkg-query -W -f='${Version}' rustc-web)
v_src=$(dpkg-query -W -f='${Version}' rust-web-src)
[ "$v_rustc" = "$v_src" ] || { echo "rustc-web $v_rustc != rust-web-src $v_src" >&2; exit 1; }

step "toolchain 'debian-web' = Debian's rustc-web $v_rustc"
rustup toolchain link debian-web /usr
cargo +debian-web -V
rustc +debian-web -V
# build-std through the environment so that it reaches the `cargo check` cargo-clippy runs;
# RUSTC_BOOTSTRAP only for these commands.
xcargo() {
    CARGO_TARGET_DIR=target/xtarget RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std \
        cargo +debian-web "$@"
}

step "clippy: x86_64-pc-windows-gnu"
xcargo clippy --locked --all-targets --target x86_64-pc-windows-gnu -- -D warnings
# Every target includes the tests and benches: criterion, the one dev-dependency that
# builds C (no MSVC or Mach-O C compiler here), is a Linux-only dev-dependency.
step "check: x86_64-pc-windows-msvc"
xcargo check --locked --all-targets --target x86_64-pc-windows-msvc
step "clippy: aarch64-apple-darwin"
xcargo clippy --locked --all-targets --target aarch64-apple-darwin -- -D warnings
step "check: x86_64-apple-darwin"
xcargo check --locked --all-targets --target x86_64-apple-darwin

step "wine prefix, bcryptprimitives.dll stub, stand-in PktMonApi.dll"
work=$(mktemp -d)
cleanup() {
    /usr/lib/wine/wineserver64 -k 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
/usr/lib/wine/wine64 wineboot --init 2>/dev/null
sys32="$WINEPREFIX/drive_c/windows/system32"
# Wine 8.0 lacks bcryptprimitives.dll, whose ProcessPrng Rust std imports: forward it to
# advapi32's RtlGenRandom.
cat >"$work/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
C
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$sys32/bcryptprimitives.dll" \
    "$work/bcryptprimitives.c" -ladvapi32
# The stand-in goes next to the tests, not into system32: tests choose per process whether
# the DLL is found (PKTMON_PKTMONAPI_DLL names the file to load).
mkdir -p target/xtarget/standin
x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -s -o target/xtarget/standin/PktMonApi.dll \
    tests/pktmonapi_standin.c
x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -s -DSTANDIN_DROP_EXPORT \
    -o target/xtarget/standin/PktMonApiNoStream.dll tests/pktmonapi_standin.c
# The tests find the stand-ins here, as a Windows path (Wine maps Z: to /).
export PKTMON_STANDIN_DIR
PKTMON_STANDIN_DIR="Z:$(pwd | tr / '\\')\\target\\xtarget\\standin"
echo "stand-ins in $PKTMON_STANDIN_DIR"

step "test under wine: x86_64-pc-windows-gnu"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=/usr/lib/wine/wine64
xcargo test --locked --target x86_64-pc-windows-gnu
step "done"
