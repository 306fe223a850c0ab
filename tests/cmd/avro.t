# ksource -s avro|protobuf and ksink -s value=avro: options and the failures that
# need no registry (tests/kafka/avro.sh runs them against a real one)
te "ksource -s json without a registry" 64 'ksource -t a -s json -b 127.0.0.1:1' '' 'ksource: -s needs the schema registry'
te "ksource -s bad" 64 'ksource -t a -s value=thrift' '' 'ksource: -s value=thrift: expected avro, protobuf or json, with key= or value= before it or not'
te "ksource -s without a registry" 64 'ksource -t a -s avro -b 127.0.0.1:1' '' 'ksource: -s needs the schema registry: -r URL, or schema.registry.url in -F or -X'
te "ksource -s protobuf without a registry" 64 'ksource -t a -s key=protobuf -b 127.0.0.1:1' '' 'ksource: -s needs the schema registry'
te "ksource -r without -s" 64 'ksource -t a -r http://127.0.0.1:1' '' 'ksource: -r: the schema registry is for -s avro, protobuf or json'
t "ksource -s value=protobuf: an unreachable registry is 69, named" 0 'ksource -t a -s value=protobuf -r http://127.0.0.1:1/ -b 127.0.0.1:1 2>err; echo $?; sed "s/: Couldn.*//" err' '' '69
ksource: schema registry http://127.0.0.1:1'
te "ksource -s with -f" 64 'ksource -t a -s avro -f "%s\n"' '' 'ksource: -s writes decoded records as NDJSON or -J envelopes'
te "ksource -s with -L" 64 'ksource -L -s avro' '' 'ksource: -L takes only'
te "ksource: a registry URL that is not http" 64 'ksource -t a -s avro -r ftp://x -b 127.0.0.1:1' '' 'ksource: schema registry ftp://x: not an http:// or https:// URL'
te "ksource: unknown schema.registry property" 64 'ksource -t a -s avro -X schema.registry.nope=1' '' 'ksource: -X schema.registry.nope: unknown property schema.registry.nope'
te "ksource: the basic auth on the command line is warned about" 69 'ksource -t a -s avro -r http://127.0.0.1:1 -X schema.registry.basic.auth.user.info=u:p -b 127.0.0.1:1' '' 'ksource: warning: -X schema.registry.basic.auth.user.info: other users can read the command line'
t "ksource: an unreachable registry is 69 within seconds, named" 0 's=$(date +%s); ksource -t a -s avro -r http://127.0.0.1:1/ -b 127.0.0.1:1 >out 2>err; rc=$?; [ $(( $(date +%s) - s )) -le 6 ] && [ ! -s out ] && sed "s/: Couldn.*//" err && echo $rc' '' 'ksource: schema registry http://127.0.0.1:1
69'
t "ksource: the registry from the -F file" 0 'printf "schema.registry.url=http://127.0.0.1:1\n" > k.conf; ksource -t a -s avro -F k.conf -b 127.0.0.1:1 2>err; echo $?; sed "s/: Couldn.*//" err' '' '69
ksource: schema registry http://127.0.0.1:1'
te "ksink -s key=avro needs -k" 64 'ksink -t a -s key=avro -r http://127.0.0.1:1' '' 'ksink: -s key=avro encodes the -k field: give -k field'
te "ksink --key-schema without key=avro" 64 'ksink -t a -s avro --key-schema k.avsc' '' 'ksink: --key-schema and --key-subject go with -s key=avro'
te "ksink -s protobuf: not yet" 64 'ksink -t a -s value=protobuf' '' 'ksink: -s value=protobuf: protobuf in Confluent'"'"'s framing is not encoded yet; only avro is'
te "ksink --value-schema without -s" 64 'ksink -t a --value-schema x.avsc' '' 'ksink: --value-schema and --value-subject go with -s value=avro'
te "ksink -s with -J needs -t or the subject" 64 'ksink -J -s avro -r http://127.0.0.1:1' '' 'ksink: -J -s avro without -t: name the subject with --value-subject (and --key-subject for key=avro), as the envelopes'"'"' topics may differ'
te "ksink -s key=avro with -J needs -t or the key subject" 64 'ksink -J -s key=avro -s value=avro --value-subject v -r http://127.0.0.1:1' '' 'ksink: -J -s avro without -t: name the subject'
t "ksink -J -s avro with -t: no usage error (69: no registry there)" 0 'echo "{}" | ksink -J -t a -s key=avro -s value=avro -r http://127.0.0.1:1 -b 127.0.0.1:1 2>err; echo $?; sed "s/: Couldn.*//" err' '' '69
ksink: schema registry http://127.0.0.1:1'
t "ksink -J -s avro with the subjects named: no usage error" 0 'echo "{}" | ksink -J -s value=avro --value-subject v -r http://127.0.0.1:1 -b 127.0.0.1:1 2>err; echo $?; sed "s/: Couldn.*//" err' '' '69
ksink: schema registry http://127.0.0.1:1'
te "ksink -s without a registry" 64 'ksink -t a -s avro -b 127.0.0.1:1' '' 'ksink: -s avro needs the schema registry'
t "ksink: an unreachable registry is 69 within seconds, named" 0 's=$(date +%s); echo "{}" | ksink -t a -s avro -r http://127.0.0.1:1 -b 127.0.0.1:1 2>err; rc=$?; [ $(( $(date +%s) - s )) -le 6 ] && sed "s/: Couldn.*//" err && echo $rc' '' 'ksink: schema registry http://127.0.0.1:1
69'
te "ksource --avro-time: a value it does not name" 64 'ksource -t a -s avro --avro-time=iso' '' "ksource: --avro-time: 'iso' is not number or iso8601"
te "ksource --avro-unions: a value it does not name" 64 'ksource -t a -s avro --avro-unions=avro' '' "ksource: --avro-unions: 'avro' is not plain or wrapped"
te "ksource --avro-unions wrapped without -s avro" 64 'ksource -t a -s value=protobuf -s key=json --avro-unions=wrapped' '' 'ksource: --avro-unions wrapped and --avro-time iso8601 go with -s avro'
te "ksource --avro-time iso8601 without -s" 64 'ksource -t a --avro-time iso8601' '' 'ksource: --avro-unions wrapped and --avro-time iso8601 go with -s avro'
t "ksource --avro-unions plain --avro-time number: the defaults, with a key=avro" 0 'ksource -t a -s key=avro -s value=json --avro-unions wrapped --avro-unions plain --avro-time number -r http://127.0.0.1:1/ -b 127.0.0.1:1 2>err; echo $?; sed "s/: Couldn.*//" err' '' '69
ksource: schema registry http://127.0.0.1:1'
