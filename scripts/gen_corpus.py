#!/usr/bin/env python3
"""Generates a synthetic crawl of Japanese clinic pages, as JSON Lines or
WARC, for the Spark test and the scale measurements (SCALE.md).

Every phrase below was written for this script. Pages mix neutral copy
(access, hours, the doctor, how a treatment works), wording that the
medical-advertising rules forbid (guarantees, rankings, safety claims,
discounts, testimonials, animal studies…) and the disclosures that make
self-paid care advertisable, inside realistic HTML: navigation, scripts and
styles, comments, inline tags that split phrases, character references.
Page i depends only on (seed, i), so a stream of any length is generated in
constant memory and the same pages come back every time.

    gen_corpus.py --pages 10000 -o corpus.jsonl
    gen_corpus.py --pages 2000 --format warc --gzip -o crawl.warc.gz
    gen_corpus.py --pages 300000 | iryolint check --input-format jsonl > /dev/null
"""

import argparse
import gzip
import json
import random
import sys
import uuid

PLACES = ["さくら", "みなと", "青葉", "ひかり", "駅前", "中央", "つばさ", "緑が丘", "本町", "白樺", "若葉", "港南",
          "栄", "天神", "桜木町", "北口", "山の手", "かえで", "すずらん", "あおぞら"]
KINDS = ["皮膚科", "美容クリニック", "形成外科", "内科クリニック", "歯科", "眼科", "整形外科", "再生医療クリニック",
         "メンズクリニック", "レディースクリニック", "スキンクリニック", "耳鼻咽喉科"]
CITIES = ["札幌", "仙台", "さいたま", "千葉", "横浜", "新宿", "渋谷", "名古屋", "京都", "大阪", "神戸", "岡山",
          "広島", "松山", "福岡", "熊本", "鹿児島", "那覇", "金沢", "静岡", "新潟", "高松"]
TREATMENTS = [
    ("ヒアルロン酸注入", "hyaluronic", "ほうれい線や唇に製剤を注入する"),
    ("ボトックス注射", "botox", "筋肉の動きを弱める薬剤を注射する"),
    ("医療脱毛", "hair-removal", "レーザーで毛根にダメージを与える"),
    ("ピコレーザー", "pico", "短いパルスのレーザーでしみに照射する"),
    ("PRP療法", "prp", "ご自身の血液から取り出した成分を注射する"),
    ("幹細胞上清液点滴", "supernatant", "培養液から得た成分を点滴する"),
    ("エクソソーム点滴", "exosome", "細胞が分泌する小胞を含む製剤を点滴する"),
    ("高濃度ビタミンC点滴", "vitamin-c", "ビタミンCを点滴で投与する"),
    ("NAD+点滴", "nad", "補酵素を点滴で投与する"),
    ("AGA治療", "aga", "内服薬と外用薬で薄毛の進行を抑える"),
    ("二重まぶた埋没法", "double-eyelid", "細い糸でまぶたを留める"),
    ("脂肪吸引", "liposuction", "細い管で皮下脂肪を吸い出す"),
    ("ホワイトニング", "whitening", "薬剤と光で歯の色を明るくする"),
    ("インプラント治療", "implant", "顎の骨に人工の歯根を埋め込む"),
    ("ICL手術", "icl", "眼の中にレンズを入れて視力を矯正する"),
    ("GLP-1ダイエット", "glp1", "食欲を抑える薬を使う"),
    ("舌下免疫療法", "sublingual", "アレルゲンを少しずつ舌の下に含む"),
    ("巻き爪治療", "ingrown-nail", "専用のワイヤーで爪の形を整える"),
    ("いびき治療", "snoring", "レーザーで喉の粘膜を引き締める"),
    ("ダーマペン", "dermapen", "細い針で肌に小さな穴を開ける"),
]
ORGANS = ["肝臓", "皮膚", "関節", "毛包", "血管", "脳", "筋肉"]
SYMPTOMS = ["しみ", "しわ", "たるみ", "薄毛", "肩こり", "疲れ", "ニキビ跡", "くすみ", "むくみ"]
SOCIETIES = ["日本皮膚科学会", "日本形成外科学会", "日本眼科学会", "日本内科学会", "日本歯科医学会"]

