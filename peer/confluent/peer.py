"""peer/confluent/peer.py - Confluent's Python client (confluent-kafka and
its AvroSerializer/AvroDeserializer, fastavro underneath) as a peer for the
Avro tests: what it writes, ksource must decode to the same values; what
ksink writes, it must decode to the values ksink was given.

  produce --topic T --schema FILE.avsc   NDJSON on stdin -> Avro records
  consume --topic T --count N            Avro records -> NDJSON on stdout
                                         (schemas with references too)
  compare A B                            the same values, line by line

The brokers are --bootstrap (or $KAFKA_BROKERS), the registry --registry.
Values cross as kappa-pipes' JSON mapping (ksource(1), AVRO): decimals as
exact numbers, bytes and fixed as base64, date/time/timestamp logical
types as the numbers Avro stores, unions as their plain value.
"""
import argparse
import base64
import datetime
import decimal
import json
import os
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

decimal.getcontext().prec = 80
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
EPOCH_NAIVE = datetime.datetime(1970, 1, 1)
PRIMS = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def named_types(schema, ns=None, out=None):
    """every named type of schema by full name and short name"""
    if out is None:
        out = {}
    if isinstance(schema, list):
        for s in schema:
            named_types(s, ns, out)
    elif isinstance(schema, dict):
        t = schema.get("type")
        if t in ("record", "error", "enum", "fixed"):
            name = schema["name"]
            nns = schema.get("namespace", ns)
            if "." in name:
                full = name
                nns = name.rsplit(".", 1)[0]
            else:
                full = nns + "." + name if nns else name
            out[full] = schema
            out[name] = schema
            for f in schema.get("fields", []):
                named_types(f["type"], nns, out)
        elif t == "array":
            named_types(schema["items"], ns, out)
        elif t == "map":
            named_types(schema["values"], ns, out)
        elif isinstance(t, (dict, list)):
            named_types(t, ns, out)
    return out


def refs_types(src, refs, out, seen=None):
    """the named types of the schemas refs reference, recursively, into
    out (the client's deserializer resolves them itself; this is only for
    to_json)"""
    seen = set() if seen is None else seen
    for r in refs or []:
        if (r.subject, r.version) in seen:
            continue
        seen.add((r.subject, r.version))
        rs = src.get_version(r.subject, r.version).schema
        refs_types(src, rs.references, out, seen)
        named_types(json.loads(rs.schema_str), out=out)
    return out


def resolve(s, names):
    if isinstance(s, str) and s not in PRIMS:
        return names[s]
    if isinstance(s, dict) and isinstance(s.get("type"), (dict, list)):
        return s["type"]
    if isinstance(s, dict) and s.get("type") in names and s["type"] not in PRIMS:
        return names[s["type"]]
    return s


def kind(s):
    return s if isinstance(s, str) else ("union" if isinstance(s, list) else s["type"])


def logical(s):
    return s.get("logicalType") if isinstance(s, dict) else None


def fits(s, v, names):
    s = resolve(s, names)
    k = kind(s)
    if v is None:
        return k == "null"
    if k == "boolean":
        return isinstance(v, bool)
    if k in ("int", "long"):
        return isinstance(v, int) and not isinstance(v, bool)
    if k in ("float", "double"):
        return isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool)
    if k in ("bytes", "fixed") and logical(s) == "decimal":
        return isinstance(v, (int, decimal.Decimal))
    if k in ("string", "bytes", "fixed", "enum"):
        return isinstance(v, str)
    if k == "array":
        return isinstance(v, list)
    if k in ("map", "record"):
        return isinstance(v, dict)
    return False


def from_json(s, v, names):
    """our JSON mapping -> the Python values the serializer takes"""
    s = resolve(s, names)
    k = kind(s)
    if k == "union":
        for b in s:
            if fits(b, v, names):
                return from_json(b, v, names)
        raise ValueError("no branch of %r fits %r" % (s, v))
    if v is None:
        return None
    lt = logical(s)
    if lt == "decimal":
        return decimal.Decimal(str(v))
    if k in ("float", "double"):
        return float(v)
    if k in ("bytes", "fixed"):
        return base64.b64decode(v)
    if k == "record":
        return {f["name"]: from_json(f["type"], v.get(f["name"]), names)
                for f in s["fields"]}
    if k == "array":
        return [from_json(s["items"], x, names) for x in v]
    if k == "map":
        return {a: from_json(s["values"], x, names) for a, x in v.items()}
    return v


def to_json(s, v, names):
    """the deserializer's Python values -> our JSON mapping"""
    s = resolve(s, names)
    k = kind(s)
    if k == "union":
        for b in s:
            rb = resolve(b, names)
            if v is None and kind(rb) == "null":
                return None
        for b in s:
            rb = resolve(b, names)
            if v is not None and kind(rb) != "null" and py_fits(rb, v):
                return to_json(rb, v, names)
        raise ValueError("no branch of %r for %r" % (s, v))
    if v is None:
        return None
    lt = logical(s)
    if isinstance(v, decimal.Decimal):
        return v
    if isinstance(v, datetime.datetime):
        unit = datetime.timedelta(milliseconds=1) if lt.endswith("millis") \
            else datetime.timedelta(microseconds=1)
        base = EPOCH if v.tzinfo is not None else EPOCH_NAIVE
        return (v - base) // unit
    if isinstance(v, datetime.date):
        return (v - datetime.date(1970, 1, 1)).days
    if isinstance(v, datetime.time):
        us = ((v.hour * 60 + v.minute) * 60 + v.second) * 1000000 + v.microsecond
        return us // 1000 if lt == "time-millis" else us
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if k == "record":
        return {f["name"]: to_json(f["type"], v[f["name"]], names)
                for f in s["fields"]}
    if k == "array":
        return [to_json(s["items"], x, names) for x in v]
    if k == "map":
        return {a: to_json(s["values"], x, names) for a, x in v.items()}
    if isinstance(v, float):
        return decimal.Decimal(repr(v))
    return v


