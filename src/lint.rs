//! The pipeline for one input: decode, extract, normalize, check, and map
//! findings back to source positions.

use crate::engine;
use crate::extract::{self, InputFormat};
use crate::fingerprint::{self, Fingerprint};
use crate::limits::{human_size, Limits};
use crate::rules::{Category, RuleSet, Severity};
use crate::source::{self, DecodeError, LineIndex, Position};
use crate::suppress::{self, Suppression};
use crate::text::Document;

/// A finding with its positions in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// The rule's category.
    pub category: Category,
    /// Severity after adjustments (hedges lower claims).
    pub severity: Severity,
    /// Start of the span (inclusive).
    pub start: Position,
    /// End of the span (exclusive).
    pub end: Position,
    /// The visible text of the span.
    pub text: String,
    /// The second label (the claim an evidence leap rests on).
    pub related: Option<Related>,
    /// Missing disclosure element ids (disclosure rules only).
    pub missing: Vec<&'static str>,
    /// What identifies it across runs (see [`crate::fingerprint`]); zero
    /// when the check skipped fingerprints ([`Fingerprints::Skip`]).
    pub fingerprint: Fingerprint,
    /// Whether the run drops it: the precision model finds it unlikely to
    /// be marked, or its confidence is below the run's `--min-confidence`
    /// ([`crate::engine::likely::Judgement::dropped`]): such findings meet
    /// suppressions and get fingerprints (when the check gives them), then
    /// go to [`FileReport::unlikely`].
    pub unlikely: bool,
    /// The share of such findings reviewers marked when the models were
    /// cross-validated ([`crate::engine::likely::Judgement::confidence`]);
    /// `None` for a missing-disclosure finding.
    pub confidence: Option<f32>,
    /// Whether the precision model's threshold drops it, whatever the run
    /// keeps ([`crate::engine::likely::Judgement::below_threshold`]).
    pub below_threshold: bool,
}

impl Finding {
    /// The confidence as the JSON report writes it (the shortest decimal of
    /// the `f32`, 0.376 rather than 0.37599998…), for outputs that carry it
    /// as a double or in percent, so that all of them agree.
    pub fn confidence_decimal(&self) -> Option<f64> {
        self.confidence.map(|c| c.to_string().parse().expect("a float's decimal parses"))
    }

    /// The confidence in whole percent, as the terminal and the editor show
    /// it.
    pub fn confidence_percent(&self) -> Option<u32> {
        self.confidence_decimal().map(|c| (c * 100.0).round() as u32)
    }
}

/// A secondary span of a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Start (inclusive).
    pub start: Position,
    /// End (exclusive).
    pub end: Position,
    /// Its visible text.
    pub text: String,
}

/// The findings of one input.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given (or the stdin name).
    pub path: String,
    /// The path relative to the project root (the config file's folder, or
    /// the repository's), with forward slashes: how baselines and GitLab
    /// name the file. The path as given until the run sets it.
    pub project_path: String,
    /// Which of the run's rule sets checked it (0 but with nested configs).
    pub set: usize,
    /// The decoded text (kept for rendering snippets).
    pub text: String,
    /// Findings, sorted by position then rule.
    pub findings: Vec<Finding>,
    /// Warnings about the input (invalid bytes, an overruled encoding
    /// declaration, findings over the limit) that did not stop the check.
    pub warnings: Vec<String>,
    /// Inline suppressions that suppressed nothing.
    pub unused_suppressions: Vec<Suppression>,
    /// The span findings the precision model dropped or that are less sure
    /// than the run's `--min-confidence`, suppressed ones excepted (none
    /// when the run keeps every finding, `--all-findings`):
    /// no output shows them, the summary counts them, and baselines know
    /// them (so that a baseline stays right whatever the model keeps).
    pub unlikely: Vec<Finding>,
}

/// Why an input could not be checked.
#[derive(Debug, PartialEq, Eq)]
pub enum InputError {
    /// Binary file: skipped with a note, not an error.
    Binary,
    /// A file that could not be read as its format (a corrupt .docx, bytes
    /// that are not text in any encoding, an input over a limit).
    Unreadable(String),
}