NEUTRAL = [
    "{t}は、{how}治療です。",
    "当院の{t}について、流れと注意点をご説明します。",
    "診療時間は平日{h1}時から{h2}時まで、土曜日は午前のみです。",
    "{city}駅の{exit}口から徒歩{m}分、{floor}階にございます。",
    "院長は{society}の専門医で、{years}年にわたり診療に携わってきました。",
    "ご予約はお電話または予約フォームから承ります。",
    "初めての方は、問診票のご記入に{m}分ほどお時間をいただきます。",
    "駐車場はございませんので、近隣のコインパーキングをご利用ください。",
    "カウンセリングでは、ご希望とお悩みを伺ったうえで治療方針をご提案します。",
    "施術の当日は、メイクを落としてからご来院ください。",
    "お支払いには各種クレジットカードをご利用いただけます。",
    "感染対策として、待合室の換気と消毒を徹底しています。",
    "治療の内容によっては、複数回の通院が必要になります。",
    "{symptom}のお悩みは、原因によって適した治療が異なります。",
    "施術後の経過を確認するため、{w}週間後に再診をお願いしています。",
    "年末年始の休診日はお知らせ欄でご案内します。",
    "学会や研修のため、臨時休診となる日があります。",
]
CLAIMS = [
    "{t}なら必ず{symptom}が消えます。",
    "一度の施術で確実に効果を実感できます。",
    "誰でも絶対に満足できる仕上がりをお約束します。",
    "当院は{city}で症例数ナンバーワンのクリニックです。",
    "地域No.1の実績を誇ります。",
    "日本一の技術で{t}を行います。",
    "最高の医療を最安値でご提供します。",
    "副作用の心配は一切ありません。",
    "痛みもダウンタイムも全くない安全な治療です。",
    "安全性が保証された施術ですので安心してお受けください。",
    "今なら初回{pct}%OFF！",
    "期間限定のキャンペーン価格でご案内中です。",
    "先着{k}名様限定の特別価格です。",
    "患者様の声：「{quote}」（{age}代{sex}）",
    "口コミで大人気の施術です。",
    "施術前と施術後のビフォーアフター写真をご覧ください。",
    "テレビや雑誌で紹介されました。",
    "有名芸能人も多数来院しています。",
    "マウスを用いた実験では、{organ}の機能が改善したと報告されています。",
    "細胞が若返り、{organ}の再生を促します。",
    "体の内側から若返る最先端の治療です。",
    "{symptom}が根本から完治します。",
]
QUOTES = ["1回で肌がつるつるになりました", "痛みがまったくなくて驚きました", "友達にも若くなったと言われます",
          "もっと早く受ければよかったです", "先生がとても丁寧でした", "{symptom}が気にならなくなりました"]
DISCLOSURES = [
    "本治療は公的医療保険が適用されない自由診療です。",
    "費用は1回{price}円（税込）です。",
    "治療期間は{w}週間ごとに{k}回が目安です。",
    "主なリスク・副作用として、腫れ、内出血、痛みが数日続くことがあります。",
    "治療内容：{how}施術を、局所麻酔のもとで行います。",
    "本治療に用いる製剤は、国内で承認されていない医薬品です。",
    "医師の判断のもと、個人輸入により入手しています。",
    "同一の成分を含む国内承認医薬品はありません。",
    "諸外国でも安全性に関する情報は十分に確立されていません。",
    "重い副作用が生じた場合も、医薬品副作用被害救済制度の対象外となります。",
]
NAV = ["トップ", "当院について", "診療案内", "料金表", "医師紹介", "アクセス", "よくあるご質問", "お知らせ", "ご予約"]
FOOTER = "© {year} {clinic} All rights reserved."
SCRIPT = """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  var banner = "{banner}"; if (window.innerWidth < {w}) {{ document.body.classList.add("sp"); }}
</script>"""
STYLE = """<style>
  body {{ font-family: sans-serif; color: #{color}; }}
  .campaign::after {{ content: "今だけ半額"; }}
  .nav li {{ display: inline-block; margin: 0 {m}px; }}
</style>"""


