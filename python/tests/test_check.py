"""iryolint.check and iryolint.rules against the command line: the same
pages must give the same findings, key for key."""

import json
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

import iryolint
from conftest import ROOT

FORMATS = ROOT / "fixtures" / "formats"
PAGES = [
    (FORMATS / "stem-cell-page.html", "html"),
    (FORMATS / "stem-cell-page.md", "markdown"),
    (FORMATS / "stem-cell-page.txt", "text"),
    (FORMATS / "stem-cell-page.docx", "docx"),
    (ROOT / "fixtures" / "pages" / "exosome-clinic.txt", "text"),
    (ROOT / "fixtures" / "pages" / "prp-clinic-compliant.txt", "text"),
]
HTML = (FORMATS / "stem-cell-page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page,fmt", PAGES, ids=lambda p: getattr(p, "name", p))
def test_bytes_give_the_findings_of_the_command_line(page, fmt, cli_json):
    expected = cli_json("--lang", "ja", page)["findings"]
    got = iryolint.check(page.read_bytes(), format=fmt, path=str(page))
    assert got == expected
    if page.name.startswith("stem-cell"):
        assert len(got) >= 5


def test_key_order_and_exact_span():
    findings = iryolint.check("<p>当院は症例数<em>日本一</em>です。</p>", path="page.html")
    top = [f for f in findings if f["rule"] == "superlative-number-one"]
    assert len(top) == 1
    f = top[0]
    keys = ["path", "rule", "category", "severity", "message", "start", "end", "text", "confidence", "basis", "help"]
    assert list(f) == keys
    assert isinstance(f["confidence"], float) and 0.0 <= f["confidence"] <= 1.0
    # The span is the whole word (症例数日本一), across the <em> tag.
    start = "<p>当院は".encode().__len__()
    end = "<p>当院は症例数<em>日本一".encode().__len__()
    assert f["start"] == {"line": 1, "column": 7, "offset": start}
    assert f["end"] == {"line": 1, "column": 17, "offset": end}
    assert (f["path"], f["category"], f["severity"], f["text"]) == (
        "page.html",
        "superlative-comparison",
        "error",
        "症例数日本一",
    )


def test_disclosure_and_evidence_findings_keep_the_reports_key_order(cli):
    page = FORMATS / "stem-cell-page.html"
    out = cli("--lang", "ja", "check", "--format", "json", page)
    want = {f["rule"]: list(f) for f in json.loads(out.stdout)["findings"]}
    got = {f["rule"]: list(f) for f in iryolint.check(page.read_bytes(), path=str(page))}
    assert got == want
    assert any("missing" in keys for keys in got.values()) and any("related" in keys for keys in got.values())
    assert any("confidence" in keys for keys in got.values())


def test_str_and_encoded_bytes_agree():
    assert iryolint.check(HTML.encode("utf-8")) == iryolint.check(HTML)
    # Offsets are those of the text decoded to UTF-8, whatever the encoding.
    sjis = HTML.replace('charset="utf-8"', 'charset="shift_jis"')
    assert iryolint.check(sjis.encode("shift_jis")) == iryolint.check(sjis)
    # A str is already decoded: its <meta charset> does not matter.
    assert len(iryolint.check(sjis)) == len(iryolint.check(HTML))


def test_english_messages_match_the_command_line(cli_json):
    page = FORMATS / "stem-cell-page.html"
    got = iryolint.check(page.read_bytes(), lang="en", path=str(page))
    assert got == cli_json("--lang", "en", page)["findings"]
    assert got[0]["message"] != iryolint.check(page.read_bytes(), lang="ja")[0]["message"]


def test_bad_input_raises_instead_of_returning_nothing(tmp_path):
    with pytest.raises(ValueError, match="binary content, not a page"):
        iryolint.check(b"\x7fELF\x00\x00\x01\x02")
    with pytest.raises(ValueError, match=r"^draft.docx: "):
        iryolint.check(b"PK\x03\x04 not really a zip", format="docx", path="draft.docx")
    with pytest.raises(TypeError, match="needs the file's bytes"):
        iryolint.check("text", format="docx")
    with pytest.raises(TypeError, match="content must be str or bytes, not int"):
        iryolint.check(42)
    with pytest.raises(ValueError, match='unknown format "pdf"'):
        iryolint.check("x", format="pdf")
    with pytest.raises(ValueError, match='unknown lang "fr"'):
        iryolint.check("x", lang="fr")
    with pytest.raises(ValueError, match="no-such.toml"):
        iryolint.check("x", config=tmp_path / "no-such.toml")


def test_invalid_bytes_warn_with_path_and_line():
    page = "当院のご案内ページです。\n日本一の技術でお迎えします。\n".encode() + b"\xff\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = iryolint.check(page, format="text", path="p.txt")
    assert [str(w.message) for w in caught] == [
        "p.txt:3: bytes that are not valid UTF-8 were replaced with U+FFFD"
    ]
    assert [f["text"] for f in findings if f["rule"] == "superlative-number-one"] == ["日本一"]