/// Options for reading one input.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions<'a> {
    /// Force this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Force this format instead of choosing by extension.
    pub format: Option<InputFormat>,
    /// Size and findings limits.
    pub limits: Limits,
    /// The Markdown front-matter keys to read (`None`: the defaults,
    /// [`extract::markdown::DEFAULT_FRONT_MATTER_KEYS`]).
    pub front_matter_keys: Option<&'a [String]>,
    /// Whether findings get their fingerprints.
    pub fingerprints: Fingerprints,
}

/// Whether a check gives its findings their fingerprints
/// ([`crate::fingerprint`]). Only baselines and the SARIF and GitLab
/// reports read them, and folding and hashing each finding's line is about
/// 7 % of the instructions of a run that writes none of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fingerprints {
    /// Fingerprint every finding (the default).
    #[default]
    Stamp,
    /// Leave every fingerprint zero ([`Fingerprint::default`]).
    Skip,
}

/// Decodes and checks the bytes of one input.
pub fn lint_bytes(path: &str, bytes: &[u8], opts: ReadOptions, set: &RuleSet) -> Result<FileReport, InputError> {
    lint_cow(path, std::borrow::Cow::Borrowed(bytes), opts, set)
}

/// [`lint_bytes`], freeing the bytes once they are decoded: a large file
/// is not held twice (bytes and text) while it is checked.
pub fn lint_owned_bytes(
    path: &str,
    bytes: Vec<u8>,
    opts: ReadOptions,
    set: &RuleSet,
) -> Result<FileReport, InputError> {
    lint_cow(path, std::borrow::Cow::Owned(bytes), opts, set)
}

fn lint_cow(
    path: &str,
    bytes: std::borrow::Cow<[u8]>,
    opts: ReadOptions,
    set: &RuleSet,
) -> Result<FileReport, InputError> {
    let limits = opts.limits;
    let too_big = |what: &str| {
        InputError::Unreadable(format!(
            "{what} is larger than {} (the limit; raise it with --max-file-size)",
            human_size(limits.max_file_bytes)
        ))
    };
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_big("the file"));
    }
    let format = opts.format.or_else(|| InputFormat::for_path(path.as_ref())).unwrap_or(InputFormat::Text);
    let mut report = if format == InputFormat::Docx {
        let view = extract::docx::plain_text(&bytes, limits.max_docx_xml_bytes).map_err(InputError::Unreadable)?;
        drop(bytes);
        if view.len() as u64 > limits.max_file_bytes {
            return Err(too_big("its text"));
        }
        lint_format_limited(path, view, format, None, limits.max_sentence_chars, opts.fingerprints, set)
    } else {
        let decoded = source::decode(&bytes, opts.encoding).map_err(|e| match e {
            DecodeError::Binary => InputError::Binary,
            DecodeError::Undecodable(why) => InputError::Unreadable(why),
        })?;
        drop(bytes);
        if decoded.text.len() as u64 > u64::from(u32::MAX) {
            // Source offsets are 32-bit inside the text model.
            return Err(too_big("its text as UTF-8"));
        }
        let replaced = decoded.replaced_bytes_warning(path, 0);
        let mut report = lint_format_limited(
            path,
            decoded.text,
            format,
            opts.front_matter_keys,
            limits.max_sentence_chars,
            opts.fingerprints,
            set,
        );
        report.warnings.extend(decoded.warnings.into_iter().map(|w| format!("{path}: {w}")));
        report.warnings.extend(replaced);
        report
    };
    cap_findings(&mut report, path, limits.max_findings_per_file);
    Ok(report)
}

/// Keeps the first `max` findings of `report` (`0`: all) and counts the
/// rest in a warning.
pub fn cap_findings(report: &mut FileReport, path: &str, max: usize) {
    if max > 0 && report.findings.len() > max {
        let dropped = report.findings.len() - max;
        report.findings.truncate(max);
        report.warnings.push(format!(
            "{path}: {dropped} more findings not reported (at most {max} per file; raise it with --max-findings)"
        ));
    }
}

