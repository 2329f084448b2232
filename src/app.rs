//! Running a command line: load the rules, find the inputs, check them in
//! parallel, print, and decide the exit code.
//!
//! Exit codes: 0 when nothing at or above `--fail-on` was found, 1 when
//! something was, 2 when anything could not be done (usage, I/O, decoding,
//! rule files). A bad input never stops the others from being checked.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cli::{CheckArgs, Cli, Command, Format};
use crate::extract::InputFormat;
use crate::lint::{self, FileReport, InputError, ReadOptions};
use crate::render;
use crate::rules::{Pack, RuleSet};
use crate::source::encoding_for_label;
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
    let lang = cli.global.lang.unwrap_or_else(Lang::from_env);
    let set = match load_rules(&cli.global.rules) {
        Ok(set) => set,
        Err(message) => {
            eprintln!("iryolint: {message}");
            return EXIT_ERROR;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Check(args) => return check(&args, &set, lang, &mut out),
        Command::Rules(args) => match args.format {
            Format::Json => render::rules::write_json(&mut out, &set),
            Format::Human => render::rules::write_table(&mut out, &set),
        },
        Command::Eval(args) => return eval(&args, &set, &mut out),
        Command::Explain { rule } => match set.index_of(&rule) {
            Some(i) => render::rules::write_explain(&mut out, &set.rules[i], lang),
            None => {
                eprintln!("iryolint: no rule `{rule}` (see `iryolint rules`)");
                return EXIT_ERROR;
            }
        },
    };
    finish_output(result, EXIT_CLEAN)
}

fn eval(args: &crate::cli::EvalArgs, set: &RuleSet, out: &mut dyn Write) -> i32 {
    let docs = match crate::eval::load_dir(&args.dir) {
        Ok(docs) => docs,
        Err(message) => {
            eprintln!("iryolint: {message}");
            return EXIT_ERROR;
        }
    };
    let reports: Vec<FileReport> = run_parallel(&docs, |d| {
        lint::lint_text(&d.path.display().to_string(), &d.text, set)
    });
    let scores = crate::eval::score(&docs, &reports, set);
    let written = out.write_all(crate::eval::render(&scores, args.verbose).as_bytes());
    let ok = scores.spans().meets(args.min_precision, args.min_recall)
        && scores
            .disclosures()
            .meets(args.min_precision, args.min_recall);
    finish_output(written, if ok { EXIT_CLEAN } else { EXIT_FINDINGS })
}

/// Loads the embedded pack plus extra rule files and compiles them.
pub fn load_rules(extra: &[PathBuf]) -> Result<RuleSet, String> {
    let mut pack = Pack::default();
    for (name, text) in crate::rules::load::EMBEDDED {
        pack.add_file(&format!("rules/{name}"), text)
            .map_err(|e| e.to_string())?;
    }
    for path in extra {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        pack.add_file(&name, &text).map_err(|e| e.to_string())?;
    }
    pack.validate().map_err(|e| e.to_string())?;
    RuleSet::compile(pack, |_| true).map_err(|e| e.to_string())
}

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Input {
    Stdin,
    File(PathBuf),
}

fn check(args: &CheckArgs, set: &RuleSet, lang: Lang, out: &mut dyn Write) -> i32 {
    let mut errors = 0usize;
    let encoding = match args.encoding.as_deref() {
        None => None,
        Some(label) => match encoding_for_label(label) {
            Some(enc) => Some(enc),
            None => {
                eprintln!("iryolint: unknown encoding `{label}`");
                return EXIT_ERROR;
            }
        },
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut inputs = Vec::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if let Err(message) = discover(path, &mut inputs) {
            eprintln!("iryolint: {message}");
            errors += 1;
        }
    }
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "-".to_string());
    let results = run_parallel(&inputs, |input| -> Result<Option<FileReport>, String> {
        let (name, bytes) = match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map(|_| bytes)
                    .map_err(|e| format!("{stdin_name}: {e}"))
                    .map(|b| (stdin_name.clone(), b))?
            }
            Input::File(path) => {
                let name = path.display().to_string();
                let bytes =
                    std::fs::read(path).map_err(|e| format!("{name}: {}", io_message(&e)))?;
                (name, bytes)
            }
        };
        let format = args.input_format.or_else(|| match input {
            Input::Stdin => Some(InputFormat::for_path(name.as_ref()).unwrap_or(InputFormat::Text)),
            Input::File(_) => None,
        });
        let opts = ReadOptions { encoding, format };
        match lint::lint_bytes(&name, &bytes, opts, set) {
            Ok(report) => Ok(Some(report)),
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
    let written = match args.format {
        Format::Json => render::json::write(out, &reports, set, lang),
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::human::write(out, &reports, set, lang, color)
        }
    };
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= args.fail_on);
    let code = if errors > 0 {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    finish_output(written, code)
}

/// Maps an output error to an exit code: a closed pipe is not an error.
fn finish_output(result: std::io::Result<()>, code: i32) -> i32 {
    match result {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("iryolint: cannot write output: {e}");
            EXIT_ERROR
        }
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Adds `path` (a file, or a directory walked recursively in name order,
/// skipping hidden entries and files of unknown types) to `inputs`.
fn discover(path: &Path, inputs: &mut Vec<Input>) -> Result<(), String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), io_message(&e)))?;
    if !meta.is_dir() {
        inputs.push(Input::File(path.to_path_buf()));
        return Ok(());
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {}", dir.display(), io_message(&e)))?
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for entry in entries {
            let p = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                subdirs.push(p);
            } else if InputFormat::for_path(&p).is_some() {
                inputs.push(Input::File(p));
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Runs `job` over `items` on every core, returning results in item order.
fn run_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = Vec::with_capacity(items.len());
    slots.resize_with(items.len(), || None);
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
        workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}
