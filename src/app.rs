//! Running a command line: resolve the config, load the rules, find the
//! inputs, check them in parallel, print, and decide the exit code.
//!
//! Exit codes: 0 when nothing at or above `--fail-on` was found, 1 when
//! something was, 2 when anything could not be done (usage, I/O, decoding,
//! config or rule files). A bad input never stops the others from being
//! checked.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::baseline::Baseline;
use crate::cli::{CheckArgs, Cli, Command, Format, GlobalArgs, InputKind, RulesFormat};
use crate::config::{self, Config};
use crate::extract::InputFormat;
use crate::lint::{self, FileReport, InputError, ReadOptions};
use crate::render;
use crate::rules::{Pack, RuleSet, Severity};
use crate::source::encoding_for_label;
use crate::stream::{self, Outcome, RecordFormat};
use crate::walk::{self, FileFilter, Input};
use crate::Lang;

/// Exit code: nothing at or above the threshold.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: something could not be done.
pub const EXIT_ERROR: i32 = 2;

/// Runs a parsed command line and returns the exit code. Errors are
/// printed to standard error as one line each.
pub fn run(cli: Cli) -> i32 {
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
        Command::Check(args) => return check(&args, config.as_ref(), &set, lang, &mut out),
        Command::Rules(args) => match args.format {
            RulesFormat::Json => render::rules::write_json(&mut out, &set),
            RulesFormat::Human => render::rules::write_table(&mut out, &set),
        },
        Command::Eval(args) => return eval(&args, &set, &mut out),
        Command::Explain { rule } => match set.index_of(&rule) {
            Some(i) => render::rules::write_explain(&mut out, &set.rules[i], lang),
            None => return fail(&format!("no rule `{rule}` (see `iryolint rules`)")),
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
    let state = crate::serve::State { set, probe, lang, config: config.map(|c| c.path.clone()) };
    match crate::serve::run(args, &state) {
        Ok(()) => EXIT_CLEAN,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> i32 {
    eprintln!("iryolint: {message}");
    EXIT_ERROR
}

/// `iryolint init`: writes the starter config, never over an existing file.
fn init() -> i32 {
    let path = Path::new(config::FILE_NAMES[0]);
    if path.exists() {
        return fail(&format!("{}: already exists; not overwritten", path.display()));
    }
    match std::fs::write(path, config::STARTER) {
        Ok(()) => {
            println!("wrote {}", path.display());
            EXIT_CLEAN
        }
        Err(e) => fail(&format!("{}: {e}", path.display())),
    }
}

/// The config file in effect: `--config`, none with `--no-config`, else
/// the nearest one from the working directory upward.
fn load_config(global: &GlobalArgs) -> Result<Option<Config>, String> {
    let cwd = std::env::current_dir().ok();
    config_path(global, cwd.as_deref()).map(|p| Config::load(&p)).transpose()
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

/// Loads the embedded pack plus team rule files and config products,
/// applies severity overrides and the selection, and compiles.
pub fn load_rules(global: &GlobalArgs, config: Option<&Config>) -> Result<RuleSet, String> {
    // The embedded pack as it is: its tables were compiled at build time.
    let pack_as_embedded = global.rules.is_empty()
        && global.select.is_empty()
        && global.ignore.is_empty()
        && config.is_none_or(|c| {
            c.extend_rules.is_empty()
                && c.products.is_empty()
                && c.select.is_empty()
                && c.ignore.is_empty()
                && c.severity.is_empty()
        });
    if let Some(set) = pack_as_embedded.then(RuleSet::embedded).flatten() {
        return Ok(set);
    }
    load_rules_with(global, config, |_| {})
}

/// [`load_rules`], with `adjust` applied to the validated pack just before
/// it is compiled (`serve` derives a probe rule set this way).
pub fn load_rules_with(
    global: &GlobalArgs,
    config: Option<&Config>,
    adjust: impl FnOnce(&mut Pack),
) -> Result<RuleSet, String> {
    let mut pack = Pack::default();
    pack.add_embedded().map_err(|e| e.to_string())?;
    let team_files = config.map(Config::rule_files).unwrap_or_default();
    for path in team_files.iter().chain(&global.rules) {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        pack.add_file(&name, &text).map_err(|e| e.to_string())?;
    }
    if let Some(c) = config {
        pack.products.extend(c.products.iter().cloned());
    }
    pack.validate().map_err(|e| e.to_string())?;
    let mut select: Vec<String> = global.select.clone();
    let mut ignore: Vec<String> = global.ignore.clone();
    if let Some(c) = config {
        c.check_names(&pack)?;
        c.apply_severities(&mut pack);
        select.extend(c.select.iter().map(|s| s.get_ref().clone()));
        ignore.extend(c.ignore.iter().map(|s| s.get_ref().clone()));
    }
    for name in select.iter().chain(&ignore) {
        if !config::names_a_rule_or_category(&pack, name) {
            return Err(format!("`{name}` is neither a rule id nor a category (see `iryolint rules`)"));
        }
    }
    let keep = |r: &crate::rules::RuleSpec| {
        config::selected(r, select.iter().map(String::as_str), ignore.iter().map(String::as_str))
    };
    adjust(&mut pack);
    RuleSet::compile(pack, keep).map_err(|e| e.to_string())
}

fn eval(args: &crate::cli::EvalArgs, set: &RuleSet, out: &mut dyn Write) -> i32 {
    let docs = match crate::eval::load_dir(&args.dir) {
        Ok(docs) => docs,
        Err(message) => return fail(&message),
    };
    let reports: Vec<FileReport> =
        run_parallel(&docs, |d| lint::lint_text(&d.path.display().to_string(), &d.text, set));
    let scores = crate::eval::score(&docs, &reports, set);
    let written = out.write_all(crate::eval::render(&scores, args.verbose).as_bytes());
    let ok = scores.spans().meets(args.min_precision, args.min_recall)
        && scores.disclosures().meets(args.min_precision, args.min_recall);
    finish_output(written.and_then(|()| out.flush()), if ok { EXIT_CLEAN } else { EXIT_FINDINGS })
}

fn check(args: &CheckArgs, config: Option<&Config>, set: &RuleSet, lang: Lang, out: &mut dyn Write) -> i32 {
    if let Some(records) = args.input_format.and_then(InputKind::records) {
        return check_records(args, records, config, set, lang, out);
    }
    let output = args.format.unwrap_or(Format::Human);
    let mut errors = 0usize;
    let encoding = match args.encoding.as_deref() {
        None => None,
        Some(label) => match encoding_for_label(label) {
            Some(enc) => Some(enc),
            None => return fail(&format!("unknown encoding `{label}`")),
        },
    };
    let filter = match FileFilter::new(config) {
        Ok(filter) => filter,
        Err(message) => return fail(&message),
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(message) => return fail(&message),
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut inputs = Vec::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if let Err(message) = walk::discover(path, &filter, &mut inputs) {
            eprintln!("iryolint: {message}");
            errors += 1;
        }
    }
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
    let keep_text = matches!(output, Format::Human | Format::Sarif | Format::Gitlab)
        || args.baseline.is_some()
        || args.write_baseline.is_some();
    let results = run_parallel(&inputs, |input| -> Result<Option<FileReport>, String> {
        let (name, bytes) = match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("{stdin_name}: {e}"))?;
                (stdin_name.clone(), bytes)
            }
            Input::File(path) => {
                let name = path.display().to_string();
                let bytes = std::fs::read(path).map_err(|e| format!("{name}: {}", walk::io_message(&e)))?;
                (name, bytes)
            }
        };
        let format = args.input_format.and_then(InputKind::document).or_else(|| match input {
            Input::Stdin => Some(InputFormat::for_path(name.as_ref()).unwrap_or(InputFormat::Text)),
            Input::File(_) => None,
        });
        match lint::lint_bytes(&name, &bytes, ReadOptions { encoding, format }, set) {
            Ok(mut report) => {
                if !keep_text {
                    // Only snippets and fingerprints need the text again:
                    // dropping it keeps memory flat on large sites.
                    report.text = String::new();
                }
                Ok(Some(report))
            }
            Err(InputError::Binary) => {
                eprintln!("iryolint: note: {name}: binary file skipped");
                Ok(None)
            }
            Err(InputError::Unreadable(why)) => Err(format!("{name}: {why}")),
        }
    });
    let mut reports: Vec<FileReport> = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(Some(report)) => {
                for w in &report.warnings {
                    eprintln!("iryolint: warning: {w}");
                }
                reports.push(report);
            }
            Ok(None) => {}
            Err(message) => {
                eprintln!("iryolint: {message}");
                errors += 1;
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        let recorded = Baseline::record(&reports, set);
        let json = serde_json::to_string_pretty(&recorded).unwrap_or_default();
        if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("iryolint: {}: {e}", path.display());
            errors += 1;
        }
    }
    if let Some(b) = &baseline {
        b.filter(&mut reports, set);
    }
    if args.report_unused_suppressions {
        for r in &reports {
            for s in &r.unused_suppressions {
                eprintln!(
                    "iryolint: warning: {}:{}:{}: unused suppression `{}`",
                    r.path, s.at.line, s.at.column, s.directive
                );
            }
        }
    }
    let written = match output {
        Format::Json => render::json::write(out, &reports, set, lang),
        Format::Jsonl => render::jsonl::write(out, &reports, set, lang),
        Format::Sarif => render::sarif::write(out, &reports, set, lang),
        Format::Github => render::ci::write_github(out, &reports, set, lang),
        Format::Gitlab => render::ci::write_gitlab(out, &reports, set, lang),
        Format::Junit => render::ci::write_junit(out, &reports, set, lang),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::human::write(out, &reports, set, lang, color)
        }
    };
    let fail_on = args.fail_on.or(config.and_then(|c| c.fail_on)).unwrap_or(Severity::Warning);
    let failing = reports.iter().flat_map(|r| &r.findings).any(|f| f.severity >= fail_on);
    let code = if errors > 0 {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    finish_output(written.and_then(|()| out.flush()), code)
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
    let written = stream::run(items, threads, set, |outcome| match outcome {
        Outcome::Checked { id, findings, warnings } => {
            for w in &warnings {
                eprintln!("iryolint: warning: {w}");
            }
            failing |= findings.iter().any(|f| f.severity >= fail_on);
            render::jsonl::write_page(out, &id, &findings, set, lang)
        }
        Outcome::Failed { id, source, error } => {
            errors += 1;
            match &id {
                Some(id) => eprintln!("iryolint: {source} ({id}): {error}"),
                None => eprintln!("iryolint: {source}: {error}"),
            }
            render::jsonl::write_error(out, id.as_deref(), &source, &error)
        }
        Outcome::InputFailed(message) => {
            errors += 1;
            eprintln!("iryolint: {message}");
            Ok(())
        }
    });
    let code = if errors > 0 {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    finish_output(written.and_then(|()| out.flush()), code)
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
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= items.len() {
                            break mine;
                        }
                        mine.push((i, job(&items[i])));
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker panicked")).collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().map(|r| r.expect("every item ran")).collect()
}