/// Checks text that is already decoded, read as plain text.
pub fn lint_text(path: &str, text: &str, set: &RuleSet) -> FileReport {
    lint_format(path, text.to_string(), InputFormat::Text, set)
}

/// Checks decoded text read as `format`.
pub fn lint_format(path: &str, text: String, format: InputFormat, set: &RuleSet) -> FileReport {
    lint_format_with(path, text, format, None, Fingerprints::Stamp, set)
}

/// [`lint_format`], reading the Markdown front-matter keys
/// `front_matter_keys` (`None`: the defaults), fingerprinting the findings
/// or not: outputs that show no fingerprint (the language server's
/// diagnostics, the local page's and the Python bindings' reports, `eval`'s
/// scores) skip them.
pub fn lint_format_with(
    path: &str,
    text: String,
    format: InputFormat,
    front_matter_keys: Option<&[String]>,
    fingerprints: Fingerprints,
    set: &RuleSet,
) -> FileReport {
    lint_format_limited(path, text, format, front_matter_keys, crate::text::MAX_SENTENCE_CHARS, fingerprints, set)
}

/// [`lint_format_with`], cutting sentences longer than
/// `max_sentence_chars` characters (`--max-sentence-chars`), fingerprinting
/// the findings or not.
pub fn lint_format_limited(
    path: &str,
    text: String,
    format: InputFormat,
    front_matter_keys: Option<&[String]>,
    max_sentence_chars: usize,
    fingerprints: Fingerprints,
    set: &RuleSet,
) -> FileReport {
    let (doc, comments) = build_document(&text, format, front_matter_keys, max_sentence_chars);
    let raw = engine::check_all(&doc, set);
    let judgements = engine::likely::judge(&doc, set, &raw);
    let lines = LineIndex::new(&text);
    let span = |range: std::ops::Range<usize>| {
        let src = doc.source_range(&text, range.clone());
        (lines.position(&text, src.start), lines.position(&text, src.end), doc.visible_text(&text, range))
    };
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .zip(judgements)
        .map(|(f, judgement)| {
            let (start, end, visible) = span(f.range);
            let related = f.related.map(|r| {
                let (start, end, text) = span(r);
                Related { start, end, text }
            });
            Finding {
                rule: f.rule,
                category: set.rules[f.rule].category,
                severity: f.severity,
                start,
                end,
                text: visible,
                related,
                missing: f.missing,
                fingerprint: Fingerprint::default(),
                unlikely: judgement.dropped,
                below_threshold: judgement.below_threshold,
                confidence: judgement.confidence,
            }
        })
        .collect();
    // Blocks may be out of source order (HTML attributes come last).
    findings.sort_by_key(|f| (f.start.offset, f.end.offset, f.rule));
    let unused_suppressions = if text.contains("iryolint-") {
        suppress::apply(suppress::parse(&text, &lines, &comments), &mut findings, set)
    } else {
        Vec::new()
    };
    // Suppressions meet every finding, so that one whose finding the model
    // drops is not reported unused (a retrained model may bring it back);
    // fingerprints are given before the drop, so that none depends on what
    // the model keeps.
    if fingerprints == Fingerprints::Stamp {
        fingerprint::stamp(&mut findings, &text, &lines, set);
    }
    let (unlikely, findings): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(|f| f.unlikely);
    FileReport {
        path: path.to_string(),
        project_path: project_path(path),
        set: 0,
        text,
        findings,
        warnings: Vec::new(),
        unused_suppressions,
        unlikely,
    }
}

/// The document the rules read: `text` read as `format` (Markdown front
/// matter `front_matter_keys`, sentences cut at `max_sentence_chars`), and
/// where its comments are.
pub fn build_document(
    text: &str,
    format: InputFormat,
    front_matter_keys: Option<&[String]>,
    max_sentence_chars: usize,
) -> (Document, extract::Comments) {
    let extract::Extraction { text: extracted, comments } = extract::read_with(text, format, front_matter_keys);
    (Document::build_with_limit(extracted, text, max_sentence_chars.max(1)), comments)
}

/// `path` with forward slashes and without a leading `./`.
pub fn project_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_string()
}