class Slots(dict):
    """The values of a phrase's {slots}, drawn only when a phrase uses them."""

    def __init__(self, rng, page):
        super().__init__(t=page["treatment"], how=page["how"], city=page["city"], clinic=page["clinic"])
        self.rng = rng

    def __missing__(self, key):
        rng = self.rng
        draw = {
            "h1": lambda: rng.choice([9, 10]),
            "h2": lambda: rng.choice([18, 19, 20]),
            "m": lambda: rng.randint(1, 15),
            "exit": lambda: rng.choice("東西南北"),
            "floor": lambda: rng.randint(1, 9),
            "society": lambda: rng.choice(SOCIETIES),
            "years": lambda: rng.randint(5, 30),
            "symptom": lambda: rng.choice(SYMPTOMS),
            "w": lambda: rng.choice([2, 3, 4, 6]),
            "pct": lambda: rng.choice([10, 20, 30, 50]),
            "k": lambda: rng.randint(3, 10),
            "quote": lambda: rng.choice(QUOTES).format(symptom=rng.choice(SYMPTOMS)),
            "age": lambda: rng.randint(2, 7) * 10,
            "sex": lambda: rng.choice(["女性", "男性"]),
            "organ": lambda: rng.choice(ORGANS),
            "price": lambda: f"{rng.randint(1, 40) * 5500:,}",
        }
        return draw[key]()


def fill(rng, template, page):
    """Fills the {slots} of a phrase for one page."""
    return template.format_map(Slots(rng, page))


def sentences(rng, page):
    """The copy of one page: a mix of neutral, forbidden and disclosure phrases."""
    n = rng.randint(6, 60)
    risky = rng.random()  # some clinics write carefully, others do not
    out = []
    for _ in range(n):
        r = rng.random()
        pool = CLAIMS if r < 0.35 * risky else DISCLOSURES if r > 0.85 else NEUTRAL
        out.append(fill(rng, rng.choice(pool), page))
    return out


def inline_split(rng, text):
    """Wraps a piece of a sentence in an inline tag, as pages emphasize words."""
    if len(text) < 6 or rng.random() < 0.6:
        return escape(text)
    i = rng.randint(1, len(text) - 3)
    j = rng.randint(i + 1, min(len(text) - 1, i + 6))
    tag = rng.choice(["strong", "span", "em", "b", "a"])
    attr = ' href="/reserve"' if tag == "a" else ' class="em"' if tag == "span" else ""
    return f"{escape(text[:i])}<{tag}{attr}>{escape(text[i:j])}</{tag}>{escape(text[j:])}"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page_meta(seed, i):
    rng = random.Random(f"{seed}:{i}")
    clinic_no = rng.randrange(180_000)
    treatment, slug, how = rng.choice(TREATMENTS)
    page = {
        "clinic": f"{rng.choice(PLACES)}{rng.choice(KINDS)}",
        "city": rng.choice(CITIES),
        "treatment": treatment,
        "how": how,
        "url": f"https://clinic-{clinic_no:06d}.example.jp/{slug}/{i}",
    }
    return rng, page


def boilerplate(rng, kb):
    """About `kb` KB of what real pages carry besides their copy: a mega
    menu, inline SVG icons, a tracking script and a style block."""
    parts, size = [], 0
    while size < kb * 1024:
        kind = rng.random()
        if kind < 0.4:
            items = "".join(f'<li class="menu-item menu-item-{k}"><a href="/menu/{k}">{rng.choice(NAV)}</a></li>'
                            for k in range(rng.randint(10, 30)))
            piece = f'<nav class="mega-menu"><ul class="sub-menu">{items}</ul></nav>'
        elif kind < 0.7:
            path = " ".join(f"L{rng.randint(0, 99)} {rng.randint(0, 99)}" for _ in range(rng.randint(20, 60)))
            piece = f'<svg viewBox="0 0 100 100" aria-hidden="true"><path d="M0 0 {path} Z"/></svg>'
        elif kind < 0.85:
            calls = ";".join(f'track("{rng.randrange(1 << 30):x}",{rng.randint(0, 9999)})' for _ in range(30))
            piece = f"<script>(function(){{{calls}}})();</script>"
        else:
            rules = "".join(f".c{rng.randrange(1 << 20):x}{{margin:{rng.randint(0, 40)}px;color:#{rng.randrange(1 << 24):06x}}}"
                            for _ in range(30))
            piece = f"<style>{rules}</style>"
        parts.append(piece)
        size += len(piece)
    return "\n".join(parts)


