# A Schema Registry that has answered once and then has a passing fault
# (an answer that is 503, one that never comes within the time of a
# request, a dropped connection): ksink and ksource ask again after 1, 2
# and 4 s, as Confluent's clients do, say so on stderr, and carry on.
# A registry still failing after the fourth try is exit 69 naming it; a
# registry that never answered at the start is exit 69 at once (avro.sh).
# The registry here is a small one of Python's standard library, with
# faults on request: CI's Apicurio once left a schema's registration
# unanswered for the whole 30 s a request had, and the job ended 69.
# On a private mock cluster.
# needs: kafka-mock ksink ksource
. "$T/kafka/ksink.subr"
mock_start
trap 'kill $mock $reg 2>/dev/null; :' EXIT
mock_topic sr 1

# the registry: faults to come are lines in the file faults, each taken
# by one request: "503", "hang" (no answer for 20 s), "drop" (the
# connection closed with no answer)
: > faults
/usr/bin/python3 - > reg.log 2>&1 <<'X' &
import http.server, json, os, time
ids = {}
def fault():
    with open("faults") as f:
        lines = f.read().split()
    if not lines:
        return None
    with open("faults", "w") as f:
        f.write("\n".join(lines[1:]))
    return lines[0]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        print(self.command, self.path, flush=True)
    def answer(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def go(self, body):
        f = fault() if self.path != "/subjects" else None
        if f == "503":
            return self.answer(503, {"error_code": 50301, "message": "busy"})
        if f == "hang":
            time.sleep(20)
            return
        if f == "drop":
            self.close_connection = True
            return
        if self.path == "/subjects":
            return self.answer(200, sorted(set(s for s, _ in ids.values())))
        if self.path.startswith("/schemas/ids/"):
            i = int(self.path.rsplit("/", 1)[1])
            return self.answer(200, {"schema": ids[i][1]})
        if self.command == "POST" and self.path.endswith("/versions"):
            s = json.loads(body)["schema"]
            subj = self.path.split("/")[2]
            for i, (t, v) in ids.items():
                if (t, v) == (subj, s):
                    return self.answer(200, {"id": i})
            ids[len(ids) + 1] = (subj, s)
            return self.answer(200, {"id": len(ids)})
        self.answer(404, {"error_code": 40401, "message": "no " + self.path})
    def do_GET(self):
        self.go(None)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.go(self.rfile.read(n))
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open("port.tmp", "w").write(str(s.server_port)); os.rename("port.tmp", "port")
s.serve_forever()
X
reg=$!
i=0
until [ -s port ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the registry did not start: $(cat reg.log)"
	sleep 0.1
done
R=http://127.0.0.1:$(cat port)
cat > s.avsc <<'X'
{"type":"record","name":"Click","fields":[{"name":"page","type":"string"},{"name":"ms","type":"long"}]}
X
printf '{"page":"/a","ms":1}\n{"page":"/b","ms":2}\n' > in

# a 503 and a dropped connection on the registration (twice: curl asks
# once more by itself on a kept connection): asked again, sent
printf '503\ndrop\ndrop\n' > faults
ksink -t sr -b "$B" -s value=avro -r "$R" --value-schema s.avsc < in 2> err ||
	fail "ksink: $(cat err)"
grep -q "schema registry $R: a busy answer on /subjects/sr-value/versions; asking again in 1 s" err ||
	fail "ksink's first retry: $(cat err)"
grep -q "asking again in 2 s" err || fail "ksink's second retry: $(cat err)"
[ ! -s faults ] || fail "faults left: $(cat faults)"

# a request with no answer: asked again once its time (15 s) is out
echo hang > faults
ksource -t sr -b "$B" -e -s value=avro -r "$R" > got 2> err || fail "ksource: $(cat err)"
cmp in got || fail "read back: $(cat got)"
grep -q "Timeout was reached on /schemas/ids/1; asking again in 1 s" err ||
	fail "ksource's retry: $(cat err)"

# still failing after the fourth try: 69, naming the registry
printf '503\n503\n503\n503\n' > faults
rc=0
ksource -t sr -b "$B" -e -s value=avro -r "$R" > got 2> err || rc=$?
[ $rc -eq 69 ] || fail "four 503s: exit $rc: $(cat err)"
[ "$(grep -c 'asking again' err)" -eq 3 ] || fail "four 503s: $(cat err)"
grep -q "schema registry $R: HTTP 503 on /schemas/ids/1: " err || fail "four 503s: $(cat err)"
echo "a 503, a dropped connection and a request unanswered for 15 s asked again; four 503s exit 69"
