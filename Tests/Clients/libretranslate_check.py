"""LibreTranslate's own Python client (libretranslatepy, from PyPI) against `seq2seq up --http`.

Usage: python libretranslate_check.py URL API_KEY EXPECTED.json MAX_CHARS
EXPECTED.json maps each text to what `seq2seq translate` gives for it. Prints one line per
check and exits non-zero at the first that fails.
"""
import html
import json
import sys
import urllib.error
import urllib.request

from libretranslatepy import LibreTranslateAPI

url, key, expected_path, max_chars = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
expected = json.load(open(expected_path, encoding="utf-8"))
texts = list(expected)
client = LibreTranslateAPI(url, api_key=key)


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"), flush=True)
    if not condition:
        sys.exit(1)


def refusal(call):
    """The status and the error message of a call that must fail."""
    try:
        result = call()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode()).get("error", "")
    return 200, result


def post_json(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=60).read().decode())


for text in texts:
    got = client.translate(text, "en", "fr", timeout=60)
    check(f"translate {text!r}", got == expected[text], f"{got!r} != {expected[text]!r}")

# libretranslatepy's translate() sends q as a form string; an array q goes as JSON, as
# LibreTranslate's other clients send it.
got = post_json("translate", {"q": texts, "source": "en", "target": "fr", "api_key": key})
check("translate an array q", got == {"translatedText": [expected[t] for t in texts]}, got)

got = post_json("translate", {"q": texts[0], "source": "auto", "target": "fr", "api_key": key})
check("translate with source auto", got.get("translatedText") == expected[texts[0]] and got.get("detectedLanguage", {}).get("language") == "en", got)

got = post_json("translate", {"q": f"<p class=\"a\">{texts[0]}</p>\n<br/>", "source": "en", "target": "fr", "format": "html", "api_key": key})
# The translation is text in HTML: escaped (the golden model's translations may hold "<unk>").
check("translate html", got == {"translatedText": f"<p class=\"a\">{html.escape(expected[texts[0]], quote=False)}</p>\n<br/>"}, got)

languages = client.languages(timeout=60)
check("languages", [(l["code"], l["targets"]) for l in languages] == [("en", ["fr"]), ("fr", [])], languages)

detected = client.detect("Hello world", timeout=60)
check("detect", detected[0]["language"] == "en" and 0 <= detected[0]["confidence"] <= 100, detected)

status, message = refusal(lambda: LibreTranslateAPI(url, api_key="not-a-key").translate(texts[0], "en", "fr", timeout=60))
check("a bad key is refused", (status, message) == (403, "Invalid API key"), (status, message))

status, message = refusal(lambda: LibreTranslateAPI(url).translate(texts[0], "en", "fr", timeout=60))
check("no key is refused", status == 403, (status, message))

status, message = refusal(lambda: client.translate(texts[0], "en", "de", timeout=60))
check("an unsupported language is refused", (status, message) == (400, "de is not supported"), (status, message))

long_text = "go . " * (max_chars // 5 + 1)
status, message = refusal(lambda: client.translate(long_text, "en", "fr", timeout=60))
check("an over-long text is refused", status == 400 and "exceeds text limit" in message, (status, message))
print("libretranslatepy: all checks passed")
