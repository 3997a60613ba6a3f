
# --- Added by pktmon's generator (tests/gen_assets/dynamic.fish): values that only a
# running system knows (component ids and namespaces from 'pktmon list', filter numbers
# and names from 'pktmon filter list'), and the words of 'filter add -d/-t'.

# Component ids and network namespace names, as 'pktmon list' shows them.
function __fish_pktmon_components
    set -l exe (commandline -opc)[1]
    $exe list --all --include-hidden 2>/dev/null | sed -n \
        -e 's/^ *\([0-9][0-9]*\) .*/\1/p' \
        -e 's/^Network namespace \([^ ]*\) (net:\[[0-9]*\]):$/\1/p'
end

# Filter numbers and names, as 'pktmon filter list' shows them.
function __fish_pktmon_filters
    set -l exe (commandline -opc)[1]
    $exe filter list 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1; if ($2 != "<empty>") print $2 }'
end

complete -c pktmon -n "__fish_pktmon_using_subcommand start" -l comp -f -r -a "all nics (__fish_pktmon_components)"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s d -l data-link -f -r -a "IPv4 IPv6 ARP"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from add" -s t -l transport -f -r -a "TCP UDP ICMP ICMPv6"
complete -c pktmon -n "__fish_pktmon_using_subcommand filter; and __fish_seen_subcommand_from remove" -f -a "(__fish_pktmon_filters)"
