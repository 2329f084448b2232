//! The `iryolint` Python package: the linter's pipeline behind two
//! functions, `check` and `rules`.
//!
//! The rule pack is compiled once per process (and once per config file),
//! on first use; checking runs with the GIL released, so Python threads
//! check pages in parallel. Findings are the JSON report's findings, as
//! dicts with the same keys and values.

use std::collections::HashMap;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use iryolint::cli::GlobalArgs;
use iryolint::config::Config;
use iryolint::extract::InputFormat;
use iryolint::lint::{self, Finding, Fingerprints, InputError, ReadOptions};
use iryolint::rules::RuleSet;
use iryolint::source::Position;
use iryolint::Lang;
use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString};
use serde_json::Value;

/// The embedded pack, compiled on first use.
static DEFAULT_SET: OnceLock<Result<Arc<RuleSet>, String>> = OnceLock::new();
/// Packs with a config file applied, by canonical path of the file.
static CONFIGURED_SETS: Mutex<Option<HashMap<PathBuf, Arc<RuleSet>>>> = Mutex::new(None);
/// The `front-matter-keys` of each config file read, by canonical path.
static FRONT_MATTER_KEYS: Mutex<Option<HashMap<PathBuf, Option<Arc<[String]>>>>> = Mutex::new(None);
/// How many times a rule pack was compiled in this process.
static COMPILATIONS: AtomicUsize = AtomicUsize::new(0);

/// Compiles the embedded pack with `config` applied, as the command line
/// does with `--config FILE`.
fn compile(config: Option<&Config>) -> Result<RuleSet, String> {
    COMPILATIONS.fetch_add(1, Ordering::Relaxed);
    let global = GlobalArgs {
        lang: None,
        rules: Vec::new(),
        config: None,
        no_config: true,
        select: Vec::new(),
        ignore: Vec::new(),
        all_findings: false,
        min_confidence: None,
    };
    iryolint::app::load_rules(&global, config)
}

/// The rule set for `config` (the embedded pack when `None`), compiled
/// once per process.
fn rule_set(config: Option<&Path>) -> Result<Arc<RuleSet>, String> {
    let Some(path) = config else {
        return DEFAULT_SET.get_or_init(|| compile(None).map(Arc::new)).clone();
    };
    let key = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sets = CONFIGURED_SETS.lock().unwrap_or_else(PoisonError::into_inner);
    let sets = sets.get_or_insert_with(HashMap::new);
    if let Some(set) = sets.get(&key) {
        return Ok(set.clone());
    }
    let config = Config::load(path)?;
    let set = Arc::new(compile(Some(&config))?);
    let keys = config.front_matter_key_names().map(Arc::from);
    FRONT_MATTER_KEYS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(key.clone(), keys);
    sets.insert(key, set.clone());
    Ok(set)
}

/// The `front-matter-keys` of `config` (`None`: the defaults), read when
/// its rule set was compiled.
fn front_matter_keys(config: Option<&Path>) -> Option<Arc<[String]>> {
    let key = std::fs::canonicalize(config?).ok()?;
    let keys = FRONT_MATTER_KEYS.lock().unwrap_or_else(PoisonError::into_inner);
    keys.as_ref()?.get(&key).cloned().flatten()
}

fn parse_format(format: &str) -> PyResult<InputFormat> {
    match format {
        "html" => Ok(InputFormat::Html),
        "markdown" => Ok(InputFormat::Markdown),
        "text" => Ok(InputFormat::Text),
        "docx" => Ok(InputFormat::Docx),
        _ => Err(PyValueError::new_err(format!(
            "unknown format {format:?} (expected \"html\", \"markdown\", \"text\" or \"docx\")"
        ))),
    }
}

fn parse_lang(lang: &str) -> PyResult<Lang> {
    match lang {
        "ja" => Ok(Lang::Ja),
        "en" => Ok(Lang::En),
        _ => Err(PyValueError::new_err(format!("unknown lang {lang:?} (expected \"ja\" or \"en\")"))),
    }
}

/// A `serde_json::Value` as the Python object `json.loads` would give.
fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i)) => i.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// One rule's strings as Python objects, made once per call.
struct RuleStrings<'py> {
    id: Bound<'py, PyString>,
    message: Bound<'py, PyString>,
    basis: Bound<'py, PyString>,
    help: Bound<'py, PyString>,
}

