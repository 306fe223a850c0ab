# make install: the tools, their man pages, the scripts the man pages name
# (kafka-mock in libexec, linked beside kafka-local) and bash completion;
# then the completion itself. (Under SANITIZE=1 bin/ is not built: the
# install is SKIPPED there, exit 77, and checked by the plain make check.)
t "make install puts scripts and completion in place" 0 'if [ "$KP_SANITIZE" = 1 ]; then echo "SANITIZE=1 builds no bin/ to install" >&2; exit 77; fi; make -s -C "$T/.." install DESTDIR="$W/r" PREFIX=/usr >/dev/null 2>&1 || exit 1; r=$W/r/usr; for f in bin/ksource bin/ksink share/kappa-pipes/kafka-local libexec/kappa-pipes/kafka-mock share/kappa-pipes/kafka/pom.xml share/kappa-pipes/replay share/kappa-pipes/resume; do [ -f "$r/$f" ] && printf "%s " "${f##*/}"; done; [ "$(readlink "$r/share/kappa-pipes/kafka-mock")" = /usr/libexec/kappa-pipes/kafka-mock ] && printf "kafka-mock-link "; [ -f "$r/share/bash-completion/completions/ksource" ] && echo ksource-completion' '' 'ksource ksink kafka-local kafka-mock pom.xml replay resume kafka-mock-link ksource-completion'
t "completion: long options from --help" 0 'bash -c ". $T/../completion/kappa-pipes.bash; COMP_WORDS=(ksource --pro); COMP_CWORD=1; _kappa_pipes; echo \${COMPREPLY[*]}"' '' '--progress --property'
t "completion: the values of --on-error and ksource -o" 0 'bash -c ". $T/../completion/kappa-pipes.bash; COMP_WORDS=(ksink --on-error \"\"); COMP_CWORD=2; _kappa_pipes; echo \${COMPREPLY[*]}; COMP_WORDS=(ksource -o b); COMP_CWORD=2; _kappa_pipes; echo \${COMPREPLY[*]}"' '' 'skip abort
beginning'
t "completion: every tool is registered" 0 'bash -c ". $T/../completion/kappa-pipes.bash; complete -p ksource ksink salesgen window-agg fxconvert kplot | wc -l"' '' '6'
