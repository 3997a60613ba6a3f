# Sourced by the scripts: installs the Debian/Ubuntu packages pktmon needs to build,
# test and benchmark, when any is missing. Needs root.
PKTMON_APT_PACKAGES="libpcap-dev tshark tcpdump python3 git iproute2 iputils-ping procps libcap2-bin util-linux iperf3 pkg-config gcc nftables time prometheus zsh fish dpkg-dev"

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

# Two namespaces joined by a veth pair, for the benchmarks. $1: a short name prefix,
# $2: a /24 prefix such as 10.78.0 (tx gets .1, rx .2). Sets NS_TX NS_RX IF_TX IF_RX.
pktmon_bench_pair() {
    NS_TX=${1}tx$$ NS_RX=${1}rx$$ IF_TX=${1}t$$ IF_RX=${1}r$$
    ip netns add "$NS_TX"
    ip netns add "$NS_RX"
    ip link add "$IF_TX" netns "$NS_TX" type veth peer name "$IF_RX" netns "$NS_RX"
    ip -n "$NS_TX" addr add "$2.1/24" dev "$IF_TX"
    ip -n "$NS_RX" addr add "$2.2/24" dev "$IF_RX"
    for ns in "$NS_TX" "$NS_RX"; do ip -n "$ns" link set lo up; done
    ip -n "$NS_TX" link set "$IF_TX" up
    ip -n "$NS_RX" link set "$IF_RX" up
}

# Ends whatever runs in the pair's namespaces and deletes them (safe to call twice).
pktmon_bench_pair_remove() {
    local ns
    for ns in "${NS_RX:-}" "${NS_TX:-}"; do
        [ -n "$ns" ] || continue
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
}
