#!/usr/bin/env python3
"""Acknowledged submission and delivery with plain pyzmq (see docs/PROTOCOL.md).

    python3 docs/acked_client.py SUBMIT_ENDPOINT DELIVER_ENDPOINT < lines.txt > translations.txt

Submits each line of standard input as [id, text] (ids: line numbers from 1), sends again
what has had no answer for 2 s, and prints the translation of each accepted line as its
record arrives on the deliver endpoint, acknowledging each record once printed. A record
that comes again (after a sink restart) is acknowledged and not printed twice.
"""
import json
import sys
import time

import zmq

submit_endpoint, deliver_endpoint = sys.argv[1:3]
context = zmq.Context()
submit = context.socket(zmq.DEALER)
submit.connect(submit_endpoint)
deliver = context.socket(zmq.DEALER)
deliver.connect(deliver_endpoint)
poller = zmq.Poller()
poller.register(submit, zmq.POLLIN)
poller.register(deliver, zmq.POLLIN)

unanswered = {str(n).encode(): line for n, line in enumerate(sys.stdin.buffer.read().splitlines(), 1)}
for client_id, text in unanswered.items():
    submit.send_multipart([client_id, text])
accepted, printed, seen = 0, 0, set()
last_answer, last_ready = time.monotonic(), 0.0
while unanswered or printed < accepted:
    now = time.monotonic()
    if now - last_ready >= 0.5:  # announce the window; also the heartbeat
        deliver.send_multipart([b"ready", b"1000"])
        last_ready = now
    if unanswered and now - last_answer >= 2:  # no answer for a while: send the rest again
        for client_id, text in unanswered.items():
            submit.send_multipart([client_id, text])
        last_answer = now
    events = dict(poller.poll(100))
    if submit in events:
        status, *answer = submit.recv_multipart()
        last_answer = time.monotonic()
        if status == b"accepted":  # ["accepted", id, id, ...]
            accepted += sum(unanswered.pop(client_id, None) is not None for client_id in answer)
        elif unanswered.pop(answer[0], None) is not None:  # ["rejected", id, reason]
            print(f"line {answer[0].decode()} rejected: {answer[1].decode()}", file=sys.stderr)
    if deliver in events:
        record_id, record, floor = deliver.recv_multipart()
        sequence = int.from_bytes(record_id[8:], "big")
        if record_id not in seen and sequence >= int.from_bytes(floor, "big"):
            seen.add(record_id)
            print(json.loads(record).get("translation", ""), flush=True)
            printed += 1
        deliver.send_multipart([b"ack", record_id])
deliver.setsockopt(zmq.LINGER, 2000)  # let the last acknowledgements go out
