# Sourced by the scripts: installs the Debian/Ubuntu packages pktmon needs to build,
# test and benchmark, when any is missing. Needs root.
PKTMON_APT_PACKAGES="libpcap-dev tshark tcpdump iproute2 util-linux iperf3 pkg-config gcc nftables time"

pktmon_install_deps() {
    local missing=()
    for p in $PKTMON_APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing: ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "cargo is not installed: install Rust (https://rustup.rs or 'apt-get install cargo')" >&2
        return 1
    fi
}

# Re-runs the calling script as root (sudo) when it is not.
pktmon_need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            exec sudo -E "$0" "$@"
        fi
        echo "$0 needs root (packages, network namespaces, capture)" >&2
        exit 5
    fi
}

# Installs what is missing and builds the release binary; sets PKTMON_BIN.
pktmon_build_release() {
    pktmon_install_deps
    cargo build --release --quiet
    PKTMON_BIN=$PWD/target/release/pktmon
}
