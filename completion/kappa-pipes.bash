# bash completion for the kappa-pipes tools (salesgen, ksource, ksink,
# window-agg, fxconvert, kplot): options from each tool's own --help, the
# values of the options that take a fixed set, files where a file goes,
# and topics (from `ksource -L -J`) after -t. `make install` puts it in
# PREFIX/share/bash-completion/completions/, once per tool.

# The options a tool's --help lists, asked once per shell.
_kappa_pipes_opts()
{
	local v=_kappa_pipes_opts_${1//-/_}
	if [[ -z ${!v-} ]]; then
		printf -v "$v" '%s' "$("$1" --help 2>/dev/null |
		    grep -oE -- '(^|[ ,[(])--?[A-Za-z][A-Za-z0-9-]*' |
		    tr -d ' ,[(' | sort -u | tr '\n' ' ')"
	fi
	printf '%s\n' "${!v}"
}

# The topics of the cluster the command line names (-b), or of
# $KAFKA_BROKERS: what `ksource -L -J` lists (it gives up in about 2 s
# when nothing listens).
_kappa_pipes_topics()
{
	local i b=()
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		-b|--brokers) b=(-b "${COMP_WORDS[i + 1]}") ;;
		esac
	done
	ksource -L -J "${b[@]}" 2>/dev/null | grep -o '"topic":"[^"]*"' |
	    cut -d'"' -f4 | sort -u
}

_kappa_pipes()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local tool=${COMP_WORDS[0]##*/}

	COMPREPLY=()
	case $tool:$prev in
	ksource:-t|ksource:--topic|ksink:-t|ksink:--topic)
		COMPREPLY=($(compgen -W "$(_kappa_pipes_topics)" -- "$cur"))
		return ;;
	ksource:-o|ksource:--offset)
		COMPREPLY=($(compgen -W "beginning end stored s@ e@" -- "$cur"))
		return ;;
	*:-F|*:--config|*:--dead-letter|*:--late|*:--rates|*:--svg)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	*:--on-error)
		COMPREPLY=($(compgen -W "skip abort" -- "$cur"))
		return ;;
	*:--time-unit)
		COMPREPLY=($(compgen -W "ms s us iso" -- "$cur"))
		return ;;
	*:--time-format)
		COMPREPLY=($(compgen -W "sql iso ms" -- "$cur"))
		return ;;
	*:-z|*:--compression)
		COMPREPLY=($(compgen -W "none gzip snappy lz4 zstd" -- "$cur"))
		return ;;
	*:-X|*:--property)
		COMPREPLY=($(compgen -W "list dump" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_kappa_pipes_opts "${COMP_WORDS[0]}")" \
		    -- "$cur"))
	fi
}

complete -F _kappa_pipes salesgen ksource ksink window-agg fxconvert kplot