def test_config_applies_selection_and_severity_like_the_command_line(tmp_path, cli_json):
    config = tmp_path / "iryolint.toml"
    config.write_text(
        'select = ["superlative-comparison", "inducement"]\n[severity]\ninducement = "info"\n', encoding="utf-8"
    )
    page = FORMATS / "stem-cell-page.html"
    got = iryolint.check(page.read_bytes(), config=config, path=str(page))
    assert got == cli_json("--lang", "ja", "--config", config, page)["findings"]
    assert {f["category"] for f in got} == {"superlative-comparison", "inducement"}
    assert {f["severity"] for f in got if f["category"] == "inducement"} == {"info"}
    rules = iryolint.rules(config=str(config))
    assert {r["category"] for r in rules} == {"superlative-comparison", "inducement"}

    bad = tmp_path / "bad.toml"
    bad.write_text('lang = "ja"\nfail_on = "error"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.toml:2:1: unknown field `fail_on`"):
        iryolint.check("x", config=bad)


def test_a_config_keeps_every_finding_like_the_flag(tmp_path, cli_json):
    """all-findings = true keeps the span findings the precision model drops,
    as --all-findings does on the command line."""
    config = tmp_path / "iryolint.toml"
    config.write_text("all-findings = true\n", encoding="utf-8")
    page = ROOT / "fixtures" / "holdout7" / "bv-03-exosome-iv-dermatology-column.txt"
    every = iryolint.check(page.read_bytes(), format="text", config=config, path=str(page))
    assert every == cli_json("--lang", "ja", "--all-findings", page)["findings"]
    assert len(every) > len(iryolint.check(page.read_bytes(), format="text", path=str(page)))
    # The keyword does the same without a config file.
    assert iryolint.check(page.read_bytes(), format="text", path=str(page), all_findings=True) == every
    text = page.read_text(encoding="utf-8")
    assert iryolint.check(text, format="text", path=str(page), all_findings=True) == every


def test_min_confidence_drops_what_the_command_line_drops(tmp_path, cli_json):
    """min-confidence in a config, and the min_confidence keyword, drop the
    span findings less sure than the share, as --min-confidence does."""
    page = ROOT / "fixtures" / "holdout7" / "bv-03-exosome-iv-dermatology-column.txt"
    want = cli_json("--lang", "ja", "--min-confidence", "0.7", page)["findings"]
    default = iryolint.check(page.read_bytes(), format="text", path=str(page))
    assert len(want) < len(default)
    assert all(f.get("confidence", 1.0) >= 0.7 for f in want)
    assert iryolint.check(page.read_bytes(), format="text", path=str(page), min_confidence=0.7) == want
    config = tmp_path / "iryolint.toml"
    config.write_text("min-confidence = 0.7\n", encoding="utf-8")
    assert iryolint.check(page.read_bytes(), format="text", config=config, path=str(page)) == want
    # The keyword beats the config's keys, as the flag does.
    for key in ("min-confidence = 0.8", "all-findings = true"):
        config.write_text(key + "\n", encoding="utf-8")
        for share in (0.3, 0.6):
            got = iryolint.check(page.read_bytes(), format="text", config=config, path=str(page), min_confidence=share)
            flag = cli_json("--lang", "ja", "--config", config, "--min-confidence", str(share), page)["findings"]
            assert got == flag, (key, share)
    for bad in ({"min_confidence": 1.5}, {"min_confidence": 0.5, "all_findings": True}):
        with pytest.raises(ValueError):
            iryolint.check(page.read_bytes(), format="text", path=str(page), **bad)


def test_the_pack_is_compiled_once_per_process_and_config(tmp_path):
    iryolint.check("warm up")
    before = iryolint._compilations()
    for _ in range(20):
        iryolint.check(HTML)
    iryolint.rules()
    assert iryolint._compilations() == before
    config = tmp_path / "once.toml"
    config.write_text('ignore = ["inducement"]\n', encoding="utf-8")
    for _ in range(5):
        iryolint.check(HTML, config=config)
    assert iryolint._compilations() == before + 1


def test_rules_match_the_command_line(cli):
    out = cli("rules", "--format", "json")
    assert out.returncode == 0
    assert iryolint.rules() == json.loads(out.stdout)["rules"]
    assert len(iryolint.rules()) > 50


def test_the_gil_is_released_while_checking():
    big = HTML * 1500
    iryolint.check("warm up")
    started = threading.Event()
    finished = []
    observed_during_check = []

    def work():
        started.set()
        iryolint.check(big)
        finished.append(True)

    old = sys.getswitchinterval()
    # Python threads now switch only when one blocks or releases the GIL:
    # if check held it, this thread could not run until the check is done.
    sys.setswitchinterval(1000.0)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        started.wait()
        observed_during_check.append(not finished)
        thread.join()
    finally:
        sys.setswitchinterval(old)
    assert observed_during_check == [True]
    assert finished == [True]


def test_threads_get_the_same_findings():
    pages = [HTML.replace("日本一", f"日本一（{i}）") * (1 + i % 5) for i in range(40)]
    sequential = [iryolint.check(p, path=str(i)) for i, p in enumerate(pages)]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda ip: iryolint.check(ip[1], path=str(ip[0])), enumerate(pages)))
    assert parallel == sequential


def test_config_front_matter_keys_apply_like_the_command_line(tmp_path, cli_json):
    config = tmp_path / "iryolint.toml"
    config.write_text('front-matter-keys = ["seo_title"]\n', encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("---\nsummary: 当院は症例数日本一\nseo_title: 県内No.1の実績\n---\n本文です。\n", encoding="utf-8")
    for content in (page.read_text(encoding="utf-8"), page.read_bytes()):
        got = iryolint.check(content, format="markdown", config=config, path=str(page))
        assert got == cli_json("--lang", "ja", "--config", config, page)["findings"]
        assert [f["start"]["line"] for f in got] == [3]
    default = iryolint.check(page.read_bytes(), format="markdown", path=str(page))
    assert [f["start"]["line"] for f in default] == [2]
