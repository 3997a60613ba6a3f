# --- Added by pktmon's generator (tests/gen_assets/dynamic.zsh): values that only a
# running system knows (component ids and namespaces from 'pktmon list', filter numbers
# and names from 'pktmon filter list'). The generator points the actions of --comp and
# 'filter remove' here, and gives 'filter add -d/-t' their words.

(( $+functions[_pktmon_components] )) ||
_pktmon_components() {
    local -a ids
    ids=(all nics ${(f)"$(command pktmon list --all --include-hidden 2>/dev/null | sed -n \
        -e 's/^ *\([0-9][0-9]*\) .*/\1/p' \
        -e 's/^Network namespace \([^ ]*\) (net:\[[0-9]*\]):$/\1/p')"})
    _values -s , 'component' $ids
}

(( $+functions[_pktmon_filters] )) ||
_pktmon_filters() {
    local -a names
    names=(${(f)"$(command pktmon filter list 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1; if ($2 != "<empty>") print $2 }')"})
    compadd -a names
}

