# --- Added by pktmon's generator (tests/gen_assets/dynamic.bash): values that only a
# running system knows (component ids and namespaces from 'pktmon list', filter numbers
# and names from 'pktmon filter list'), and the words of 'filter add -d/-t'.

# Component ids and network namespace names, as 'pktmon list' shows them.
_pktmon_components() {
    "$1" list --all --include-hidden 2>/dev/null | sed -n \
        -e 's/^ *\([0-9][0-9]*\) .*/\1/p' \
        -e 's/^Network namespace \([^ ]*\) (net:\[[0-9]*\]):$/\1/p'
}

# Filter numbers and names, as 'pktmon filter list' shows them.
_pktmon_filters() {
    "$1" filter list 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1; if ($2 != "<empty>") print $2 }'
}

_pktmon_with_values() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local line=" ${COMP_WORDS[*]:1:COMP_CWORD-1} " words
    case "$prev" in
        --comp | --components)
            # A list separated by commas: complete the item after the last comma.
            local done=""
            [[ $cur == *,* ]] && done=${cur%,*},
            words="all nics $(_pktmon_components "$1")"
            COMPREPLY=($(compgen -P "$done" -W "$words" -- "${cur##*,}"))
            return 0
            ;;
        -d | --data-link | --data-link-protocol | --ethertype)
            [[ $line == *" filter add "* ]] && {
                COMPREPLY=($(compgen -W "IPv4 IPv6 ARP" -- "$cur"))
                return 0
            }
            ;;
        -t | --transport | --transport-protocol | --ip-protocol)
            [[ $line == *" filter add "* ]] && {
                COMPREPLY=($(compgen -W "TCP UDP ICMP ICMPv6" -- "$cur"))
                return 0
            }
            ;;
        remove)
            [[ $line == *" filter remove " ]] && {
                COMPREPLY=($(compgen -W "$(_pktmon_filters "$1")" -- "$cur"))
                return 0
            }
            ;;
    esac
    _pktmon "$@"
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _pktmon_with_values -o nosort -o bashdefault -o default pktmon
else
    complete -F _pktmon_with_values -o bashdefault -o default pktmon
fi
