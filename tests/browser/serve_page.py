#!/usr/bin/env python3
"""Drives the page of `iryolint serve` in headless Chromium, as a writer would.

Starts `iryolint serve --port 0` (any free port), opens the page in Debian's
Chromium through Playwright, and checks:

1. pasting copy with known violations highlights exactly the characters the
   command line reports for the same text (`iryolint check --format json`),
   each in its severity's colour, with one exact span checked by hand
   (副作用は一切ありません → safety-claim);
2. hovering shows an explanation; clicking a highlight pins it with the
   rule's help, legal basis and examples;
3. the side list jumps to a finding and selects its text in the editor;
4. the disclosure checklist shows the missing items the report lists;
5. the English switch re-checks with English messages;
6. the Markdown report button copies a report of every finding;
7. pasting compliant copy leaves no highlight and a complete checklist;
8. typing re-checks once the writer pauses (debounced);
9. a .docx opened with the button and an .html file dropped on the page
   are highlighted at the command line's spans for those files.

Exit codes: 0 passed, 1 failed, 77 skipped (no Playwright or no Chromium).
With --screenshots DIR it also writes serve-ja.png and serve-en.png there.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77

VIOLATING = """ひざ再生クリニック　エクソソーム点滴のご案内

当院のエクソソーム点滴なら、長年のひざの痛みも必ず治ります。
副作用は一切ありません。
県内No.1の症例数を誇る、日本一の再生医療クリニックです。
今だけ初回限定で半額！お早めにご予約ください。
「一度の点滴で階段が楽になりました」（70代女性）
当院では、脂肪吸引で取った脂肪を胸へ移す豊胸も行っています。
"""

COMPLIANT = """ひざの痛みに対するエクソソーム点滴について

本治療は保険適用外の自由診療です。
治療内容：腕の静脈から、エクソソーム製剤を約30分かけて点滴します。
費用：1回 110,000円（税込）。
治療期間・回数：4週間おきに3回が目安です。
主なリスク・副作用：点滴した部位の痛み、内出血、だるさが出ることがあります。
本治療で使うエクソソーム製剤は、医薬品医療機器等法の承認を受けていない未承認医薬品です。
入手経路：国内の製造元から、院長の判断で仕入れています。
国内の承認医薬品等の有無：同一の成分をもつ国内承認医薬品はありません。
諸外国における安全性等に係る情報：承認している主要国はなく、重大なリスクが明らかになっていない可能性があります。
医薬品副作用被害救済制度：重い副作用が起きた場合も、救済制度の対象外です。
"""

# A phrase split by a tag: the highlight spans the source across it.
HTML_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>ひざの治療</title></head>
<body>
<h1>ひざの治療</h1>
<p><strong>日本</strong>一の症例数を誇るクリニックです。</p>
<p>副作用は一切ありません。</p>
</body></html>
"""

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(SKIP)


def step(message):
    print(f"- {message}", flush=True)


def utf16_index(text, byte_offset):
    """The JavaScript string index of a byte offset into UTF-8 `text`."""
    prefix = text.encode("utf-8")[:byte_offset].decode("utf-8")
    return len(prefix.encode("utf-16-le")) // 2


def cli_report(binary, text, lang):
    out = subprocess.run(
        [binary, "--no-config", "check", "--format", "json", "--lang", lang, "--input-format", "text",
         "--encoding", "utf-8", "-"],
        input=text.encode("utf-8"), capture_output=True, check=False,
    )
    assert out.returncode in (0, 1), out.stderr.decode()
    return json.loads(out.stdout)


def cli_file(binary, workdir, name):
    out = subprocess.run([binary, "--no-config", "check", "--format", "json", "--lang", "ja", name],
                         cwd=workdir, capture_output=True, check=False)
    assert out.returncode in (0, 1), out.stderr.decode()
    return json.loads(out.stdout)


