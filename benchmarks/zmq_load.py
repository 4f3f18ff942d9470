"""Closed-loop load on the pipeline's request/reply endpoints, the ZeroMQ path beside
`/translate` in benchmarks/http.sh: CONCURRENCY texts in flight at all times, each sent as
soon as an answer comes back, for SECONDS; prints requests/s and p50/p99 latency in ms.

Usage: python3 zmq_load.py REQUESTS_EP REPLIES_EP TEXTS_FILE CONCURRENCY SECONDS
(pyzmq: Debian's python3-zmq)
"""
import os
import sys
import time

import zmq

requests_ep, replies_ep, texts_path, concurrency, seconds = sys.argv[1:6]
concurrency, seconds = int(concurrency), float(seconds)
texts = [line.rstrip("\n").encode() for line in open(texts_path, encoding="utf-8") if line.strip()]

context = zmq.Context()
routing_id = b"bench-" + os.urandom(6).hex().encode()
replies = context.socket(zmq.DEALER)
replies.setsockopt(zmq.ROUTING_ID, routing_id)
replies.connect(replies_ep)
requests = context.socket(zmq.DEALER)
requests.setsockopt(zmq.ROUTING_ID, routing_id)
requests.connect(requests_ep)
time.sleep(0.3)  # both connections up before the first request

sent_at = {}
latencies = []
next_text = 0


def send():
    global next_text
    client_id = str(next_text).encode()
    sent_at[client_id] = time.perf_counter()
    requests.send_multipart([client_id, texts[next_text % len(texts)]])
    next_text += 1


start = time.perf_counter()
for _ in range(concurrency):
    send()
while True:
    record = replies.recv()
    now = time.perf_counter()
    # The record's id is its first field: {"id":"N",...}
    client_id = record[7:record.index(b'"', 7)]
    latencies.append(now - sent_at.pop(client_id))
    if now - start < seconds:
        send()
    elif not sent_at:
        break
elapsed = time.perf_counter() - start
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f"{len(latencies) / elapsed:.0f} {pick(0.50):.2f} {pick(0.99):.2f}")
