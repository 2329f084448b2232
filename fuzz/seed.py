#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the project's fixtures (run by run.sh).

The corpora are generated, not committed: each run starts from the
fixtures as they are. Inputs are capped at 4 KB so that libFuzzer's
max_len stays small and executions fast.
"""
import glob
import hashlib
import io
import json
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CAP = 4 * 1024


def fixture(pattern):
    for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
        with open(path, "rb") as f:
            yield os.path.basename(path), f.read()


def put(target, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    data = data[:CAP]
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def warc(kind, i, block, content_type=None):
    if content_type is None:
        content_type = "application/http; msgtype=" + ("request" if kind == "request" else "response")
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://clinic.example/{i}\r\n"
            f"WARC-Date: 2026-11-01T00:00:00Z\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def utf8_cut(data):
    return data.decode("utf-8", "ignore").encode("utf-8")


def main():
    texts = [d for _, d in fixture("fixtures/pages/*.txt")] + [d for _, d in fixture("fixtures/labeled/*.txt")][:12]
    texts += [d for _, d in fixture("fixtures/formats/*.txt")]
    for data in texts:
        put("plain", data)
        put("decode", b"\x00" + data)
        text = data.decode("utf-8", "replace")
        for mode, codec in [(0, "shift_jis"), (1, "shift_jis"), (2, "euc_jp"), (0, "utf-16"), (4, "utf-16-le"),
                            (0, "utf-16-le"), (0, "utf-32"), (6, "iso2022_jp")]:
            put("decode", bytes([mode]) + text[:2000].encode(codec, "replace"))
        put("suppress", b"\x00" + b"<!-- iryolint-disable-next-line -->\n" + utf8_cut(data[:4000]))
    # Pages built around the text fixtures, with the markup that once hid
    # text or crashed.
    for i, data in enumerate(texts[:10]):
        paragraphs = [p for p in utf8_cut(data[:3000]).split(b"\n") if p.strip()]
        body = b"".join(b"<p>" + p + b"</p>\n" for p in paragraphs)
        put("html", b"<!doctype html><html><head><meta charset=\"utf-8\"><title>" + paragraphs[0][:60] +
            b"</title><meta name=\"description\" content=\"" + paragraphs[-1][:90] + b"\"><script>var s=\"<!-- x -->\";"
            b"</script></head><body><ruby>\xe6\xbc\xa2<rt>\xe3\x81\x8b\xe3\x82\x93</ruby>" + body +
            b"<img alt=\"" + paragraphs[0][:60] + b"\"><textarea>t</textarea></body></html>")
        put("markdown", b"---\ntitle: '" + paragraphs[0][:60] + b"'\ndescription: >\n  " + paragraphs[-1][:90] +
            b"\n---\n# " + paragraphs[0][:40] + b"\n\n" + b"\n\n".join(paragraphs[1:]) +
            b"\n\n<!--\nhidden\n-->\n\n```\ncode\n```\n\n- item\n\n| a | b |\n|---|---|\n| c | d |\n")
    for _, data in fixture("fixtures/formats/*.html"):
        put("html", data)
        put("suppress", b"\x01" + b"<!-- iryolint-disable safety-claim -->" + data + b"<!-- iryolint-enable -->")
    for _, data in fixture("fixtures/formats/*.md"):
        put("markdown", data)
        put("markdown", b"---\ntitle: \"\xe5\xbf\x85\xe3\x81\x9a\xe6\xb2\xbb\xe3\x82\x8a\xe3\x81\xbe\xe3\x81\x99\n---\n" + data)
        put("suppress", b"\x02" + b"<!--\niryolint-disable-file test-mild\n-->\n" + data)
    for _, data in fixture("fixtures/formats/*.docx"):
        put("docx", b"\x00" + data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            put("docx", b"\x01" + z.read("word/document.xml"))
    for _, data in fixture("rules/*.toml"):
        # One rule per seed: whole files are large and slow to compile.
        for chunk in data.split(b"\n[[rule]]")[1:40]:
            put("rules", b"[[rule]]" + chunk)
    for _, data in fixture("tests/data/*.toml"):
        put("rules", data)
    # Crawl streams: JSON Lines records (mode byte even) and WARC records
    # (odd) around the HTML and text fixtures.
    pages = [d for _, d in fixture("fixtures/formats/*.html")] + texts[:4]
    for i, data in enumerate(pages[:6]):
        page = utf8_cut(data[:1500]).decode("utf-8")
        lines = [json.dumps({"id": f"p{i}", "content": page, "format": "html" if i % 2 == 0 else "text"},
                            ensure_ascii=i % 3 == 0),
                 json.dumps({"url": f"https://clinic.example/{i}", "content": page,
                             "content_type": "text/html; charset=utf-8"}),
                 '{"id": 7, "content": null}', '', 'not json']
        put("stream", b"\x00" + "\n".join(lines).encode())
        body = page.encode("shift_jis", "replace") if i % 2 else page.encode()
        charset = "shift_jis" if i % 2 else "utf-8"
        http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        put("stream", b"\x01" + warc("request", i, b"GET / HTTP/1.1\r\nHost: clinic.example\r\n\r\n")
            + warc("response", i, http) + warc("resource", i, body, "text/html"))
    put("config", b"")
    put("config", b'lang = "ja"\nfail-on = "error"\nselect = ["safety-claim"]\nignore = ["inducement"]\n'
                  b'include = ["content/**/*.md"]\nexclude = ["**/drafts/**"]\nextend-rules = ["team.toml"]\n'
                  b'max-file-size = "8M"\nmax-docx-size = 1048576\nmax-findings = 0\n'
                  b'[severity]\ninducement = "warning"\n[[products]]\nid = "p"\nname = "P"\nstatus = "unapproved"\naliases = ["p"]\n')
    with open(os.path.join(ROOT, "src", "config.rs"), encoding="utf-8") as f:
        source = f.read()
    starter = source.split('pub const STARTER: &str = r#"', 1)[1].split('"#;', 1)[0]
    put("config", starter.encode())
    put("baseline", b'{"version":1,"findings":[]}')
    put("baseline", b'{"version":1,"findings":[{"path":"a.txt","rule":"test-guarantee","text":"x",'
                    b'"fingerprint":"0123456789abcdef","loose":"fedcba9876543210"}]}')


if __name__ == "__main__":
    main()
