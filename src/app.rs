//! Running a command line: resolve the config, load the rules, find the
//! inputs, check them in parallel, print, and decide the exit code.
//!
//! Exit codes: 0 when nothing at or above `--fail-on` was found, 1 when
//! something was, 2 when anything could not be done (usage, I/O, decoding,
//! config or rule files, an internal error). A bad input never stops the
//! others from being checked, and a panic while checking one input is
//! reported for that input alone.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::baseline::Baseline;
use crate::cli::{CheckArgs, Cli, Command, Format, GlobalArgs, InputKind, RulesFormat};
use crate::config::{self, Config};
use crate::extract::InputFormat;
use crate::input::{self, Bytes};
use crate::limits::Limits;
use crate::lint::{self, FileReport, Fingerprints, InputError, ReadOptions};
use crate::messages;
use crate::project::Project;
use crate::render;
use crate::report::Run;
use crate::rules::{Pack, RuleSet, Severity};
use crate::source::encoding_for_label;
use crate::stream::{self, RecordFormat};
use crate::walk::{self, Input};
use crate::{atomic, contain, diag, Lang};

/// Exit code: nothing at or above the threshold.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: something could not be done.
pub const EXIT_ERROR: i32 = 2;

/// Runs a parsed command line and returns the exit code. Errors are
/// printed to standard error as one line each.
pub fn run(cli: Cli) -> i32 {
    // The parser refuses the two flags together on one level only
    // (`iryolint --all-findings check --min-confidence 0.5` passes it).
    if cli.global.all_findings && cli.global.min_confidence.is_some() {
        return fail("--all-findings and --min-confidence cannot be used together: one keeps every finding, the other drops some");
    }
    match cli.command {
        Command::Init => return init(),
        Command::Lsp => return crate::lsp::run(&cli.global),
        _ => {}
    }
    let config = match load_config(&cli.global) {
        Ok(config) => config,
        Err(message) => return fail(&message),
    };
    let lang = cli.global.lang.or(config.as_ref().and_then(|c| c.lang)).unwrap_or_else(Lang::from_env);
    let set = match load_rules(&cli.global, config.as_ref()) {
        Ok(set) => set,
        Err(message) => return fail(&message),
    };
    if let Command::Serve(args) = &cli.command {
        return serve(args, &cli.global, config.as_ref(), set);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = match cli.command {
        Command::Check(args) => return check(&args, &cli.global, config, set, lang, &mut out),
        Command::Rules(args) => match args.format {
            RulesFormat::Json => render::rules::write_json(&mut out, &set),
            RulesFormat::Human => render::rules::write_table(&mut out, &set, lang),
        },
        Command::Eval(args) => return eval(&args, &set, &mut out),
        Command::Features { paths } => {
            let (written, all_read) = crate::features::write(&paths, &set, &mut out);
            return finish_output(written.and_then(|()| out.flush()), if all_read { EXIT_CLEAN } else { EXIT_ERROR });
        }
        // A rule the selection leaves out (it may still run unreported:
        // RuleSet::reported) is explained with what leaves it out.
        Command::Explain { rule } => match set.index_of(&rule).filter(|&i| set.reports(i)) {
            Some(i) => render::rules::write_explain(&mut out, &set.full_rules()[i], lang),
            None => return explain_unselected(&rule, &cli.global, config.as_ref(), lang, &mut out),
        },
        Command::Init | Command::Lsp | Command::Serve(_) => unreachable!("handled above"),
    };
    finish_output(result.and_then(|()| out.flush()), EXIT_CLEAN)
}

/// `iryolint serve`: the local web page, until the process is stopped.
fn serve(args: &crate::cli::ServeArgs, global: &GlobalArgs, config: Option<&Config>, set: RuleSet) -> i32 {
    // The page is for Japanese writers: Japanese unless asked otherwise.
    let lang = global.lang.or(config.and_then(|c| c.lang)).unwrap_or(Lang::Ja);
    let probe = match load_rules_with(global, config, crate::serve::checklist::make_probe) {
        Ok(probe) => probe,
        Err(message) => return fail(&message),
    };
    let state = crate::serve::State {
        set,
        probe,
        lang,
        config: config.map(|c| c.path.clone()),
        front_matter_keys: config.and_then(Config::front_matter_key_names),
    };
    match crate::serve::run(args, &state) {
        Ok(()) => EXIT_CLEAN,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> i32 {
    diag::error(message);
    EXIT_ERROR
}

/// `iryolint init`: writes the starter config, never over an existing file,
/// and atomically: a full disk leaves no file rather than a truncated one.
fn init() -> i32 {
    let path = Path::new(config::FILE_NAMES[0]);
    match atomic::create_new(path, config::STARTER.as_bytes()) {
        Ok(()) => {
            let _ = writeln!(std::io::stdout(), "wrote {}", path.display());
            EXIT_CLEAN
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fail(&format!("{}: already exists; not overwritten", path.display()))
        }
        Err(e) => fail(&format!("{}: {}", path.display(), walk::io_message(&e))),
    }
}

/// The config file in effect: `--config`, none with `--no-config`, else
/// the nearest one from the working directory upward.
fn load_config(global: &GlobalArgs) -> Result<Option<Config>, String> {
    let cwd = std::env::current_dir().ok();
    config_path(global, cwd.as_deref()).map(|p| Config::load(&config::shown(p))).transpose()
}

/// The path of the config file in effect for inputs under `start`:
/// `--config`, none with `--no-config`, else the nearest one from `start`
/// upward.
pub fn config_path(global: &GlobalArgs, start: Option<&Path>) -> Option<PathBuf> {
    if global.no_config {
        return None;
    }
    match &global.config {
        Some(path) => Some(path.clone()),
        None => start.and_then(config::discover),
    }
}

/// The embedded pack plus team rule files and config products, validated,
/// with the config's names checked and its severity overrides applied.
fn load_pack(global: &GlobalArgs, config: Option<&Config>) -> Result<Pack, String> {
    let mut pack = Pack::default();
    pack.add_embedded().map_err(|e| e.to_string())?;
    let team_files = config.map(Config::rule_files).unwrap_or_default();
    for path in team_files.iter().chain(&global.rules) {
        let name = path.display().to_string();
        let text = input::read_settings_file(path)?;
        pack.add_file(&name, &text).map_err(|e| e.to_string())?;
    }
    if let Some(c) = config {
        pack.products.extend(c.products.iter().cloned());
    }
    pack.validate().map_err(|e| e.to_string())?;
    if let Some(c) = config {
        c.check_names(pack.rules.iter().map(|r| r.id.as_str()))?;
        c.apply_severities(&mut pack);
    }
    Ok(pack)
}

/// `explain RULE` for a rule the selection leaves out: the explanation and
/// a note saying what leaves it out; for a name that is no rule, an error
/// with the nearest rule id.
fn explain_unselected(
    name: &str,
    global: &GlobalArgs,
    config: Option<&Config>,
    lang: Lang,
    out: &mut dyn Write,
) -> i32 {
    let pack = match load_pack(global, config) {
        Ok(pack) => pack,
        Err(message) => return fail(&message),
    };
    if let Some(category) = crate::rules::Category::parse(name) {
        let ids: Vec<&str> = pack.rules.iter().filter(|r| r.category == category).map(|r| r.id.as_str()).collect();
        return fail(&messages::EXPLAIN_CATEGORY_NOT_RULE.fill(lang, &[&name, &ids.join(", ")]));
    }
    let Some(rule) = pack.rules.iter().find(|r| r.id == name) else {
        let mut message = messages::EXPLAIN_NO_RULE.fill(lang, &[&name.escape_debug()]);
        if let Some(near) = nearest(name, pack.rules.iter().map(|r| r.id.as_str())) {
            message.push_str(&messages::DID_YOU_MEAN.fill(lang, &[&near]));
        }
        return fail(&message);
    };
    let matches = |s: &str| s == rule.id || s == rule.category.as_str();
    let config_ignore = config.and_then(|c| c.ignore.iter().find(|s| matches(&s.value)));
    let config_select = config.filter(|c| !c.select.is_empty() && !c.select.iter().any(|s| matches(&s.value)));
    let why = if global.ignore.iter().any(|s| matches(s)) {
        "--ignore".to_string()
    } else if let Some(s) = config_ignore {
        format!("ignore ({})", s.at.trim_end_matches(':'))
    } else if !global.select.is_empty() && !global.select.iter().any(|s| matches(s)) {
        "--select".to_string()
    } else if let Some(c) = config_select {
        format!("select ({})", c.select[0].at.trim_end_matches(':'))
    } else {
        "select".to_string()
    };
    diag::note(&messages::EXPLAIN_IGNORED.fill(lang, &[&rule.id, &why]));
    finish_output(render::rules::write_explain(out, rule, lang).and_then(|()| out.flush()), EXIT_CLEAN)
}

/// The candidate nearest to `name` by edit distance, if it is near enough
/// to be a typo (at most a third of the name's length, and at least 1).
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates.map(|c| (edit_distance(name, c), c)).filter(|(d, _)| *d <= limit).min().map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Loads the embedded pack plus team rule files and config products,
/// applies severity overrides and the selection, and compiles. The
/// embedded pack alone is never compiled at run time: its tables were
/// compiled at build time, and a selection or severity override is laid
/// over them ([`RuleSet::select`], [`RuleSet::override_severities`]).
pub fn load_rules(global: &GlobalArgs, config: Option<&Config>) -> Result<RuleSet, String> {
    let embedded_pack_only =
        global.rules.is_empty() && config.is_none_or(|c| c.extend_rules.is_empty() && c.products.is_empty());
    let mut set = match embedded_pack_only.then(RuleSet::embedded).flatten() {
        Some(mut set) => {
            adjust_embedded(&mut set, global, config)?;
            set
        }
        None => load_rules_with(global, config, |_| {})?,
    };
    // The command line beats the config: `--min-confidence` there asks for
    // fewer findings, whatever the config's `all-findings` says (the two
    // flags together are refused, see `run`).
    let config_keeps_all = config.is_some_and(|c| c.all_findings == Some(true));
    set.keep_unlikely = global.all_findings || (config_keeps_all && global.min_confidence.is_none());
    set.min_confidence = global.min_confidence.or(config.and_then(|c| c.min_confidence)).unwrap_or(0.0);
    Ok(set)
}

/// The config's severities and the selection of `global` and `config`,
/// laid over the embedded rule set, names checked as [`load_pack`] and
/// [`load_rules_with`] check them.
fn adjust_embedded(set: &mut RuleSet, global: &GlobalArgs, config: Option<&Config>) -> Result<(), String> {
    let selection = Selection::of(global, config);
    let severities = config.is_some_and(|c| !c.severity.is_empty());
    if selection.is_everything() && !severities {
        // The common run: no rule is decoded.
        return Ok(());
    }
    let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    if let Some(c) = config {
        c.check_names(ids.iter().copied())?;
    }
    selection.check_names(ids.iter().copied())?;
    if let Some(c) = config.filter(|_| severities) {
        set.override_severities(|rule| c.severity_of(rule));
    }
    if !selection.is_everything() {
        set.select(|r| selection.keeps(r));
    }
    Ok(())
}

/// The rule ids and categories a run selects and ignores: the command
/// line's, then the config's.
struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// The selection of `global` and `config`.
    fn of(global: &GlobalArgs, config: Option<&Config>) -> Selection {
        let mut select: Vec<String> = global.select.clone();
        let mut ignore: Vec<String> = global.ignore.clone();
        if let Some(c) = config {
            select.extend(c.select.iter().map(|s| s.value.clone()));
            ignore.extend(c.ignore.iter().map(|s| s.value.clone()));
        }
        Selection { select, ignore }
    }

    /// Whether it keeps every rule.
    fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// Whether it keeps `rule`.
    fn keeps(&self, rule: &crate::rules::RuleSpec) -> bool {
        config::selected(rule, self.select.iter().map(String::as_str), self.ignore.iter().map(String::as_str))
    }

    /// An error for its first name that is neither one of the rule ids
    /// `ids` nor a category.
    fn check_names<'a>(&self, ids: impl IntoIterator<Item = &'a str> + Clone) -> Result<(), String> {
        match self.select.iter().chain(&self.ignore).find(|name| !config::names_a_rule_or_category(ids.clone(), name)) {
            Some(name) => Err(config::not_a_rule_message(name)),
            None => Ok(()),
        }
    }
}

/// [`load_rules`], with `adjust` applied to the validated pack just before
/// it is compiled (`serve` derives a probe rule set this way).
pub fn load_rules_with(
    global: &GlobalArgs,
    config: Option<&Config>,
    adjust: impl FnOnce(&mut Pack),
) -> Result<RuleSet, String> {
    let mut pack = load_pack(global, config)?;
    let selection = Selection::of(global, config);
    selection.check_names(pack.rules.iter().map(|r| r.id.as_str()))?;
    adjust(&mut pack);
    RuleSet::compile_selected(pack, |r| selection.keeps(r)).map_err(|e| e.to_string())
}

fn eval(args: &crate::cli::EvalArgs, set: &RuleSet, out: &mut dyn Write) -> i32 {
    let docs = match crate::eval::load_dir(&args.dir) {
        Ok(docs) => docs,
        Err(message) => return fail(&message),
    };
    let reports: Vec<FileReport> = run_parallel(&docs, |d| {
        let path = d.path.display().to_string();
        lint::lint_format_with(&path, d.text.clone(), InputFormat::Text, None, Fingerprints::Skip, set)
    });
    let scores = crate::eval::score(&docs, &reports, set);
    let written = out.write_all(crate::eval::render(&scores, args.verbose).as_bytes());
    let ok = scores.spans().meets(args.min_precision, args.min_recall)
        && scores.disclosures().meets(args.min_precision, args.min_recall);
    finish_output(written.and_then(|()| out.flush()), if ok { EXIT_CLEAN } else { EXIT_FINDINGS })
}

/// What checking one input gave.
/// What the worker of a streamed JSON report hands over for one input.
enum Streamed {
    /// Its findings rendered, whether any is at or above `--fail-on`, and
    /// its warnings.
    Checked { rendered: render::json::Rendered, failing: bool, warnings: Vec<String> },
    /// A report with more than [`RENDER_ON_WORKER_MAX_FINDINGS`]
    /// findings, written by the writing thread, and whether any is at or
    /// above `--fail-on`.
    Large { report: FileReport, failing: bool },
    /// Not checked (never `Outcome::Checked`).
    Other(Outcome),
}

/// The most findings of one file that a worker renders to JSON itself.
const RENDER_ON_WORKER_MAX_FINDINGS: usize = 1_000;

enum Outcome {
    /// Its report.
    Checked(FileReport),
    /// Not checked, for this reason (a note: a binary or special file).
    Skipped(String),
    /// Could not be checked: the error message.
    Failed(String),
}

/// The limits in effect: the command line's, else the config's, else the
/// defaults.
fn limits(args: &CheckArgs, config: Option<&Config>) -> Limits {
    let default = Limits::default();
    Limits {
        max_file_bytes: args
            .max_file_size
            .or(config.and_then(|c| c.max_file_size))
            .map_or(default.max_file_bytes, |b| b.0),
        max_docx_xml_bytes: args
            .max_docx_size
            .or(config.and_then(|c| c.max_docx_size))
            .map_or(default.max_docx_xml_bytes, |b| b.0),
        max_findings_per_file: args
            .max_findings
            .or(config.and_then(|c| c.max_findings))
            .unwrap_or(default.max_findings_per_file),
        max_sentence_chars: args
            .max_sentence_chars
            .or(config.and_then(|c| c.max_sentence_chars))
            .unwrap_or(default.max_sentence_chars),
    }
}

/// Runs `job` on every input (with its scope, named as reported) on every
/// core, in input order. A panic in one input's job becomes that input's
/// error, and every other input is still checked.
fn check_all(
    inputs: &[(usize, Input)],
    stdin_name: &str,
    job: impl Fn(usize, &Input, &str) -> Outcome + Sync,
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(inputs.len());
    check_all_in_order(inputs, stdin_name, job, |outcome| outcomes.push(outcome));
    outcomes
}

/// [`check_all`], handing each outcome to `done` in input order as soon
/// as it and those before it are ready, so that a run need not hold every
/// report at once.
fn check_all_in_order(
    inputs: &[(usize, Input)],
    stdin_name: &str,
    job: impl Fn(usize, &Input, &str) -> Outcome + Sync,
    done: impl FnMut(Outcome),
) {
    run_parallel_in_order(
        inputs,
        |(scope, input)| {
            let name = match input {
                Input::Stdin => stdin_name.to_string(),
                Input::File(path) => path.display().to_string(),
            };
            contain::catch(|| job(*scope, input, &name))
                .unwrap_or_else(|internal| Outcome::Failed(format!("{name}: {internal}")))
        },
        done,
    )
}

/// Reads and checks one input with rule set `set`.
fn check_one(input: &Input, name: &str, args: &CheckArgs, opts: ReadOptions, set: &RuleSet) -> Outcome {
    let max = opts.limits.max_file_bytes;
    let bytes = match input {
        Input::Stdin => input::read_stdin(name, max),
        Input::File(path) => match input::read_file(path, name, max) {
            Ok(Bytes::Read(bytes)) => Ok(bytes),
            Ok(Bytes::Skipped(note)) => return Outcome::Skipped(note),
            Err(message) => Err(message),
        },
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(message) => return Outcome::Failed(message),
    };
    let format = args.input_format.and_then(InputKind::document).or_else(|| match input {
        Input::Stdin => Some(InputFormat::for_path(name.as_ref()).unwrap_or(InputFormat::Text)),
        Input::File(_) => None,
    });
    // Only human snippets need the text again (fingerprints are taken
    // while checking): dropping it keeps memory flat on large sites.
    let keep_text = args.format.unwrap_or(Format::Human) == Format::Human && !args.statistics;
    match lint::lint_owned_bytes(name, bytes, ReadOptions { format, ..opts }, set) {
        Ok(mut report) => {
            if !keep_text {
                report.text = String::new();
            }
            Outcome::Checked(report)
        }
        Err(InputError::Binary) => Outcome::Skipped(format!("{name}: binary file skipped")),
        Err(InputError::Unreadable(why)) => Outcome::Failed(format!("{name}: {why}")),
    }
}

fn check(
    args: &CheckArgs,
    global: &GlobalArgs,
    config: Option<Config>,
    set: RuleSet,
    lang: Lang,
    out: &mut dyn Write,
) -> i32 {
    if let Some(records) = args.input_format.and_then(InputKind::records) {
        return check_records(args, records, config.as_ref(), &set, lang, out);
    }
    let output = args.format.unwrap_or(Format::Human);
    if args.statistics && !matches!(output, Format::Human | Format::Concise | Format::Json) {
        return fail(messages::STATS_FORMAT.get(lang));
    }
    let mut errors = 0usize;
    let encoding = match args.encoding.as_deref() {
        None => None,
        Some(label) => match encoding_for_label(label) {
            Some(enc) => Some(enc),
            None => return fail(&format!("unknown encoding `{label}`")),
        },
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(message) => return fail(&message),
    };
    let limits = limits(args, config.as_ref());
    if let Err(message) = limits.validate() {
        return fail(&message);
    }
    let fail_on = args.fail_on.or(config.as_ref().and_then(|c| c.fail_on)).unwrap_or(Severity::Warning);
    let front_matter_keys = config.as_ref().and_then(Config::front_matter_key_names);
    // Not freed: `check` runs once per process (`main` exits after it),
    // and freeing the rule set's tables one allocation at a time cost a
    // one-page run more than checking the page did.
    let mut project = std::mem::ManuallyDrop::new(match Project::new(global, config, set) {
        Ok(project) => project,
        Err(message) => return fail(&message),
    });
    let (indexed, walk_errors) = find_inputs(&args.paths, global, &mut project, lang);
    errors += walk_errors;
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
    let fingerprints = if baseline.is_some() || args.write_baseline.is_some() || output.reads_fingerprints() {
        Fingerprints::Stamp
    } else {
        Fingerprints::Skip
    };
    let opts =
        ReadOptions { encoding, format: None, limits, front_matter_keys: front_matter_keys.as_deref(), fingerprints };
    let project = &project;
    let job = |scope: usize, input: &Input, name: &str| match check_one(input, name, args, opts, &project.sets[scope]) {
        Outcome::Checked(mut report) => {
            report.set = scope;
            report.project_path = match input {
                Input::Stdin => project.relative(Path::new(name)),
                Input::File(path) => project.relative(path),
            };
            Outcome::Checked(report)
        }
        other => other,
    };
    // The plain JSON report is written file by file as the files are
    // checked, and each report dropped once written: memory stays that of
    // the files being checked, not of every finding of the run. (Baselines,
    // statistics, unused suppressions and the other formats need the whole
    // run.)
    let streamed = output == Format::Json
        && !args.statistics
        && args.write_baseline.is_none()
        && baseline.is_none()
        && !args.report_unused_suppressions;
    if streamed {
        let texts: Vec<render::json::RuleTexts> =
            project.sets.iter().map(|set| render::json::RuleTexts::new(set, lang)).collect();
        let mut written = render::json::Stream::begin(out);
        let mut failing = false;
        // Each report is rendered by the worker that checked it: the thread
        // that writes then only copies bytes, and does not compete with the
        // workers for the processor (and its caches) while they check.
        // A file with many findings is written straight from its report
        // instead (rendered, its JSON would be held whole: 51 MB for the
        // 15 MB benchmark file).
        let render_job = |scope: usize, input: &Input, name: &str| match job(scope, input, name) {
            Outcome::Checked(report) => {
                let failing = report.findings.iter().any(|f| f.severity >= fail_on);
                if report.findings.len() > RENDER_ON_WORKER_MAX_FINDINGS {
                    return Streamed::Large { report, failing };
                }
                let rendered = render::json::Rendered::new(&report, &project.sets[report.set], &texts[report.set]);
                Streamed::Checked { rendered, failing, warnings: report.warnings }
            }
            Outcome::Skipped(note) => Streamed::Other(Outcome::Skipped(note)),
            Outcome::Failed(message) => Streamed::Other(Outcome::Failed(message)),
        };
        run_parallel_in_order(
            &indexed,
            |(scope, input)| {
                let name = match input {
                    Input::Stdin => stdin_name.clone(),
                    Input::File(path) => path.display().to_string(),
                };
                contain::catch(|| render_job(*scope, input, &name))
                    .unwrap_or_else(|internal| Streamed::Other(Outcome::Failed(format!("{name}: {internal}"))))
            },
            |outcome| match outcome {
                Streamed::Checked { rendered, failing: fails, warnings } => {
                    for w in &warnings {
                        diag::warning(w);
                    }
                    failing |= fails;
                    if let Ok(stream) = &mut written {
                        if let Err(e) = stream.rendered(out, &rendered) {
                            written = Err(e);
                        }
                    }
                }
                Streamed::Large { report, failing: fails } => {
                    for w in &report.warnings {
                        diag::warning(w);
                    }
                    failing |= fails;
                    if let Ok(stream) = &mut written {
                        if let Err(e) = stream.file(out, &report, &project.sets[report.set], &texts[report.set]) {
                            written = Err(e);
                        }
                    }
                }
                Streamed::Other(Outcome::Skipped(note)) => diag::note(&note),
                Streamed::Other(Outcome::Failed(message)) => {
                    diag::error(&message);
                    errors += 1;
                }
                Streamed::Other(Outcome::Checked(_)) => unreachable!("rendered by the worker"),
            },
        );
        let written = written.and_then(|stream| stream.end(out));
        let code = exit_code(errors, failing);
        return finish_output(written.and_then(|()| out.flush()), code);
    }
    let outcomes = check_all(&indexed, &stdin_name, job);
    // Messages in input order, so that two runs print the same.
    let mut reports: Vec<FileReport> = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report) => {
                for w in &report.warnings {
                    diag::warning(w);
                }
                reports.push(report);
            }
            Outcome::Skipped(note) => diag::note(&note),
            Outcome::Failed(message) => {
                diag::error(&message);
                errors += 1;
            }
        }
    }
    let sets = &project.sets;
    if let Some(path) = &args.write_baseline {
        let recorded = Baseline::record(&Run::new(&reports, sets, lang));
        let files = reports.iter().filter(|r| !r.findings.is_empty()).count();
        let summary = messages::BASELINE_WRITTEN.fill(
            lang,
            &[
                &path.display(),
                &recorded.findings.len(),
                &messages::plural(recorded.findings.len(), "s"),
                &files,
                &messages::plural(files, "s"),
            ],
        );
        return write_baseline(path, &recorded, errors, &summary, lang, out);
    }
    if let (Some(b), Some(path)) = (&baseline, &args.baseline) {
        let mut matches = b.filter(&mut reports);
        matches.find_fixed(b, &reports, |p| project.root.join(p).exists());
        let name = path.display();
        diag::note(
            &messages::BASELINE_HIDDEN.fill(lang, &[&matches.hidden, &messages::plural(matches.hidden, "s"), &name]),
        );
        let stale = matches.stale();
        if args.prune_baseline {
            let pruned = b.pruned(&matches);
            let summary = messages::BASELINE_PRUNED
                .fill(lang, &[&name, &stale, &if stale == 1 { "y" } else { "ies" }, &pruned.findings.len()]);
            return write_baseline(path, &pruned, errors, &summary, lang, out);
        }
        if stale > 0 {
            diag::note(&messages::BASELINE_STALE.fill(lang, &[&stale, &if stale == 1 { "y" } else { "ies" }, &name]));
        }
    }
    if args.report_unused_suppressions {
        for r in &reports {
            for s in &r.unused_suppressions {
                let at = format!("{}:{}:{}", r.path, s.at.line, s.at.column);
                diag::warning(&messages::UNUSED_SUPPRESSION.fill(lang, &[&at, &s.directive]));
            }
        }
    }
    let run = Run::new(&reports, sets, lang);
    let written = if args.statistics {
        match output {
            Format::Json => render::statistics::write_json(out, &run),
            _ => render::statistics::write_text(out, &run),
        }
    } else {
        match output {
            Format::Json => render::json::write(out, &run),
            Format::Jsonl => render::jsonl::write(out, &run),
            Format::Sarif => render::sarif::write(out, &run),
            Format::Github => render::ci::write_github(out, &run),
            Format::Gitlab => render::ci::write_gitlab(out, &run),
            Format::Junit => render::ci::write_junit(out, &run),
            Format::Concise => render::concise::write(out, &run),
            Format::Human => {
                let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                render::human::write(out, &run, color)
            }
        }
    };
    let failing = reports.iter().flat_map(|r| &r.findings).any(|f| f.severity >= fail_on);
    let code = exit_code(errors, failing);
    finish_output(written.and_then(|()| out.flush()), code)
}

