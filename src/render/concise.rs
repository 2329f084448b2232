//! Concise output: one line per finding, `path:line:col: severity[rule]
//! message`, then the summary line, for people who scan and for grep.

use super::Summary;
use crate::diag::{one_line, printable};
use crate::messages;
use crate::report::Run;

/// Writes one line per finding of a run and a summary line.
pub fn write(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    for (file, f) in run.findings() {
        let rule = run.rule(file, f);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}{}",
            one_line(&printable(&file.path)),
            f.start.line,
            f.start.column,
            f.severity.as_str(),
            rule.id,
            one_line(&printable(rule.message.get(run.lang))),
            messages::finding_suffix(f, run.lang)
        )?;
    }
    writeln!(out, "{}", Summary::of(run.files).line(run.lang))
}
