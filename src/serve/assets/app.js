// iryolint serve: the page. Plain JavaScript, no dependencies, no network
// beyond this server. The copy is checked by POST /api/check, which returns
// the command line's JSON report; spans are byte offsets into the UTF-8
// text and are turned into string indices here.
'use strict';

(() => {
  const TEXT = {
    ja: {
      pageTitle: 'iryolint — 医療広告チェック',
      title: '医療広告チェック',
      openFile: 'ファイルを開く',
      format: '形式',
      fmtText: 'テキスト',
      fmtDocx: 'Word (.docx)',
      sample: '見本の文面',
      copyReport: 'Markdownレポートをコピー',
      document: '文書',
      pasted: '貼り付けた文面',
      placeholder: 'ここに広告の文面を貼り付けるか、ファイル（.txt .md .html .docx）をドロップしてください。入力すると自動で検査します。',
      hint: '色のついた箇所にマウスを重ねると説明が出ます。クリックすると説明を固定します。右の一覧から各指摘へ移動できます。',
      checklist: '開示項目チェックリスト',
      findings: '指摘一覧',
      dropHere: 'ここにファイルをドロップ（.txt .md .html .docx）',
      footer: '文面はこのパソコンの中だけで検査され、外部には送信されません。',
      editorLabel: '広告の文面',
      empty: '文面を貼り付けるか、ファイルをドロップしてください。',
      checking: '検査中…',
      clean: '指摘はありません。',
      has: (n) => `${n} 件の指摘があります。`,
      counts: (s) => `エラー ${s.errors}・警告 ${s.warnings}・情報 ${s.infos}` + (s.unlikely ? `（ほかに可能性の低い指摘 ${s.unlikely} 件は非表示）` : ''),
      noFindings: '指摘はありません。',
      severity: { error: 'エラー', warning: '警告', info: '情報' },
      where: (l, c) => `${l}行${c}文字目`,
      confidence: (p) => `確度 ${p}%`,
      confidenceTitle: '同種の指摘のうちレビュアーが問題とした割合',
      message: '指摘',
      basis: '根拠',
      help: '書き換え方',
      description: '詳しく',
      bad: '指摘される例',
      good: '問題のない例',
      related: 'よりどころにされている効果の表現',
      missing: '不足している記載',
      pageLevel: 'ページ全体の指摘（最初の該当箇所に表示）',
      close: '閉じる',
      clTriggered: 'この文面は対象です。',
      clNotTriggered: 'この文面には該当する記載が見当たりません（対象外）。',
      clDisabled: 'このルールは設定で無効になっています。',
      clComplete: 'すべて記載されています。',
      clMissing: (n) => `${n} 項目が不足しています。`,
      copied: 'Markdownレポートをコピーしました。',
      copyFailed: 'コピーできませんでした。',
      replaceConfirm: '今の文面を見本の文面で置き換えますか？',
      reportTitle: 'iryolint レポート',
      reportDate: '日時',
      reportSummary: '指摘',
      present: '記載あり',
      absent: '不足',
      notApplicable: '対象外',
    },
    en: {
      pageTitle: 'iryolint — medical advertising check',
      title: 'Medical advertising check',
      openFile: 'Open a file',
      format: 'Format',
      fmtText: 'Text',
      fmtDocx: 'Word (.docx)',
      sample: 'Sample copy',
      copyReport: 'Copy Markdown report',
      document: 'Document',
      pasted: 'pasted copy',
      placeholder: 'Paste the advertising copy here, or drop a file (.txt .md .html .docx). It is checked as you type.',
      hint: 'Hover over a highlight to see what is wrong; click to keep the explanation open. The list on the right jumps to each finding.',
      checklist: 'Disclosure checklist',
      findings: 'Findings',
      dropHere: 'Drop a file here (.txt .md .html .docx)',
      footer: 'The copy is checked on this computer only and is never sent anywhere else.',
      editorLabel: 'Advertising copy',
      empty: 'Paste copy or drop a file.',
      checking: 'Checking…',
      clean: 'No findings.',
      has: (n) => `${n} finding${n === 1 ? '' : 's'}.`,
      counts: (s) => `${s.errors} error${s.errors === 1 ? '' : 's'} · ${s.warnings} warning${s.warnings === 1 ? '' : 's'} · ${s.infos} info` + (s.unlikely ? ` (${s.unlikely} more dropped as unlikely to be marked, hidden)` : ''),
      noFindings: 'No findings.',
      severity: { error: 'error', warning: 'warning', info: 'info' },
      where: (l, c) => `line ${l}, col ${c}`,
      confidence: (p) => `confidence ${p}%`,
      confidenceTitle: 'the share of such findings that reviewers marked',
      message: 'Finding',
      basis: 'Legal basis',
      help: 'How to rewrite',
      description: 'More',
      bad: 'Flagged',
      good: 'Fine',
      related: 'The claim it is used to support',
      missing: 'Missing statements',
      pageLevel: 'A finding about the whole page (shown at the first trigger)',
      close: 'Close',
      clTriggered: 'This copy is covered.',
      clNotTriggered: 'Nothing in this copy calls for these statements (not applicable).',
      clDisabled: 'This rule is turned off by the configuration.',
      clComplete: 'Every statement is present.',
      clMissing: (n) => `${n} missing.`,
      copied: 'Markdown report copied.',
      copyFailed: 'Could not copy.',
      replaceConfirm: 'Replace the current copy with the sample?',
      reportTitle: 'iryolint report',
      reportDate: 'Date',
      reportSummary: 'Findings',
      present: 'present',
      absent: 'missing',
      notApplicable: 'not applicable',
    },
  };

  // Category labels (the Japanese ones are those of `iryolint check`).
  const CATEGORIES = [
    ['unsupported-efficacy', '根拠のない効果の表現', 'Unsupported efficacy'],
    ['preclinical-extrapolation', '動物・細胞実験のヒトへの当てはめ', 'Animal or cell results applied to people'],
    ['safety-claim', '安全性の断定', 'Safety claims'],
    ['superlative-comparison', '比較優良・最上級表現', 'Superlatives and comparisons'],
    ['authority-endorsement', '権威づけ', 'Borrowed authority'],
    ['testimonial', '体験談', 'Testimonials'],
    ['before-after', '術前術後の写真・記述', 'Before and after'],
    ['inducement', '費用の強調・誘引', 'Price-led lures'],
    ['missing-free-care-disclosure', '自由診療の限定解除要件の不足', 'Missing self-paid care disclosures'],
    ['missing-unapproved-disclosure', '未承認医薬品等の限定解除要件の不足', 'Missing unapproved-product disclosures'],
    ['other', 'その他', 'Other'],
  ];

  const CHECKLISTS = [
    {
      category: 'missing-free-care-disclosure',
      ja: '自由診療（限定解除の要件）',
      en: 'Self-paid care (限定解除)',
      elements: [
        ['free-care-statement', '自由診療である旨', 'That the care is self-paid (自由診療)'],
        ['treatment-content', '通常必要とされる治療内容', 'Usual treatment content'],
        ['cost', '標準的な費用', 'Standard cost'],
        ['duration', '治療期間・回数', 'Treatment period and sessions'],
        ['risks', '主なリスク・副作用', 'Main risks and side effects'],
      ],
    },
    {
      category: 'missing-unapproved-disclosure',
      ja: '未承認医薬品等',
      en: 'Unapproved drugs and devices',
      elements: [
        ['unapproved-statement', '未承認医薬品等である旨', 'That it is unapproved in Japan'],
        ['acquisition-route', '入手経路', 'How it was obtained'],
        ['domestic-alternatives', '国内の承認医薬品等の有無', 'Whether an approved equivalent exists in Japan'],
        ['overseas-safety', '諸外国における安全性等の情報', 'Safety information from other countries'],
        ['relief-system', '医薬品副作用被害救済制度の対象外である旨', 'Not covered by the adverse-reaction relief system'],
      ],
    },
  ];

  const SAMPLE = [
    '【新しい美肌ケアのご案内】',
    '',
    '当院の幹細胞上清液点滴は、お肌の悩みを根本から改善します。',
    '副作用は一切ありません。',
    '都内で一番選ばれているクリニックです。',
    'いまなら初回50%OFF！先着20名様限定です。',
    '「1回で10歳若返りました！」（50代女性）',
    '',
  ].join('\n');

  const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };

  const $ = (id) => document.getElementById(id);
  const editor = $('editor');
  const backdrop = $('backdrop');
  const card = $('card');
  const formatSelect = $('format');

  const state = {
    lang: 'ja',
    rules: new Map(),
    doc: { name: null, format: 'text' },
    findings: [],
    summary: null,
    triggered: new Set(),
    shownText: '',
    checkedText: null,
    error: null,
    busy: false,
    card: null, // { ids, pinned }
    active: -1,
    timer: 0,
  };

  const t = (key) => TEXT[state.lang][key];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== undefined && c !== null && c !== false) node.append(c);
    }
    return node;
  }

  // ---- spans: byte offsets of the UTF-8 text -> string indices ----

  function utf8Len(cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  function indicesOfBytes(text, byteOffsets) {
    const wanted = [...new Set(byteOffsets)].sort((a, b) => a - b);
    const out = new Map();
    let bytes = 0;
    let i = 0;
    let k = 0;
    while (k < wanted.length) {
      while (k < wanted.length && wanted[k] <= bytes) out.set(wanted[k++], i);
      if (i >= text.length) break;
      const cp = text.codePointAt(i);
      bytes += utf8Len(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    for (; k < wanted.length; k++) out.set(wanted[k], text.length);
    return out;
  }

  function toFindings(raw, text) {
    const offsets = [];
    for (const f of raw) {
      offsets.push(f.start.offset, f.end.offset);
      if (f.related) offsets.push(f.related.start.offset, f.related.end.offset);
    }
    const at = indicesOfBytes(text, offsets);
    return raw.map((f, i) => ({
      i,
      rule: f.rule,
      category: f.category,
      severity: f.severity,
      message: f.message,
      basis: f.basis,
      help: f.help,
      text: f.text,
      confidence: f.confidence === undefined ? null : Math.round(f.confidence * 100),
      line: f.start.line,
      column: f.start.column,
      start: at.get(f.start.offset),
      end: at.get(f.end.offset),
      missing: f.missing || null,
      related: f.related
        ? { text: f.related.text, start: at.get(f.related.start.offset), end: at.get(f.related.end.offset) }
        : null,
    }));
  }

  // ---- checking ----

  function scheduleCheck(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(check, delay === undefined ? 400 : delay);
  }

  async function check() {
    const text = editor.value;
    if (text === '') {
      Object.assign(state, { findings: [], summary: null, triggered: new Set(), checkedText: '', error: null, busy: false });
      document.body.dataset.state = 'done';
      render();
      return;
    }
    state.busy = true;
    document.body.dataset.state = 'checking';
    renderStatus();
    const params = new URLSearchParams({ format: state.doc.format, encoding: 'utf-8', lang: state.lang });
    if (state.doc.name) params.set('name', state.doc.name);
    let res;
    let body;
    try {
      res = await fetch('/api/check?' + params, {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
      body = await res.json();
    } catch (e) {
      res = null;
      body = { error: String(e) };
    }
    if (editor.value !== text) return; // edited meanwhile: a newer check is scheduled
    state.busy = false;
    if (!res || !res.ok) {
      Object.assign(state, { findings: [], summary: null, triggered: new Set(), checkedText: null });
      state.error = body && body.error ? body.error : `HTTP ${res && res.status}`;
      document.body.dataset.state = 'error';
      render();
      return;
    }
    state.error = null;
    state.findings = toFindings(body.findings, text);
    state.summary = body.summary;
    state.triggered = new Set((res.headers.get('Iryolint-Triggered') || '').split(',').filter(Boolean));
    state.checkedText = text;
    state.shownText = text;
    // A pinned explanation stays open when its findings are still there.
    const pinned = state.card && state.card.pinned ? state.card.keys : null;
    hideCard();
    document.body.dataset.state = 'done';
    render();
    if (pinned) {
      const ids = state.findings.filter((f) => pinned.includes(keyOf(f))).map((f) => f.i);
      if (ids.length) showCard(ids, true);
    }
  }

  // Keeps highlights in place while typing: findings before the edit stay,
  // those after it move, those it touches wait for the next check.
  function shiftFindings(before, after) {
    let p = 0;
    const max = Math.min(before.length, after.length);
    while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
    const editEnd = before.length - s;
    const delta = after.length - before.length;
    state.findings = state.findings
      .filter((f) => f.end <= p || f.start >= editEnd)
      .map((f) => (f.start >= editEnd ? { ...f, start: f.start + delta, end: f.end + delta, related: null } : f));
    state.findings.forEach((f, i) => (f.i = i));
  }

  // ---- rendering ----

  function render() {
    renderBackdrop();
    renderStatus();
    renderFindings();
    renderChecklist();
  }

  function worst(fs) {
    return fs.reduce((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'info');
  }

  function renderBackdrop() {
    const text = editor.value;
    const spans = state.findings.filter((f) => f.end > f.start && f.end <= text.length);
    const points = new Set([0, text.length]);
    for (const f of spans) points.add(f.start).add(f.end);
    const cuts = [...points].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let j = 0; j + 1 < cuts.length; j++) {
      const a = cuts[j];
      const b = cuts[j + 1];
      const cover = spans.filter((f) => f.start <= a && f.end >= b);
      const piece = text.slice(a, b);
      if (!cover.length) {
        frag.append(piece);
        continue;
      }
      const pageLevel = cover.every((f) => f.missing);
      const active = cover.some((f) => f.i === state.active);
      const cls = [worst(cover), pageLevel ? 'doc' : '', active ? 'active' : ''].filter(Boolean).join(' ');
      frag.append(el('mark', { class: cls, 'data-f': cover.map((f) => f.i).join(' ') }, piece));
    }
    // Gives a trailing empty line its height, as the textarea shows it.
    frag.append('\u200b');
    backdrop.replaceChildren(frag);
  }

  function renderStatus() {
    const status = $('status');
    let text;
    let cls;
    if (state.error) {
      [text, cls] = [state.error, 'has'];
    } else if (editor.value === '') {
      [text, cls] = [t('empty'), 'busy'];
    } else if (state.busy && state.checkedText === null) {
      [text, cls] = [t('checking'), 'busy'];
    } else if (state.summary) {
      const n = state.summary.findings;
      [text, cls] = [n === 0 ? t('clean') : `${t('has')(n)} ${t('counts')(state.summary)}`, n === 0 ? 'clean' : 'has'];
    } else {
      [text, cls] = [t('checking'), 'busy'];
    }
    status.textContent = text;
    status.className = 'status ' + cls;
    $('counts').textContent = state.summary ? t('counts')(state.summary) : '';
    $('docname').textContent = state.doc.name || t('pasted');
  }

  function categoryLabel(id) {
    const c = CATEGORIES.find((c) => c[0] === id);
    return c ? (state.lang === 'ja' ? c[1] : c[2]) : id;
  }

  function sevBadge(severity) {
    return el('span', { class: 'sev ' + severity }, t('severity')[severity]);
  }

  function renderFindings() {
    const box = $('findings');
    const groups = new Map();
    for (const f of state.findings) {
      if (!groups.has(f.category)) groups.set(f.category, []);
      groups.get(f.category).push(f);
    }
    const order = CATEGORIES.map((c) => c[0]);
    const cats = [...groups.keys()].sort((a, b) => (order.indexOf(a) + 99) % 99 - (order.indexOf(b) + 99) % 99);
    const nodes = cats.map((cat) =>
      el(
        'section',
        { class: 'cat', 'data-category': cat },
        el('h3', {}, `${categoryLabel(cat)} (${groups.get(cat).length})`),
        el(
          'ol',
          {},
          groups.get(cat).map((f) =>
            el(
              'li',
              {},
              el(
                'button',
                {
                  type: 'button',
                  class: `item ${f.severity}${f.i === state.active ? ' active' : ''}`,
                  'data-i': f.i,
                  onclick: () => jumpTo(f.i),
                },
                sevBadge(f.severity),
                el('span', { class: 'where' }, t('where')(f.line, f.column)),
                el('span', { class: 'quote' }, `「${f.text}」`),
                f.confidence === null ? null : el('span', { class: 'conf', title: t('confidenceTitle') }, t('confidence')(f.confidence)),
                el('span', { class: 'msg' }, f.message),
              ),
            ),
          ),
        ),
      ),
    );
    if (!nodes.length && state.checkedText) nodes.push(el('p', { class: 'none' }, t('noFindings')));
    box.replaceChildren(...nodes);
  }

  // The disclosure checklist: a rule applies when the server says the page
  // triggers it; then each element is present unless a finding lists it.
  function checklistState(group) {
    const rules = [...state.rules.values()].filter((r) => r.category === group.category);
    const triggered = rules.some((r) => state.triggered.has(r.id));
    const missing = new Set(
      state.findings.filter((f) => f.category === group.category && f.missing).flatMap((f) => f.missing),
    );
    return { enabled: rules.length > 0, triggered, missing };
  }

  function renderChecklist() {
    const box = $('checklist');
    const groups = CHECKLISTS.map((g) => {
      const s = checklistState(g);
      const known = state.checkedText !== null;
      let note;
      if (!s.enabled) note = t('clDisabled');
      else if (!known) note = '';
      else if (!s.triggered) note = t('clNotTriggered');
      else if (s.missing.size === 0) note = `${t('clTriggered')} ${t('clComplete')}`;
      else note = `${t('clTriggered')} ${t('clMissing')(s.missing.size)}`;
      const complete = known && s.triggered && s.missing.size === 0;
      return el(
        'div',
        {
          class: 'cl-group' + (complete ? ' complete' : ''),
          'data-category': g.category,
          'data-triggered': known && s.triggered ? 'true' : 'false',
        },
        el('h3', {}, state.lang === 'ja' ? g.ja : g.en),
        el('div', { class: 'cl-state' }, note),
        el(
          'ul',
          {},
          g.elements.map(([id, ja, en]) => {
            const st = !known || !s.triggered ? 'na' : s.missing.has(id) ? 'missing' : 'present';
            const mark = st === 'present' ? '✓' : st === 'missing' ? '✗' : '–';
            const label = st === 'present' ? t('present') : st === 'missing' ? t('absent') : t('notApplicable');
            // A missing item leads to the page-level finding that explains it.
            const finding = st === 'missing' ? state.findings.find((f) => f.missing && f.missing.includes(id)) : null;
            return el(
              'li',
              {
                class: st + (finding ? ' link' : ''),
                'data-element': id,
                'data-state': st,
                title: label,
                onclick: finding ? () => jumpTo(finding.i) : undefined,
              },
              el('span', { class: 'cl-mark', 'aria-label': label }, mark),
              el('span', {}, state.lang === 'ja' ? ja : en),
            );
          }),
        ),
      );
    });
    box.replaceChildren(...groups);
  }

  // ---- the explanation card ----

  function keyOf(f) {
    return `${f.rule}@${f.start}-${f.end}`;
  }

  function markOf(i) {
    return backdrop.querySelector(`mark[data-f~="${i}"]`);
  }

  function explain(f) {
    const rule = state.rules.get(f.rule);
    const lang = state.lang;
    const examples = (list, cls, title) =>
      list && list.length ? [el('h4', {}, title), el('ul', { class: cls }, list.slice(0, 4).map((e) => el('li', {}, e)))] : [];
    return el(
      'div',
      { class: 'f', 'data-rule': f.rule },
      el(
        'div',
        { class: 'head' },
        sevBadge(f.severity),
        el('strong', {}, categoryLabel(f.category)),
        ' ',
        el('span', { class: 'rule' }, f.rule),
      ),
      el('p', { class: 'message' }, f.message),
      f.missing
        ? [
            el('h4', {}, t('missing')),
            el('ul', { class: 'missing-list' }, f.missing.map((id) => el('li', {}, elementLabel(id)))),
            el('p', { class: 'rule' }, t('pageLevel')),
          ]
        : [],
      f.related ? [el('h4', {}, t('related')), el('p', {}, `「${f.related.text}」`)] : [],
      el('h4', {}, t('help')),
      el('p', { class: 'help' }, f.help),
      el('h4', {}, t('basis')),
      el('p', { class: 'basis' }, f.basis),
      rule && rule.description ? [el('h4', {}, t('description')), el('p', {}, rule.description[lang])] : [],
      rule ? examples(rule.examples.bad, 'bad', t('bad')) : [],
      rule ? examples(rule.examples.good, 'good', t('good')) : [],
    );
  }

  function elementLabel(id) {
    for (const g of CHECKLISTS) {
      const e = g.elements.find((e) => e[0] === id);
      if (e) return state.lang === 'ja' ? e[1] : e[2];
    }
    return id;
  }

  function showCard(ids, pinned, anchor) {
    const fs = ids.map((i) => state.findings[i]).filter(Boolean);
    if (!fs.length) return hideCard();
    const same = state.card && state.card.pinned === pinned && state.card.ids.join() === ids.join();
    state.card = { ids, pinned, keys: fs.map(keyOf) };
    if (!same) {
      const close = el('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: hideCard }, '×');
      card.replaceChildren(...(pinned ? [close] : []), ...fs.map(explain));
      card.classList.toggle('pinned', pinned);
      card.hidden = false;
    }
    const target = anchor || markOf(ids[0]);
    if (target) placeCard(target);
  }

  function placeCard(target) {
    const rects = target.getClientRects();
    const r = rects.length ? rects[rects.length - 1] : target.getBoundingClientRect();
    const w = card.offsetWidth;
    const h = card.offsetHeight;
    let left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - w - 8));
    let top = r.bottom + 6;
    if (top + h > window.innerHeight && r.top - h - 6 > 0) top = r.top - h - 6;
    card.style.left = `${left + window.scrollX}px`;
    card.style.top = `${top + window.scrollY}px`;
  }

  function hideCard() {
    state.card = null;
    card.hidden = true;
  }

  function marksAt(x, y) {
    return document.elementsFromPoint(x, y).find((e) => e.tagName === 'MARK' && backdrop.contains(e));
  }

  function idsOf(mark) {
    return mark.dataset.f.split(' ').map(Number);
  }

  function setActive(i) {
    state.active = i;
    for (const m of backdrop.querySelectorAll('mark.active')) m.classList.remove('active');
    for (const m of backdrop.querySelectorAll(`mark[data-f~="${i}"]`)) m.classList.add('active');
    for (const b of document.querySelectorAll('.item.active')) b.classList.remove('active');
    const item = document.querySelector(`.item[data-i="${i}"]`);
    if (item) item.classList.add('active');
  }

  function jumpTo(i) {
    const f = state.findings[i];
    if (!f) return;
    editor.focus({ preventScroll: true });
    editor.setSelectionRange(f.start, f.end);
    setActive(i);
    const mark = markOf(i);
    if (mark) {
      mark.scrollIntoView({ block: 'center', inline: 'nearest' });
      showCard([i], true, mark);
    }
  }

  let hoverFrame = 0;
  editor.addEventListener('mousemove', (e) => {
    if (hoverFrame) return;
    hoverFrame = requestAnimationFrame(() => {
      hoverFrame = 0;
      if (state.card && state.card.pinned) return;
      const mark = marksAt(e.clientX, e.clientY);
      if (mark) showCard(idsOf(mark), false, mark);
      else hideCard();
    });
  });
  editor.addEventListener('mouseleave', (e) => {
    if (state.card && !state.card.pinned && !card.contains(e.relatedTarget)) hideCard();
  });
  editor.addEventListener('click', (e) => {
    const mark = marksAt(e.clientX, e.clientY);
    if (mark) {
      const ids = idsOf(mark);
      setActive(ids[0]);
      showCard(ids, true, mark);
    } else if (state.card) {
      hideCard();
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.card) hideCard();
  });
  window.addEventListener('resize', () => {
    if (state.card) showCard(state.card.ids, state.card.pinned);
  });

  // ---- editing, files, language ----

  editor.addEventListener('input', () => {
    document.body.dataset.state = 'editing';
    shiftFindings(state.shownText, editor.value);
    state.shownText = editor.value;
    if (state.card) hideCard();
    renderBackdrop();
    scheduleCheck();
  });

  function setDocument(text, name, format) {
    editor.value = text;
    state.doc = { name, format };
    formatSelect.value = format;
    state.findings = [];
    // The textarea turns CRLF into LF: spans are those of what it holds.
    state.shownText = editor.value;
    state.checkedText = null;
    state.summary = null;
    document.body.dataset.state = 'editing';
    hideCard();
    render();
    scheduleCheck(0);
  }

  async function openFile(file) {
    let res;
    let body;
    try {
      res = await fetch('/api/open?' + new URLSearchParams({ name: file.name }), {
        method: 'POST',
        body: await file.arrayBuffer(),
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      body = await res.json();
    } catch (e) {
      return toast(String(e), true);
    }
    if (!res.ok) return toast(body.error || `HTTP ${res.status}`, true);
    setDocument(body.text, body.name, body.format);
    if (body.warnings.length) toast(body.warnings.join('\n'), true);
  }

  $('open-file').addEventListener('click', () => $('file-input').click());
  $('file-input').addEventListener('change', (e) => {
    const file = e.target.files[0];
    if (file) openFile(file);
    e.target.value = '';
  });
  formatSelect.addEventListener('change', () => {
    document.body.dataset.state = 'editing';
    state.doc.format = formatSelect.value;
    scheduleCheck(0);
  });
  $('sample').addEventListener('click', () => {
    if (editor.value.trim() && editor.value !== SAMPLE && !confirm(t('replaceConfirm'))) return;
    setDocument(SAMPLE, null, 'text');
    editor.focus();
  });

  const drop = $('drop');
  let dragDepth = 0;
  window.addEventListener('dragenter', (e) => {
    if (![...e.dataTransfer.types].includes('Files')) return;
    e.preventDefault();
    dragDepth++;
    drop.hidden = false;
  });
  window.addEventListener('dragover', (e) => {
    if ([...e.dataTransfer.types].includes('Files')) e.preventDefault();
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) drop.hidden = true;
  });
  window.addEventListener('drop', (e) => {
    dragDepth = 0;
    drop.hidden = true;
    const file = e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault();
    openFile(file);
  });

  function setLang(lang, recheck) {
    state.lang = lang;
    try {
      localStorage.setItem('iryolint.lang', lang);
    } catch (e) {
      /* storage may be off: the choice lasts for this page only */
    }
    document.documentElement.lang = lang;
    document.title = t('pageTitle');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    editor.placeholder = t('placeholder');
    editor.setAttribute('aria-label', t('editorLabel'));
    for (const b of document.querySelectorAll('.lang button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    hideCard();
    render();
    if (recheck && editor.value) {
      document.body.dataset.state = 'editing';
      scheduleCheck(0);
    }
  }
  for (const b of document.querySelectorAll('.lang button')) b.addEventListener('click', () => setLang(b.dataset.lang, true));

  // ---- the Markdown report ----

  function markdownReport() {
    const lines = [];
    const name = state.doc.name || t('pasted');
    lines.push(`# ${t('reportTitle')}: ${name}`, '');
    lines.push(`- ${t('reportDate')}: ${new Date().toLocaleString(state.lang === 'ja' ? 'ja-JP' : 'en-GB')}`);
    const s = state.summary || { findings: 0, errors: 0, warnings: 0, infos: 0 };
    lines.push(`- ${t('reportSummary')}: ${s.findings} (${t('counts')(s)})`, '');
    lines.push(`## ${t('checklist')}`, '');
    for (const g of CHECKLISTS) {
      const st = checklistState(g);
      lines.push(`### ${state.lang === 'ja' ? g.ja : g.en}`, '');
      if (!st.enabled) lines.push(t('clDisabled'), '');
      else if (!st.triggered) lines.push(t('clNotTriggered'), '');
      else {
        for (const [id, ja, en] of g.elements) {
          lines.push(`- [${st.missing.has(id) ? ' ' : 'x'}] ${state.lang === 'ja' ? ja : en}`);
        }
        lines.push('');
      }
    }
    lines.push(`## ${t('findings')}`, '');
    if (!state.findings.length) lines.push(t('noFindings'), '');
    for (const [cat] of CATEGORIES) {
      const fs = state.findings.filter((f) => f.category === cat);
      if (!fs.length) continue;
      lines.push(`### ${categoryLabel(cat)} (${fs.length})`, '');
      fs.forEach((f, n) => {
        lines.push(`${n + 1}. **${t('severity')[f.severity]}** \`${f.rule}\` ${t('where')(f.line, f.column)}「${f.text}」`);
        lines.push(`   - ${t('message')}: ${f.message}`);
        if (f.missing) lines.push(`   - ${t('missing')}: ${f.missing.map(elementLabel).join('、')}`);
        lines.push(`   - ${t('help')}: ${f.help}`);
        lines.push(`   - ${t('basis')}: ${f.basis}`);
      });
      lines.push('');
    }
    return lines.join('\n');
  }

  $('copy-report').addEventListener('click', async () => {
    const text = markdownReport();
    try {
      await navigator.clipboard.writeText(text);
      toast(t('copied'));
    } catch (e) {
      const area = el('textarea', { style: 'position:fixed;left:-9999px' });
      area.value = text;
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      toast(ok ? t('copied') : t('copyFailed'), !ok);
    }
  });

  let toastTimer = 0;
  function toast(message, bad) {
    const box = $('toast');
    box.textContent = message;
    box.className = 'toast' + (bad ? ' bad' : '');
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (box.hidden = true), bad ? 6000 : 2500);
  }

  // ---- start ----

  async function start() {
    let lang = null;
    try {
      lang = localStorage.getItem('iryolint.lang');
    } catch (e) {
      /* no storage */
    }
    const [info, rules] = await Promise.all([
      fetch('/api/info').then((r) => r.json()),
      fetch('/api/rules').then((r) => r.json()),
    ]);
    for (const r of rules.rules) state.rules.set(r.id, r);
    setLang(lang === 'ja' || lang === 'en' ? lang : info.lang, false);
    document.body.dataset.state = 'ready';
    editor.focus();
  }
  start();
})();