def html_page(rng, page, charset="utf-8", markup_kb=0):
    copy = sentences(rng, page)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        f'<meta charset="{charset}">',
        f"<title>{escape(page['treatment'])}｜{escape(page['clinic'])}（{page['city']}）</title>",
        f'<meta name="description" content="{escape(copy[0])}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        STYLE.format(color=f"{rng.randrange(1 << 24):06x}", m=rng.randint(4, 20)),
        SCRIPT.format(banner="必ず痩せる！今だけ50%OFF", w=rng.choice([600, 768, 1024])),
        "</head>",
        "<body>",
        '<header><ul class="nav">' + "".join(f'<li><a href="/{k}">{n}</a></li>' for k, n in enumerate(NAV)) + "</ul></header>",
        "<!-- 旧バナー: 日本一の症例数！副作用ゼロ！ -->",
        f"<main><h1>{escape(page['treatment'])}</h1>",
    ]
    if markup_kb:
        parts.insert(-1, boilerplate(rng, markup_kb))
    section = []
    for k, s in enumerate(copy):
        if k % 7 == 0:
            if section:
                parts.append("<section>" + "".join(section) + "</section>")
            section = [f"<h2>{escape(page['treatment'])}の{rng.choice(['特徴', '流れ', '料金', '注意点', 'よくあるご質問'])}</h2>"]
        style = rng.random()
        if style < 0.15:
            section.append(f"<ul><li>{inline_split(rng, s)}</li></ul>")
        elif style < 0.22:
            section.append(f"<table><tr><th>項目</th><td>{inline_split(rng, s)}</td></tr></table>")
        elif style < 0.26:
            section.append(f'<p><img src="/img/{k}.jpg" alt="{escape(s)}"></p>')
        else:
            section.append(f"<p>{inline_split(rng, s)}</p>")
    parts.append("<section>" + "".join(section) + "</section></main>")
    parts.append(f"<footer><p>{escape(page['clinic'])}&nbsp;{page['city']}院</p><p>{FOOTER.format(year=2026, clinic=escape(page['clinic']))}</p></footer>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def markdown_page(rng, page):
    copy = sentences(rng, page)
    lines = [f"# {page['treatment']}｜{page['clinic']}", ""]
    for k, s in enumerate(copy):
        if k % 6 == 0:
            lines += [f"## {rng.choice(['特徴', '流れ', '料金', '注意点'])}", ""]
        lines += [f"- {s}" if rng.random() < 0.3 else s, ""]
    return "\n".join(lines)


def text_page(rng, page):
    return "\n".join([f"{page['treatment']}のご案内", ""] + sentences(rng, page)) + "\n"


def jsonl_record(seed, i, bad_every, markup_kb=0):
    """One JSON Lines record: mostly HTML, some Markdown and plain text."""
    rng, page = page_meta(seed, i)
    if bad_every and i % bad_every == bad_every - 1:
        return {"id": page["url"], "content": "%PDF-1.7", "content_type": "application/pdf"}
    kind = rng.random()
    if kind < 0.85:
        record = {"content": html_page(rng, page, markup_kb=markup_kb)}
        if rng.random() < 0.5:
            record["content_type"] = "text/html; charset=utf-8"
    elif kind < 0.95:
        record = {"content": markdown_page(rng, page)}
        if rng.random() < 0.5:
            record["format"] = "markdown"
        else:
            record["content_type"] = "text/markdown"
    else:
        record = {"content": text_page(rng, page), "format": "text"}
    key = "id" if rng.random() < 0.8 else "url"
    return {key: page["url"], **record}


def warc_record(kind, uri, content_type, block, extra=()):
    head = [
        "WARC/1.1",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=random.getrandbits(128))}>",
        "WARC-Date: 2026-11-01T00:00:00Z",
    ]
    if uri:
        head.append(f"WARC-Target-URI: {uri}")
    head += list(extra) + [f"Content-Type: {content_type}", f"Content-Length: {len(block)}", "", ""]
    return "\r\n".join(head).encode() + block + b"\r\n\r\n"