def shoot(page, report, path):
    """A screenshot with the explanation of the last line's finding pinned,
    so that the card sits below the copy rather than over it."""
    last = max(range(len(report["findings"])), key=lambda i: report["findings"][i]["start"]["offset"])
    page.keyboard.press("Escape")
    box = page.locator(f'#backdrop mark[data-f~="{last}"]').first.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + box["height"] / 2)
    page.wait_for_selector("#card.pinned:not([hidden])", timeout=5000)
    page.screenshot(path=path)


def cli_rules(binary):
    out = subprocess.run([binary, "--no-config", "rules", "--format", "json"], capture_output=True, check=True)
    return {r["id"]: r for r in json.loads(out.stdout)["rules"]}


def start_server(binary, workdir):
    proc = subprocess.Popen(
        [binary, "--no-config", "serve", "--port", "0"],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"serve did not print its address: {line!r} {proc.stderr.read()}")
    return proc, match.group(1)


# Every highlighted character in the page, by finding index: a list of
# (start, end, text) pieces in JavaScript string indices.
HIGHLIGHTS_JS = """() => {
  const spans = {};
  let pos = 0;
  for (const node of document.getElementById('backdrop').childNodes) {
    const len = node.textContent.length;
    if (node.nodeName === 'MARK') {
      for (const id of node.dataset.f.split(' ')) {
        (spans[id] = spans[id] || []).push([pos, pos + len, node.textContent, node.className]);
      }
    }
    pos += len;
  }
  return spans;
}"""


def wait_for(page, expression, timeout=15.0):
    """Polls `expression` in the page (the page's CSP forbids the eval that
    Playwright's wait_for_function needs, and the test keeps the CSP on)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def wait_checked(page):
    wait_for(page, "() => document.body.dataset.state === 'done'")


def paste(page, text, use_clipboard):
    """Replaces the editor's text the way a writer does: select all, paste."""
    editor = page.locator("#editor")
    editor.click()
    page.keyboard.press("Control+A")
    if use_clipboard:
        page.evaluate("t => navigator.clipboard.writeText(t)", text)
        page.keyboard.press("Control+V")
    else:
        page.keyboard.insert_text(text)
    wait_checked(page)
    assert editor.input_value() == text, "the editor holds the pasted text"


def assert_highlights_match(page, text, report):
    highlights = page.evaluate(HIGHLIGHTS_JS)
    expected = {}
    for i, f in enumerate(report["findings"]):
        if f["end"]["offset"] > f["start"]["offset"]:
            expected[str(i)] = f
    assert set(highlights) == set(expected), f"highlighted findings {sorted(highlights)} != {sorted(expected)}"
    for key, f in expected.items():
        pieces = sorted(highlights[key])
        start, end = utf16_index(text, f["start"]["offset"]), utf16_index(text, f["end"]["offset"])
        assert pieces[0][0] == start and pieces[-1][1] == end, f"{f['rule']}: {pieces} vs [{start}, {end})"
        for a, b in zip(pieces, pieces[1:]):
            assert a[1] == b[0], f"{f['rule']}: a gap inside the highlight {pieces}"
        shown = "".join(p[2] for p in pieces)
        source = text.encode("utf-8")[f["start"]["offset"]:f["end"]["offset"]].decode("utf-8")
        assert shown == source, f"{f['rule']}: highlighted {shown!r}, the CLI's span is {source!r}"
        for p in pieces:
            classes = p[3].split()
            assert f["severity"] in classes or any(
                SEVERITY_RANK[c] > SEVERITY_RANK[f["severity"]] for c in classes if c in SEVERITY_RANK
            ), f"{f['rule']}: colour {classes} for a {f['severity']}"
    # The textarea must not overflow the backdrop: both lay the text out alike.
    fits = page.evaluate("() => { const e = document.getElementById('editor'); return e.scrollHeight <= e.clientHeight + 1; }")
    assert fits, "the editor's text is taller than the highlight layer"
    return highlights