/// The inputs named by `paths` (`.` when none), each with the scope of
/// the project that checks it, and how many errors were reported on the
/// way (paths that cannot be read, configs that cannot be loaded, include
/// globs that match nothing).
fn find_inputs(
    paths: &[PathBuf],
    global: &GlobalArgs,
    project: &mut Project,
    lang: Lang,
) -> (Vec<(usize, Input)>, usize) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut errors = 0;
    let mut inputs = Vec::new();
    let mut walked_roots = Vec::new();
    let mut report = |message: &str| {
        diag::error(message);
        errors += 1;
    };
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        if path.is_dir() {
            walked_roots.push(path.clone());
        }
        let mut config_errors = Vec::new();
        let mut filtered_out = false;
        let mut wanted = |file: &Path, walked: bool| match project.scope_of(global, file) {
            Ok(i) => {
                let filter = &project.scopes[i].filter;
                let keep = if walked { filter.walked_file_wanted(file) } else { !filter.excluded(file) };
                filtered_out |= walked && !keep && filter.has_include() && InputFormat::for_path(file).is_some();
                keep
            }
            Err(message) => {
                config_errors.extend(message);
                false
            }
        };
        let before = inputs.len();
        let walk_errors = walk::discover(path, &mut wanted, &mut inputs);
        for message in config_errors.iter().chain(&walk_errors) {
            report(message);
        }
        if inputs.len() == before && filtered_out {
            // Not a silent "checked 0 files": the include globs left out
            // every file of this folder.
            report(&messages::INCLUDE_LEAVES_ALL_OUT.fill(lang, &[&path.display()]));
        }
    }
    for message in project.unmatched_includes(&walked_roots, lang) {
        report(&message);
    }
    let indexed = inputs
        .into_iter()
        .map(|input| match &input {
            Input::Stdin => (0, input),
            Input::File(path) => (project.scope_of(global, path).unwrap_or(0), input),
        })
        .collect();
    (indexed, errors)
}

