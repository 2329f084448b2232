//! The command line, as clap types: flags only, no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::extract::InputFormat;
use crate::limits::ByteSize;
use crate::rules::Severity;
use crate::stream::RecordFormat;
use crate::Lang;

/// Lints Japanese clinic advertising copy against Japan's medical-advertising
/// rules (医療法 第6条の5, 医療広告ガイドライン, 薬機法, 景品表示法).
#[derive(Debug, Parser)]
#[command(name = "iryolint", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Language of messages [default: ja when the locale is Japanese, else en].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Extra rule file(s) to load after the embedded pack (repeatable).
    #[arg(long = "rules", global = true, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Use this config file instead of looking for iryolint.toml or
    /// .iryolint.toml from the working directory upward.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no config file.
    #[arg(long, global = true)]
    pub no_config: bool,
    /// Only these rule ids or categories (comma-separated; adds to the config's).
    #[arg(long, global = true, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Never these rule ids or categories (comma-separated; adds to the config's).
    #[arg(long, global = true, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Keep the span findings that the precision model finds unlikely to
    /// be marked by a reviewer (by default they are dropped; see
    /// ACCURACY.md, "The precision model"), and any a config's
    /// `min-confidence` would drop.
    #[arg(long, global = true, conflicts_with = "min_confidence")]
    pub all_findings: bool,
    /// Drop the span findings whose confidence (the share of such findings
    /// reviewers marked when the models were cross-validated, 0 to 1) is
    /// below this; beats a config's `all-findings`.
    #[arg(long, global = true, value_name = "SHARE", value_parser = parse_share, allow_negative_numbers = true)]
    pub min_confidence: Option<f32>,
}

/// The error of a share out of range (`--min-confidence`, its config key
/// and the Python keyword), naming the value given.
pub fn not_a_share(value: impl std::fmt::Display) -> String {
    format!("`{value}` is not a share from 0 to 1")
}

