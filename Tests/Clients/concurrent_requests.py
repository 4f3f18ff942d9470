"""200 concurrent HTTP requests to /translate, each from a thread of its own.

Usage: python concurrent_requests.py URL TEXTS.json OUT.json
TEXTS.json is a list of texts; OUT.json gets, per text in order, [status, translatedText or error].
"""
import json
import sys
import threading
import urllib.error
import urllib.request

url, texts_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
texts = json.load(open(texts_path, encoding="utf-8"))
results = [None] * len(texts)
start = threading.Barrier(len(texts))


def ask(index):
    body = json.dumps({"q": texts[index], "source": "en", "target": "fr"}).encode()
    request = urllib.request.Request(url + "translate", data=body, headers={"Content-Type": "application/json"})
    start.wait()
    try:
        answer = json.loads(urllib.request.urlopen(request, timeout=120).read().decode())
        results[index] = [200, answer["translatedText"]]
    except urllib.error.HTTPError as error:
        results[index] = [error.code, error.read().decode()]
    except Exception as error:  # noqa: BLE001 - reported to the test
        results[index] = [0, repr(error)]


threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(texts))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
json.dump(results, open(out_path, "w", encoding="utf-8"), ensure_ascii=False)
