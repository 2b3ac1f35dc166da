# bash completion for vpnsectl. Profile names come from the daemon (vpnsectl --json list).
_vpnsectl_profiles() {
    vpnsectl --json list 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)".*/\1/p'
}

_vpnsectl() {
    local cur prev words cword
    _init_completion || return
    local commands="connect disconnect status list profiles reload import monitor logs version help"
    local i command=""
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            --socket) ((i++)) ;;
            -*) ;;
            *) command="${words[i]}"; break ;;
        esac
    done
    if [[ $prev == --socket ]]; then
        _filedir
        return
    fi
    case "$command" in
        "")
            COMPREPLY=($(compgen -W "$commands --json --socket --help" -- "$cur")) ;;
        connect)
            COMPREPLY=($(compgen -W "$(_vpnsectl_profiles) --no-wait --timeout" -- "$cur")) ;;
        disconnect)
            COMPREPLY=($(compgen -W "$(_vpnsectl_profiles) --all" -- "$cur")) ;;
        status)
            COMPREPLY=($(compgen -W "$(_vpnsectl_profiles)" -- "$cur")) ;;
        import)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--name --replace" -- "$cur"))
            else
                _filedir '@(vpn|toml)'
            fi ;;
        profiles)
            if [[ $prev == show || $prev == remove ]]; then
                COMPREPLY=($(compgen -W "$(_vpnsectl_profiles)" -- "$cur"))
            elif [[ $prev == profiles ]]; then
                COMPREPLY=($(compgen -W "show remove" -- "$cur"))
            fi ;;
        logs)
            COMPREPLY=($(compgen -W "-n" -- "$cur")) ;;
        monitor)
            COMPREPLY=($(compgen -W "--no-stats" -- "$cur")) ;;
    esac
}
complete -F _vpnsectl vpnsectl
