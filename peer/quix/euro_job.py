"""euro_job.py: the tutorial's job on Quix Streams (peer/quix/README.md).

Tumbling 6 s windows of sum(amount_usd) per seller_id (the message key) on
event time (sale_ts), a window closing once the partition's stream time is
--grace ms past its end; each closed window as
{"seller_id","window_end","window_sales": sum * 0.85} into --sink, with
exactly-once processing (Kafka transactions). Reads --topic from the
earliest offset and stops after --idle seconds without a message.
"""

import argparse
import os
import tempfile
import time

from quixstreams import Application


def end_text(ms):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms // 1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topic", required=True)
    ap.add_argument("--sink", required=True)
    ap.add_argument("--grace", type=int, default=2000, help="ms")
    ap.add_argument("--idle", type=float, default=5.0, help="s")
    ap.add_argument("--group", default="quix-euros-%d" % os.getpid())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as state:
        app = Application(
            broker_address=os.environ["KAFKA_BROKERS"],
            consumer_group=a.group,
            auto_offset_reset="earliest",
            processing_guarantee="exactly-once",
            state_dir=state,
            loglevel="WARNING",
        )
        src = app.topic(
            a.topic, value_deserializer="json", key_deserializer="str",
            timestamp_extractor=lambda v, h, ts, tst: int(v["sale_ts"]))
        sink = app.topic(a.sink, value_serializer="json",
                         key_serializer="str")
        sdf = app.dataframe(src)
        sdf = sdf.apply(lambda v: v["amount_usd"])
        sdf = sdf.tumbling_window(duration_ms=6000, grace_ms=a.grace)
        sdf = sdf.sum().final(closing_strategy="partition")
        sdf = sdf.apply(
            lambda w, key, ts, headers: {
                "seller_id": key,
                "window_end": end_text(w["end"]),
                "window_sales": w["value"] * 0.85,
            },
            metadata=True)
        sdf.to_topic(sink)
        app.run(sdf, timeout=a.idle, collect=False)


if __name__ == "__main__":
    main()