def http_response(status, headers, body):
    head = [f"HTTP/1.1 {status}"] + headers + ["", ""]
    return "\r\n".join(head).encode() + body


def chunked(body, size=4096):
    out = b"".join(b"%x\r\n%s\r\n" % (len(body[k:k + size]), body[k:k + size]) for k in range(0, len(body), size))
    return out + b"0\r\n\r\n"


def warc_records(seed, i, markup_kb=0):
    """The records a crawler writes for one page: request, response, and
    now and then an image, a redirect or metadata."""
    rng, page = page_meta(seed, i)
    url = page["url"]
    out = [warc_record("request", url, "application/http; msgtype=request",
                       f"GET {url.split('.jp', 1)[1]} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode())]
    kind = rng.random()
    headers = ["Server: nginx"]
    if kind < 0.10:  # Shift_JIS, declared by the HTTP header and the page
        body = html_page(rng, page, charset="Shift_JIS", markup_kb=markup_kb).encode("shift_jis", errors="replace")
        headers.append("Content-Type: text/html; charset=Shift_JIS")
    elif kind < 0.15:  # EUC-JP, declared by the page only
        body = html_page(rng, page, charset="EUC-JP", markup_kb=markup_kb).encode("euc_jp", errors="replace")
        headers.append("Content-Type: text/html")
    else:
        body = html_page(rng, page, markup_kb=markup_kb).encode()
        headers.append("Content-Type: text/html; charset=UTF-8")
    if rng.random() < 0.2:  # stored as sent: gzip, chunked
        body = chunked(gzip.compress(body, mtime=0))
        headers += ["Content-Encoding: gzip", "Transfer-Encoding: chunked"]
    else:
        headers.append(f"Content-Length: {len(body)}")
    out.append(warc_record("response", url, "application/http; msgtype=response", http_response("200 OK", headers, body)))
    if rng.random() < 0.3:
        img = bytes(rng.randrange(256) for _ in range(rng.randint(200, 2000)))
        out.append(warc_record("response", url + ".jpg", "application/http; msgtype=response",
                               http_response("200 OK", ["Content-Type: image/jpeg", f"Content-Length: {len(img)}"], img)))
    if rng.random() < 0.1:
        out.append(warc_record("response", url.rstrip("/0123456789") + "old", "application/http; msgtype=response",
                               http_response("301 Moved Permanently", [f"Location: {url}", "Content-Length: 0"], b"")))
    if rng.random() < 0.2:
        out.append(warc_record("metadata", url, "application/warc-fields", f"outlink: {url}/next\r\n".encode()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10_000, help="pages to generate (default 10000)")
    ap.add_argument("--seed", default="iryolint", help="seed: the same seed gives the same pages")
    ap.add_argument("--format", choices=["jsonl", "warc"], default="jsonl")
    ap.add_argument("--gzip", action="store_true", help="compress (one gzip member per WARC record)")
    ap.add_argument("--bad-every", type=int, default=0, metavar="N",
                    help="JSON Lines: make every Nth record one that cannot be checked (a PDF)")
    ap.add_argument("--markup-kb", type=int, default=0, metavar="KB",
                    help="add about KB kilobytes of menus, SVG, scripts and styles to each HTML page "
                         "(real pages carry tens of KB of it)")
    ap.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    args = ap.parse_args()
    random.seed(f"{args.seed}:record-ids")
    out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
    try:
        if args.format == "jsonl":
            writer = gzip.GzipFile(fileobj=out, mode="wb", mtime=0) if args.gzip else out
            for i in range(args.pages):
                line = json.dumps(jsonl_record(args.seed, i, args.bad_every, args.markup_kb), ensure_ascii=False)
                writer.write(line.encode() + b"\n")
            if args.gzip:
                writer.close()
        else:
            records = [warc_record("warcinfo", None, "application/warc-fields",
                                   b"software: iryolint gen_corpus.py\r\nformat: WARC File Format 1.1\r\n")]
            for i in range(args.pages):
                records += warc_records(args.seed, i, args.markup_kb)
                for r in records:
                    out.write(gzip.compress(r, mtime=0) if args.gzip else r)
                records = []
        out.flush()
    except BrokenPipeError:
        pass
    finally:
        if out is not sys.stdout.buffer:
            out.close()


if __name__ == "__main__":
    main()