def run(binary, chromium, shots):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip("Playwright for Python is not installed (pip install playwright; the browser is Debian's chromium)")
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        skip(f"Chromium is not installed at {chromium} (apt-get install chromium)")

    rules = cli_rules(binary)
    bad_ja = cli_report(binary, VIOLATING, "ja")
    bad_en = cli_report(binary, VIOLATING, "en")
    good = cli_report(binary, COMPLIANT, "ja")
    assert bad_ja["findings"], "the violating copy has findings on the command line"
    assert not good["findings"], f"the compliant copy is clean on the command line: {good['findings']}"

    with tempfile.TemporaryDirectory() as workdir:
        server, url = start_server(binary, workdir)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
                context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="ja-JP")
                try:
                    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
                except Exception as e:  # older drivers: fall back to typing the text in
                    print(f"  (no clipboard permissions: {e})")
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: m.type == "error" and errors.append(m.text))
                page.goto(url)
                wait_for(page, "() => document.body.dataset.state === 'ready'")
                assert page.locator("html").get_attribute("lang") == "ja", "Japanese by default"
                assert page.locator("[data-i18n=checklist]").inner_text() == "開示項目チェックリスト"
                use_clipboard = page.evaluate(
                    "async () => { try { await navigator.clipboard.writeText('x'); "
                    "return (await navigator.clipboard.readText()) === 'x'; } catch (e) { return false; } }"
                )
                step(f"paste the violating copy ({'clipboard' if use_clipboard else 'typed in'})")
                paste(page, VIOLATING, use_clipboard)
                highlights = assert_highlights_match(page, VIOLATING, bad_ja)
                step(f"{len(highlights)} highlights cover exactly the CLI's spans")

                # The counts say how many findings the precision model hid.
                s = bad_ja["summary"]
                assert s["unlikely"] > 0, s
                counts = page.locator("#counts").inner_text()
                expected = f"エラー {s['errors']}・警告 {s['warnings']}・情報 {s['infos']}（ほかに可能性の低い指摘 {s['unlikely']} 件は非表示）"
                assert counts == expected, (counts, expected)
                step(f"the counts say {s['unlikely']} unlikely finding(s) are hidden")

                # One span checked by hand, not only against the CLI.
                safety = [i for i, f in enumerate(bad_ja["findings"]) if f["category"] == "safety-claim"]
                assert len(safety) == 1, bad_ja["findings"]
                sid = safety[0]
                start = VIOLATING.index("副作用は一切ありません")
                pieces = highlights[str(sid)]
                assert pieces[0][0] == start and pieces[-1][1] == start + len("副作用は一切ありません"), pieces
                assert "".join(x[2] for x in pieces) == "副作用は一切ありません"
                assert "error" in pieces[0][3].split()
                step("副作用は一切ありません is highlighted as a safety-claim error")

                # Hover: a transient explanation.
                warn = next(i for i, f in enumerate(bad_ja["findings"]) if f["severity"] == "warning")
                box = page.locator(f'#backdrop mark[data-f~="{warn}"]').first.bounding_box()
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_selector("#card:not([hidden])", timeout=5000)
                assert bad_ja["findings"][warn]["message"] in page.locator("#card").inner_text()
                assert "pinned" not in (page.locator("#card").get_attribute("class") or "")
                step("hovering a warning shows its message")

                # Click: the pinned explanation with help, basis and examples.
                box = page.locator(f'#backdrop mark[data-f~="{sid}"]').first.bounding_box()
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_selector("#card.pinned:not([hidden])", timeout=5000)
                f = bad_ja["findings"][sid]
                card = page.locator("#card")
                assert card.locator(".help").first.inner_text() == f["help"]
                assert card.locator(".basis").first.inner_text() == f["basis"]
                assert f["message"] in card.inner_text()
                bad_examples = card.locator(".bad li").all_inner_texts()
                assert bad_examples and bad_examples[0] == rules[f["rule"]]["examples"]["bad"][0], bad_examples
                assert card.is_visible()
                step(f"clicking it shows the help, the basis and the examples of {f['rule']}")
                if shots:
                    shoot(page, bad_ja, os.path.join(shots, "serve-ja.png"))

                # The side list jumps to a finding and selects its text.
                target = next(i for i, x in enumerate(bad_ja["findings"]) if x["category"] == "superlative-comparison")
                tf = bad_ja["findings"][target]
                page.locator("#card .close").click()
                group = page.locator('#findings section[data-category="superlative-comparison"]')
                assert group.locator("h3").inner_text().startswith("比較優良・最上級表現")
                page.locator(f'#findings .item[data-i="{target}"]').click()
                selection = page.evaluate("() => { const e = document.getElementById('editor'); return [e.selectionStart, e.selectionEnd]; }")
                expected_sel = [utf16_index(VIOLATING, tf["start"]["offset"]), utf16_index(VIOLATING, tf["end"]["offset"])]
                assert selection == expected_sel, (selection, expected_sel)
                assert page.locator(f'#backdrop mark.active[data-f~="{target}"]').count() >= 1
                assert tf["help"] in page.locator("#card").inner_text()
                step("the side list selects the finding's text and explains it")

                # The checklist lists what the report says is missing.
                for group_id in ("missing-free-care-disclosure", "missing-unapproved-disclosure"):
                    finding = next(x for x in bad_ja["findings"] if x["category"] == group_id)
                    g = page.locator(f'#checklist .cl-group[data-category="{group_id}"]')
                    assert g.get_attribute("data-triggered") == "true"
                    states = {li.get_attribute("data-element"): li.get_attribute("data-state") for li in g.locator("li").all()}
                    assert {k for k, v in states.items() if v == "missing"} == set(finding["missing"]), states
                page.locator('#checklist li[data-element="cost"]').click()
                cost = next(i for i, x in enumerate(bad_ja["findings"]) if "cost" in (x.get("missing") or []))
                assert page.locator(f'#backdrop mark.active[data-f~="{cost}"]').count() >= 1
                assert bad_ja["findings"][cost]["help"] in page.locator("#card").inner_text()
                page.locator("#card .close").click()
                step("the checklist shows the missing disclosure items and leads to their finding")

                # English.
                page.locator('.lang button[data-lang="en"]').click()
                wait_checked(page)
                assert page.locator("html").get_attribute("lang") == "en"
                assert page.locator("[data-i18n=checklist]").inner_text() == "Disclosure checklist"
                messages = page.locator("#findings .item .msg").all_inner_texts()
                assert sorted(messages) == sorted(x["message"] for x in bad_en["findings"]), messages
                # Each span finding shows its confidence in whole percent.
                confidences = page.locator("#findings .item .conf").all_inner_texts()
                want = [f"confidence {math.floor(x['confidence'] * 100 + 0.5)}%" for x in bad_en["findings"] if "confidence" in x]
                assert want and sorted(confidences) == sorted(want), (confidences, want)
                assert_highlights_match(page, VIOLATING, bad_en)
                box = page.locator(f'#backdrop mark[data-f~="{sid}"]').first.bounding_box()
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_selector("#card.pinned:not([hidden])", timeout=5000)
                assert page.locator("#card .help").first.inner_text() == bad_en["findings"][sid]["help"]
                step("English: labels, messages and help switch; spans stay exact")
                if shots:
                    shoot(page, bad_en, os.path.join(shots, "serve-en.png"))
                page.locator('.lang button[data-lang="ja"]').click()
                wait_checked(page)

                # The Markdown report.
                if use_clipboard:
                    page.locator("#copy-report").click()
                    page.wait_for_selector("#toast:not([hidden])", timeout=5000)
                    report = page.evaluate("() => navigator.clipboard.readText()")
                    assert report.startswith("# iryolint レポート"), report[:80]
                    for x in bad_ja["findings"]:
                        assert f"`{x['rule']}`" in report and x["help"] in report, x["rule"]
                    assert "- [ ] 標準的な費用" in report
                    step("the Markdown report lists every finding and the missing items")
                else:
                    step("no clipboard in this browser: the Markdown report is not checked")

                # Compliant copy: nothing highlighted, the checklist complete.
                step("paste the compliant copy")
                paste(page, COMPLIANT, use_clipboard)
                assert page.locator("#backdrop mark").count() == 0, "no highlights"
                assert page.locator("#findings .item").count() == 0
                assert "clean" in page.locator("#status").get_attribute("class")
                for group_id in ("missing-free-care-disclosure", "missing-unapproved-disclosure"):
                    g = page.locator(f'#checklist .cl-group[data-category="{group_id}"]')
                    assert g.get_attribute("data-triggered") == "true", group_id
                    assert "complete" in g.get_attribute("class").split(), group_id
                    states = g.locator("li").evaluate_all("lis => lis.map(li => li.dataset.state)")
                    assert states == ["present"] * 5, (group_id, states)
                step("no highlights and a complete checklist")

                # Editing re-checks, once the writer pauses (debounced).
                checks = []
                page.on("request", lambda r: "/api/check" in r.url and checks.append(r.url))
                added = "\n副作用は一切ありません。"
                page.locator("#editor").press("Control+End")
                page.keyboard.type(added, delay=30)
                wait_checked(page)
                edited = COMPLIANT + added
                assert page.locator("#editor").input_value() == edited
                assert_highlights_match(page, edited, cli_report(binary, edited, "ja"))
                assert 1 <= len(checks) < len(added), f"{len(checks)} checks for {len(added)} keystrokes"
                step(f"typing {len(added)} characters re-checked {len(checks)} time(s) and highlighted the new claim")

                # Opening a Word draft: its text view, checked as the .docx.
                docx = os.path.join(ROOT, "fixtures", "formats", "stem-cell-page.docx")
                page.set_input_files("#file-input", docx)
                wait_for(page, "() => document.getElementById('docname').textContent === 'stem-cell-page.docx'")
                wait_checked(page)
                assert page.locator("#format").input_value() == "docx-text"
                shutil.copy(docx, workdir)
                expected = cli_file(binary, workdir, "stem-cell-page.docx")
                assert expected["findings"], "the Word fixture has findings"
                assert_highlights_match(page, page.locator("#editor").input_value(), expected)
                step(f"a .docx opens as its text with {len(expected['findings'])} findings at the CLI's spans")

                # Dropping an HTML file: the source, highlighted at the CLI's spans.
                with open(os.path.join(workdir, "page.html"), "w", encoding="utf-8") as out:
                    out.write(HTML_PAGE)
                data = page.evaluate_handle(
                    "html => { const dt = new DataTransfer(); "
                    "dt.items.add(new File([html], 'page.html', { type: 'text/html' })); return dt; }",
                    HTML_PAGE,
                )
                page.dispatch_event("#editor", "drop", {"dataTransfer": data})
                wait_for(page, "() => document.getElementById('docname').textContent === 'page.html'")
                wait_checked(page)
                assert page.locator("#format").input_value() == "html"
                assert page.locator("#editor").input_value() == HTML_PAGE
                expected = cli_file(binary, workdir, "page.html")
                assert_highlights_match(page, HTML_PAGE, expected)
                split = [x for x in expected["findings"] if x["text"] == "日本一"]
                assert split, expected["findings"]
                source = HTML_PAGE.encode()[split[0]["start"]["offset"]:split[0]["end"]["offset"]].decode()
                assert source == "日本</strong>一", source
                step("a dropped .html file is highlighted in its source at the CLI's spans")

                assert not errors, f"errors in the page: {errors}"
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("browser test passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the iryolint binary")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--screenshots", help="write serve-ja.png and serve-en.png here")
    args = parser.parse_args()
    try:
        run(os.path.abspath(args.bin), args.chromium, args.screenshots and os.path.abspath(args.screenshots))
    except AssertionError as e:
        print(f"FAILED: {e}")
        raise


if __name__ == "__main__":
    main()