fn position<'py>(py: Python<'py>, p: &Position) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "line"), p.line)?;
    dict.set_item(intern!(py, "column"), p.column)?;
    dict.set_item(intern!(py, "offset"), p.offset)?;
    Ok(dict)
}

/// The findings as the dicts of the JSON report's findings (the keys and
/// order of `iryolint::render::json::JsonFinding`; the tests compare them
/// with the command line's JSON). Built straight from the findings, with
/// interned keys and each rule's texts made once, to hold the GIL briefly.
fn findings_list<'py>(
    py: Python<'py>,
    path: &str,
    findings: &[Finding],
    set: &RuleSet,
    lang: Lang,
) -> PyResult<Bound<'py, PyList>> {
    let path = PyString::new(py, path);
    let mut strings: HashMap<usize, RuleStrings<'py>> = HashMap::new();
    let list = PyList::empty(py);
    for f in findings {
        let rule = &set.rules[f.rule];
        let texts = strings.entry(f.rule).or_insert_with(|| RuleStrings {
            id: PyString::new(py, &rule.id),
            message: PyString::new(py, rule.message.get(lang)),
            basis: PyString::new(py, &rule.basis),
            help: PyString::new(py, rule.help.get(lang)),
        });
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "path"), &path)?;
        dict.set_item(intern!(py, "rule"), &texts.id)?;
        dict.set_item(intern!(py, "category"), PyString::intern(py, f.category.as_str()))?;
        dict.set_item(intern!(py, "severity"), PyString::intern(py, f.severity.as_str()))?;
        dict.set_item(intern!(py, "message"), &texts.message)?;
        dict.set_item(intern!(py, "start"), position(py, &f.start)?)?;
        dict.set_item(intern!(py, "end"), position(py, &f.end)?)?;
        dict.set_item(intern!(py, "text"), &f.text)?;
        if !f.missing.is_empty() {
            dict.set_item(intern!(py, "missing"), PyList::new(py, &f.missing)?)?;
        }
        if let Some(related) = &f.related {
            let r = PyDict::new(py);
            r.set_item(intern!(py, "start"), position(py, &related.start)?)?;
            r.set_item(intern!(py, "end"), position(py, &related.end)?)?;
            r.set_item(intern!(py, "text"), &related.text)?;
            dict.set_item(intern!(py, "related"), r)?;
        }
        if let Some(confidence) = f.confidence_decimal() {
            dict.set_item(intern!(py, "confidence"), confidence)?;
        }
        dict.set_item(intern!(py, "basis"), &texts.basis)?;
        dict.set_item(intern!(py, "help"), &texts.help)?;
        list.append(dict)?;
    }
    Ok(list)
}

/// The findings shown, in the report's order (position, then rule), as
/// the command line's flags choose them over the config's keys: every one
/// when `all_findings`; with `min_confidence`, those the precision model's
/// threshold keeps and at least that sure (whatever the config's
/// `all-findings` or `min-confidence`); otherwise those the config keeps.
fn shown(
    mut findings: Vec<Finding>,
    unlikely: Vec<Finding>,
    all_findings: bool,
    min_confidence: Option<f32>,
) -> Vec<Finding> {
    if all_findings || min_confidence.is_some() {
        findings.extend(unlikely);
        findings.sort_by_key(|f| (f.start.offset, f.end.offset, f.rule));
    }
    if let Some(share) = min_confidence {
        findings.retain(|f| !f.below_threshold && f.confidence.is_none_or(|c| c >= share));
    }
    findings
}