/// Writes `baseline` to `path` atomically and prints `summary`, unless
/// some input could not be checked (`errors`): a baseline of the inputs
/// that could be read would forget the findings of the others. Returns the
/// exit code.
fn write_baseline(
    path: &Path,
    baseline: &Baseline,
    errors: usize,
    summary: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> i32 {
    if errors > 0 {
        let args: [&dyn std::fmt::Display; 3] = [&path.display(), &errors, &messages::plural(errors, "s")];
        return fail(&messages::BASELINE_NOT_WRITTEN.fill(lang, &args));
    }
    match atomic::write(path, baseline.to_json().as_bytes()) {
        Ok(()) => finish_output(writeln!(out, "{summary}").and_then(|()| out.flush()), EXIT_CLEAN),
        Err(e) => fail(&format!("{}: {}", path.display(), walk::io_message(&e))),
    }
}

/// `check --input-format jsonl|warc`: every input (standard input when
/// none is named) is a stream of records; each record is checked on its
/// own and written as one JSON line, in input order, in constant memory.
/// A bad record gets an error line and the stream goes on (exit 2).
fn check_records(
    args: &CheckArgs,
    records: RecordFormat,
    config: Option<&Config>,
    set: &RuleSet,
    lang: Lang,
    out: &mut dyn Write,
) -> i32 {
    if let Some(format) = args.format.filter(|f| *f != Format::Jsonl) {
        let name = clap::ValueEnum::to_possible_value(&format).map(|v| v.get_name().to_string()).unwrap_or_default();
        return fail(&format!("record streams are written as --format jsonl, not {name}"));
    }
    let unsupported = [
        (
            args.encoding.is_some(),
            "--encoding (JSON Lines content is text; WARC charsets come from the HTTP header or the page)",
        ),
        (args.baseline.is_some() || args.write_baseline.is_some(), "baselines"),
        (args.report_unused_suppressions, "--report-unused-suppressions"),
        (args.statistics, "--statistics"),
    ];
    if let Some((_, what)) = unsupported.iter().find(|(given, _)| *given) {
        return fail(&format!("record streams do not take {what}"));
    }
    let inputs: Vec<Input> = if args.paths.is_empty() {
        vec![Input::Stdin]
    } else {
        args.paths.iter().map(|p| if p.as_os_str() == "-" { Input::Stdin } else { Input::File(p.clone()) }).collect()
    };
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let fail_on = args.fail_on.or(config.and_then(|c| c.fail_on)).unwrap_or(Severity::Warning);
    let (mut errors, mut failing) = (0usize, false);
    let items = inputs.into_iter().flat_map(move |input| stream::open(&input, &stdin_name, records));
    let limits = limits(args, config);
    if let Err(message) = limits.validate() {
        return fail(&message);
    }
    let written = stream::run(items, threads, set, limits, |outcome| match outcome {
        stream::Outcome::Checked { id, findings, warnings } => {
            for w in &warnings {
                diag::warning(w);
            }
            failing |= findings.iter().any(|f| f.severity >= fail_on);
            render::jsonl::write_page(out, &id, &findings, set, lang)
        }
        stream::Outcome::Failed { id, source, error } => {
            errors += 1;
            diag::error(&stream::record_message(&source, id.as_deref(), &error));
            render::jsonl::write_error(out, id.as_deref(), &source, &error)
        }
        stream::Outcome::InputFailed(message) => {
            errors += 1;
            diag::error(&message);
            Ok(())
        }
    });
    let code = exit_code(errors, failing);
    finish_output(written.and_then(|()| out.flush()), code)
}

/// The exit code of a run: 2 if any input could not be checked, else 1 if
/// a finding is at or above the failure threshold, else 0.
fn exit_code(errors: usize, failing: bool) -> i32 {
    if errors > 0 {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Maps an output error to an exit code: a closed pipe is not an error.
fn finish_output(result: std::io::Result<()>, code: i32) -> i32 {
    match result {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => fail(&format!("cannot write output: {e}")),
    }
}

/// Runs `job` over `items` on every core, returning results in item order.
fn run_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut results = Vec::with_capacity(items.len());
    run_parallel_in_order(items, job, |r| results.push(r));
    results
}

/// Runs `job` over `items` on every core, handing the results to `done`
/// in item order as soon as each and those before it are ready. Workers
/// take the next item as they finish one (so a long item does not hold up
/// the others); a result that is ready before those before it waits.
fn run_parallel_in_order<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync, mut done: impl FnMut(R)) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    if threads <= 1 {
        items.iter().map(job).for_each(done);
        return;
    }
    let next = AtomicUsize::new(0);
    let (send, receive) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let send = send.clone();
            let (next, job) = (&next, &job);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || send.send((i, job(&items[i]))).is_err() {
                    break;
                }
            });
        }
        drop(send);
        let mut waiting: std::collections::BTreeMap<usize, R> = std::collections::BTreeMap::new();
        let mut expected = 0;
        for (i, r) in receive {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&expected) {
                done(r);
                expected += 1;
            }
        }
        assert_eq!(expected, items.len(), "every item ran");
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_one_input_fails_that_input_alone() {
        let inputs: Vec<(usize, Input)> =
            (0..8).map(|i| (0, Input::File(PathBuf::from(format!("f{i}.txt"))))).collect();
        let outcomes = check_all(&inputs, "-", |_, _, name| {
            if name == "f3.txt" {
                let bytes = std::hint::black_box("日本".to_string());
                let _ = &bytes[..1]; // a real out-of-boundary slice, as a bug would make
            }
            Outcome::Skipped(name.to_string())
        });
        let got: Vec<String> = outcomes
            .into_iter()
            .map(|o| match o {
                Outcome::Skipped(name) => name,
                Outcome::Failed(message) => message,
                Outcome::Checked(r) => r.path,
            })
            .collect();
        assert_eq!(got.len(), 8);
        for (i, line) in got.iter().enumerate() {
            if i == 3 {
                assert!(
                    line.starts_with("f3.txt: internal error: end byte index 1 is not a char boundary")
                        && line.contains(" at src/app.rs:"),
                    "{line}"
                );
            } else {
                assert_eq!(line, &format!("f{i}.txt"));
            }
        }
    }
}