/// A share from 0 to 1 (`--min-confidence`).
fn parse_share(s: &str) -> Result<f32, String> {
    s.parse::<f32>().ok().filter(|x| (0.0..=1.0).contains(x)).ok_or_else(|| not_a_share(s))
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files, directories or standard input (`-`).
    Check(CheckArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Explain one rule: what it flags, why, examples and how to rewrite.
    Explain {
        /// The rule id.
        rule: String,
    },
    /// Write a commented starter iryolint.toml in the working directory.
    Init,
    /// Measure precision and recall on labeled copy (NAME.txt with
    /// NAME.labels.toml beside it).
    Eval(EvalArgs),
    /// Run a language server over standard input and output, for editors
    /// (see editors/README.md).
    Lsp,
    /// Serve a local web page where copy is pasted (or a file dropped) and
    /// every finding is shown in place.
    Serve(ServeArgs),
    /// Print what the two models read (every span finding of the rules for
    /// the precision model, every sentence the learned rule reads for the
    /// claim model), one JSON object per line, for scripts/train-models.py.
    #[command(hide = true)]
    Features {
        /// Plain-text files to read.
        paths: Vec<PathBuf>,
    },
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address exposes
    /// the page to the network (a warning is printed).
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub host: String,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder of labeled documents.
    pub dir: PathBuf,
    /// Exit with 1 when span or disclosure precision is below this.
    #[arg(long, default_value_t = 0.0)]
    pub min_precision: f64,
    /// Exit with 1 when span or disclosure recall is below this.
    #[arg(long, default_value_t = 0.0)]
    pub min_recall: f64,
    /// List every miss and false alarm.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated snippets for people.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// The documented JSON report.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML (one test case per file).
    Junit,
    /// JSON Lines: one line per page or record, `{"id", "findings"}`
    /// (the default for record streams).
    Jsonl,
}

impl Format {
    /// Whether reports in this format carry each finding's fingerprint
    /// (the findings are fingerprinted only for runs that write one, or
    /// read or write a baseline).
    pub fn reads_fingerprints(self) -> bool {
        match self {
            Format::Sarif | Format::Gitlab => true,
            Format::Human | Format::Concise | Format::Json | Format::Github | Format::Junit | Format::Jsonl => false,
        }
    }
}

/// Output formats of `rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table for people.
    Human,
    /// A JSON array (documented in README.md).
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to check (directories recursively: .txt, .md,
    /// .markdown, .mdx, .html, .htm); `-` reads standard input. Default: `.`.
    pub paths: Vec<PathBuf>,
    /// Output format [default: human; jsonl for record streams].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Exit with 1 when a finding at or above this severity is reported
    /// [default: the config's fail-on, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
    /// Decode every input with this encoding (a WHATWG label such as
    /// shift_jis, euc-jp, iso-2022-jp, utf-8) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// The name that standard input is reported under.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Read every input as this format instead of choosing by extension
    /// (standard input is read as text unless `--stdin-filename` has an
    /// extension); `jsonl` and `warc` read every input (standard input
    /// when none is named) as a stream of records, one page each.
    #[arg(long, value_enum)]
    pub input_format: Option<InputKind>,
    /// Worker threads for record streams [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Record today's findings in FILE (a baseline for `--baseline`),
    /// print a one-line summary and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "statistics"])]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings that FILE (written by `--write-baseline`) does
    /// not know.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the `--baseline` file without the entries no finding matches
    /// any more (fixed), print a one-line summary and exit 0.
    #[arg(long, requires = "baseline", conflicts_with = "statistics")]
    pub prune_baseline: bool,
    /// Print how many findings each rule and each category has instead of
    /// the findings (as text, or JSON with `--format json`).
    #[arg(long)]
    pub statistics: bool,
    /// List inline suppressions that suppress nothing.
    #[arg(long)]
    pub report_unused_suppressions: bool,
    /// Largest input to check (bytes, or with K, M, G) [default: the
    /// config's max-file-size, else 32M].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<ByteSize>,
    /// Largest word/document.xml a .docx may inflate to [default: the
    /// config's max-docx-size, else 64M].
    #[arg(long, value_name = "SIZE")]
    pub max_docx_size: Option<ByteSize>,
    /// Most findings reported per file, 0 for all [default: the config's
    /// max-findings, else 10000].
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
    /// Longest sentence (in characters) that rules look at whole; longer
    /// text without 。 is cut into pieces [default: the config's
    /// max-sentence-chars, else 2000].
    #[arg(long, value_name = "N")]
    pub max_sentence_chars: Option<usize>,
}

/// What `--input-format` names: a document format, or a stream of records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Plain text.
    Text,
    /// HTML.
    Html,
    /// Markdown.
    Markdown,
    /// Word (.docx).
    Docx,
    /// JSON Lines records: `id` or `url`, `content`, optional `format` or
    /// `content_type` (gzip-compressed or not).
    Jsonl,
    /// WARC files (.warc, .warc.gz): the HTML responses.
    Warc,
    /// Plain text or Markdown too large to hold, read in sections cut at
    /// blank lines (about 1 MiB each), each checked as its own document.
    Sections,
}

impl InputKind {
    /// The document format, when this names one.
    pub fn document(self) -> Option<InputFormat> {
        match self {
            InputKind::Text => Some(InputFormat::Text),
            InputKind::Html => Some(InputFormat::Html),
            InputKind::Markdown => Some(InputFormat::Markdown),
            InputKind::Docx => Some(InputFormat::Docx),
            InputKind::Jsonl | InputKind::Warc | InputKind::Sections => None,
        }
    }

    /// The record format, when this names a stream.
    pub fn records(self) -> Option<RecordFormat> {
        match self {
            InputKind::Jsonl => Some(RecordFormat::Jsonl),
            InputKind::Warc => Some(RecordFormat::Warc),
            InputKind::Sections => Some(RecordFormat::Sections),
            _ => None,
        }
    }
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: RulesFormat,
}