/// Checks one page and returns its findings as a list of dicts.
///
/// `content` is a `str` (already decoded text) or `bytes` (decoded as the
/// command line decodes files: byte-order mark, `<meta charset>`, then
/// detection). `format` is "html", "markdown", "text" or "docx" (bytes
/// only); `lang` the language of `message` and `help`; `config` the path
/// of an iryolint.toml whose rule selection, severities, team rules,
/// products and front-matter keys apply (read once per process); `path`
/// the `path` of every finding; `all_findings` keeps the span findings the
/// precision model finds unlikely, or the config's `min-confidence` drops
/// (as `--all-findings`, or `all-findings = true` in the config);
/// `min_confidence` (a share from 0 to 1) drops the span findings less sure
/// than it, in place of the config's `min-confidence` or `all-findings` (as
/// `--min-confidence`). Each dict has the keys of the
/// JSON report's findings: path, rule, category, severity, message, start,
/// end ({line, column, offset}: offsets are bytes of the UTF-8 text,
/// columns characters), text, missing, related and confidence when
/// present, basis, help.
///
/// Raises ValueError for content that cannot be read (binary, a corrupt
/// .docx), for bad arguments (`all_findings` with `min_confidence`, a
/// share outside 0 to 1) and for bad config files.
#[pyfunction]
#[pyo3(signature = (content, *, format = "html", lang = "ja", config = None, path = "-", all_findings = false, min_confidence = None))]
#[allow(clippy::too_many_arguments)]
fn check<'py>(
    py: Python<'py>,
    content: &Bound<'py, PyAny>,
    format: &str,
    lang: &str,
    config: Option<PathBuf>,
    path: &str,
    all_findings: bool,
    min_confidence: Option<f32>,
) -> PyResult<Bound<'py, PyList>> {
    let format = parse_format(format)?;
    let lang = parse_lang(lang)?;
    if all_findings && min_confidence.is_some() {
        return Err(PyValueError::new_err("all_findings and min_confidence cannot be used together"));
    }
    if let Some(share) = min_confidence.filter(|share| !(0.0..=1.0).contains(share)) {
        return Err(PyValueError::new_err(format!("min_confidence: {}", iryolint::cli::not_a_share(share))));
    }
    type Checked = Result<(Vec<Finding>, Vec<String>, Arc<RuleSet>), String>;
    let outcome: Checked = if let Ok(text) = content.cast::<PyString>() {
        if format == InputFormat::Docx {
            return Err(PyTypeError::new_err("format=\"docx\" needs the file's bytes, not a str"));
        }
        let text = text.to_cow()?.into_owned();
        py.detach(|| {
            let set = rule_set(config.as_deref())?;
            let keys = front_matter_keys(config.as_deref());
            // Findings are returned as the JSON report gives them, without
            // fingerprints.
            let report = lint::lint_format_with(path, text, format, keys.as_deref(), Fingerprints::Skip, &set);
            Ok((shown(report.findings, report.unlikely, all_findings, min_confidence), report.warnings, set))
        })
    } else if let Ok(bytes) = content.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        py.detach(|| {
            let set = rule_set(config.as_deref())?;
            let keys = front_matter_keys(config.as_deref());
            let opts = ReadOptions {
                format: Some(format),
                front_matter_keys: keys.as_deref(),
                fingerprints: Fingerprints::Skip,
                ..ReadOptions::default()
            };
            let report = match lint::lint_bytes(path, bytes, opts, &set) {
                Ok(report) => report,
                Err(InputError::Binary) => return Err(format!("{path}: binary content, not a page")),
                Err(InputError::Unreadable(why)) => return Err(format!("{path}: {why}")),
            };
            Ok((shown(report.findings, report.unlikely, all_findings, min_confidence), report.warnings, set))
        })
    } else {
        return Err(PyTypeError::new_err(format!("content must be str or bytes, not {}", content.get_type().name()?)));
    };
    let (findings, warnings, set) = outcome.map_err(PyValueError::new_err)?;
    for w in warnings {
        let message = CString::new(w.replace('\0', " ")).unwrap_or_default();
        PyErr::warn(py, &py.get_type::<PyUserWarning>(), &message, 1)?;
    }
    findings_list(py, path, &findings, &set, lang)
}

/// Every rule, as `iryolint rules --format json` lists them: dicts with
/// id, category, severity, kind, summary, basis, message, help,
/// description (when present) and examples. With `config`, the rules that
/// config selects, with its severities.
#[pyfunction]
#[pyo3(signature = (*, config = None))]
fn rules<'py>(py: Python<'py>, config: Option<PathBuf>) -> PyResult<Bound<'py, PyAny>> {
    let value = py
        .detach(|| rule_set(config.as_deref()).map(|set| iryolint::render::rules::to_value(&set)))
        .map_err(PyValueError::new_err)?;
    to_py(py, &value)
}

/// How many times this process compiled a rule pack (for tests: the
/// embedded pack once, each config file once).
#[pyfunction]
fn _compilations() -> usize {
    COMPILATIONS.load(Ordering::Relaxed)
}

/// Lints Japanese clinic advertising copy against Japan's medical-advertising
/// rules (医療法 第6条の5, 医療広告ガイドライン, 薬機法, 景品表示法).
#[pymodule]
mod _iryolint {
    #[pymodule_export]
    use super::{_compilations, check, rules};

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