def py_fits(s, v):
    k = kind(s)
    lt = logical(s)
    if lt == "decimal":
        return isinstance(v, decimal.Decimal)
    if lt in ("timestamp-millis", "timestamp-micros", "local-timestamp-millis",
              "local-timestamp-micros"):
        return isinstance(v, (datetime.datetime, int))
    if lt == "date":
        return isinstance(v, (datetime.date, int))
    if lt in ("time-millis", "time-micros"):
        return isinstance(v, (datetime.time, int))
    if lt == "uuid":
        return isinstance(v, (uuid.UUID, str))
    return {
        "boolean": lambda: isinstance(v, bool),
        "int": lambda: isinstance(v, int) and not isinstance(v, bool),
        "long": lambda: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda: isinstance(v, float),
        "double": lambda: isinstance(v, float),
        "bytes": lambda: isinstance(v, (bytes, bytearray)),
        "fixed": lambda: isinstance(v, (bytes, bytearray)) and len(v) == s["size"],
        "string": lambda: isinstance(v, str),
        "enum": lambda: isinstance(v, str) and v in s["symbols"],
        "array": lambda: isinstance(v, list),
        "map": lambda: isinstance(v, dict),
        "record": lambda: isinstance(v, dict),
    }.get(k, lambda: False)()


def dumps(v):
    """JSON with Decimals written exactly"""
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    if isinstance(v, decimal.Decimal):
        return str(v) if "E" not in str(v) else format(v, "f")
    return json.dumps(v)


def produce(a):
    text = open(a.schema).read()
    schema = json.loads(text)
    names = named_types(schema)
    # a timeout, so that a request the registry leaves unanswered is
    # retried; the topic's subject named directly (TopicNameStrategy),
    # without the client's default ASSOCIATED lookup (see pb.py)
    src = SchemaRegistryClient({"url": a.registry, "timeout": 10})
    ser = AvroSerializer(src, text,
                         conf={"subject.name.strategy.type": "TOPIC"})
    p = Producer({"bootstrap.servers": a.bootstrap})
    n = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        v = from_json(schema, json.loads(line, parse_float=decimal.Decimal), names)
        p.produce(a.topic, ser(v, SerializationContext(a.topic, MessageField.VALUE)))
        n += 1
    if p.flush(30) != 0:
        sys.exit("peer.py: records not delivered")
    print("peer.py: produced %d" % n, file=sys.stderr)


def consume(a):
    src = SchemaRegistryClient({"url": a.registry, "timeout": 10})
    de = AvroDeserializer(src)
    c = Consumer({"bootstrap.servers": a.bootstrap, "group.id": "peer-%d" % os.getpid(),
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([a.topic])
    n = 0
    cache = {}
    idle = 0
    while n < a.count and idle < 60:
        m = c.poll(1.0)
        if m is None:
            idle += 1
            continue
        if m.error():
            sys.exit("peer.py: %s" % m.error())
        idle = 0
        raw = m.value()
        sid = int.from_bytes(raw[1:5], "big")
        if sid not in cache:
            sc = src.get_schema(sid)
            s = json.loads(sc.schema_str)
            cache[sid] = (s, refs_types(src, sc.references, named_types(s)))
        s, names = cache[sid]
        v = de(raw, SerializationContext(a.topic, MessageField.VALUE))
        print(dumps(to_json(s, v, names)), flush=True)
        n += 1
    c.close()
    if n < a.count:
        sys.exit("peer.py: %d of %d records" % (n, a.count))


def compare(a):
    def load(f):
        return [json.loads(x, parse_float=decimal.Decimal, parse_int=decimal.Decimal)
                for x in open(f) if x.strip()]
    x, y = load(a.a), load(a.b)
    if len(x) != len(y):
        sys.exit("peer.py: %s has %d records, %s %d" % (a.a, len(x), a.b, len(y)))
    for i, (u, v) in enumerate(zip(x, y)):
        if u != v:
            sys.exit("peer.py: record %d differs:\n  %s\n  %s" % (i + 1, dumps(u), dumps(v)))
    print("peer.py: %d records the same" % len(x), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["produce", "consume", "compare"])
    ap.add_argument("a", nargs="?")
    ap.add_argument("b", nargs="?")
    ap.add_argument("--topic")
    ap.add_argument("--schema")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--registry")
    ap.add_argument("--bootstrap", default=os.environ.get("KAFKA_BROKERS", "localhost:9092"))
    a = ap.parse_args()
    {"produce": produce, "consume": consume, "compare": compare}[a.mode](a)


if __name__ == "__main__":
    main()
