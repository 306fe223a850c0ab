"""The tutorial's euro job as a PyFlink Table API program, for running
side by side with kappa-pipes on the same broker (see README.md here).

    python euro_job.py --bootstrap HOST:PORT --jar JAR [--mode event|proc]
        [--delay SECONDS] [--topic sales-usd] [--sink sales-euros-flink]
        [--late-topic T] [--trace-topic T] [--parallelism N]
        [--emit on-event|on-periodic] [--startup MODE] [--explain]

--mode event: the replay, on event time. ts = TO_TIMESTAMP_LTZ(sale_ts, 3),
    WATERMARK ts - INTERVAL 'delay' SECOND, TUMBLE window TVF of 6 s, bounded
    (scan.bounded.mode = latest-offset): the job ends when it has read what
    the topic held at its start, with a final MAX watermark closing every
    window. --late-topic also writes each record that the window drops
    (behind the watermark when it arrives) with its partition and offset;
    --trace-topic every record in the order the source read it.
--mode proc: the tutorial's job as it was written, PROCTIME() and the
    legacy TUMBLE group window, unbounded, from the latest offset.

Only SQL runs: no Python function is called per record, so the job runs
in Flink's JVM (a local MiniCluster) and Python only submits it.
"""

import argparse
import os
import sys

from pyflink.table import EnvironmentSettings, TableEnvironment


def source_ddl(a):
    if a.mode == "event":
        time_cols = (
            "  ts AS TO_TIMESTAMP_LTZ(sale_ts, 3),\n"
            "  WATERMARK FOR ts AS ts - INTERVAL '%s' SECOND\n" % a.delay
        )
        bounded = (
            "  'scan.startup.mode' = 'earliest-offset',\n"
            "  'scan.bounded.mode' = 'latest-offset',\n"
            "  'scan.watermark.emit.strategy' = '%s',\n" % a.emit
        )
    else:
        time_cols = "  proctime AS PROCTIME()\n"
        bounded = "  'scan.startup.mode' = '%s',\n" % a.startup
    return (
        "CREATE TABLE sales_usd (\n"
        "  seller_id VARCHAR,\n"
        "  amount_usd DOUBLE,\n"
        "  sale_ts BIGINT,\n"
        "  `partition` INT METADATA VIRTUAL,\n"
        "  `offset` BIGINT METADATA VIRTUAL,\n"
        + time_cols
        + ") WITH (\n"
        "  'connector' = 'kafka',\n"
        "  'topic' = '%s',\n"
        "  'properties.bootstrap.servers' = '%s',\n"
        "  'properties.group.id' = 'flink-euro-job',\n" % (a.topic, a.bootstrap)
        + bounded
        + "  'format' = 'json'\n"
        ")"
    )


def sink_ddl(name, topic, cols, bootstrap, extra=""):
    return (
        "CREATE TABLE %s (\n  %s\n) WITH (\n"
        "  'connector' = 'kafka',\n"
        "  'topic' = '%s',\n"
        "  'properties.bootstrap.servers' = '%s',\n"
        "%s"
        "  'format' = 'json'\n"
        ")" % (name, ",\n  ".join(cols), topic, bootstrap, extra)
    )


# The tutorial's rows: seller_id, window_end, window_sales.
EVENT_QUERY = """
INSERT INTO sales_euros
SELECT seller_id, window_end, SUM(amount_usd) * 0.85 AS window_sales
FROM TABLE(TUMBLE(TABLE sales_usd, DESCRIPTOR(ts), INTERVAL '6' SECOND))
GROUP BY window_start, window_end, seller_id
"""

PROC_QUERY = """
INSERT INTO sales_euros
SELECT seller_id,
       TUMBLE_END(proctime, INTERVAL '6' SECOND) AS window_end,
       SUM(amount_usd) * 0.85 AS window_sales
FROM sales_usd
GROUP BY TUMBLE(proctime, INTERVAL '6' SECOND), seller_id
"""

# A record is dropped by the window operator when the watermark it sees
# has passed the end of its window: window_end - 1 ms <= watermark (the
# window operator's own test). The filter sits on the same source, so in a
# job of parallelism 1 it sees the same watermarks in the same order.
LATE_QUERY = """
INSERT INTO sales_late
SELECT `partition`, `offset`, seller_id, amount_usd, sale_ts
FROM sales_usd
WHERE CURRENT_WATERMARK(ts) IS NOT NULL
  AND TO_TIMESTAMP_LTZ(sale_ts - MOD(sale_ts, 6000) + 5999, 3)
      <= CURRENT_WATERMARK(ts)
"""


# Every record in the order the source hands it on, with the watermark the
# operators see when it arrives, into partition 0 of the trace topic (one
# sink task, the fixed partitioner): window-agg fed this order must drop
# exactly the records Flink drops.
TRACE_QUERY = """
INSERT INTO sales_trace
SELECT `partition`, `offset`, seller_id, amount_usd, sale_ts,
       CURRENT_WATERMARK(ts) AS `watermark`
FROM sales_usd
"""


def main():
    p = argparse.ArgumentParser(description="the tutorial's euro job on Flink")
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--mode", choices=("event", "proc"), default="event")
    p.add_argument("--topic", default="sales-usd")
    p.add_argument("--sink", default="sales-euros-flink")
    p.add_argument("--late-topic", default="")
    p.add_argument("--trace-topic", default="")
    p.add_argument("--delay", default="2", help="watermark delay, seconds")
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--emit", choices=("on-event", "on-periodic"),
                   default="on-event")
    p.add_argument("--startup", default="latest-offset",
                   help="proc mode: scan.startup.mode")
    p.add_argument("--jar", required=True,
                   help="the flink-sql-connector-kafka jar")
    p.add_argument("--explain", action="store_true")
    a = p.parse_args()

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    conf = env.get_config()
    conf.set("parallelism.default", str(a.parallelism))
    conf.set("table.local-time-zone", "UTC")
    conf.set("pipeline.name", "euro-job-%s" % a.mode)
    conf.set("pipeline.jars", "file://" + os.path.abspath(a.jar))
    env.execute_sql(source_ddl(a))
    env.execute_sql(sink_ddl(
        "sales_euros", a.sink,
        ["seller_id VARCHAR", "window_end TIMESTAMP(3)",
         "window_sales DOUBLE"], a.bootstrap))
    stmts = env.create_statement_set()
    stmts.add_insert_sql(EVENT_QUERY if a.mode == "event" else PROC_QUERY)
    if a.late_topic:
        if a.mode != "event":
            p.error("--late-topic needs --mode event")
        env.execute_sql(sink_ddl(
            "sales_late", a.late_topic,
            ["`partition` INT", "`offset` BIGINT", "seller_id VARCHAR",
             "amount_usd DOUBLE", "sale_ts BIGINT"], a.bootstrap))
        stmts.add_insert_sql(LATE_QUERY)
    if a.trace_topic:
        if a.mode != "event" or a.parallelism != 1:
            p.error("--trace-topic needs --mode event --parallelism 1")
        env.execute_sql(sink_ddl(
            "sales_trace", a.trace_topic,
            ["`partition` INT", "`offset` BIGINT", "seller_id VARCHAR",
             "amount_usd DOUBLE", "sale_ts BIGINT",
             "`watermark` TIMESTAMP(3) WITH LOCAL TIME ZONE"], a.bootstrap,
            "  'sink.partitioner' = 'fixed',\n"))
        stmts.add_insert_sql(TRACE_QUERY)
    if a.explain:
        print(stmts.explain())
        return 0
    stmts.execute().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
