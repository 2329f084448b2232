//! Formats for CI systems: GitHub workflow commands, GitLab Code Quality
//! and JUnit XML.

use serde::Serialize;

use crate::messages;
use crate::report::Run;
use crate::rules::Severity;

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.
pub fn write_github(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    let lang = run.lang;
    for r in run.files {
        for f in &r.findings {
            let rule = run.rule(r, f);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let message = format!("「{}」 {}{}", f.text, rule.message.get(lang), messages::finding_suffix(f, lang));
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&r.path),
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                property(&format!("{} ({})", rule.id, f.category.as_str())),
                data(&message)
            )?;
        }
    }
    Ok(())
}

/// Escapes a workflow-command message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Serialize)]
struct CodeQualityIssue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: CodeQualityLocation<'a>,
}

#[derive(Serialize)]
struct CodeQualityLocation<'a> {
    path: &'a str,
    lines: CodeQualityLines,
}

#[derive(Serialize)]
struct CodeQualityLines {
    begin: usize,
    end: usize,
}

/// GitLab Code Quality report (a JSON array of issues), streamed one
/// issue at a time. Paths are relative to the project root (the config
/// file's folder, or the repository's), as GitLab links them.
pub fn write_gitlab(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    let lang = run.lang;
    out.write_all(b"[")?;
    let mut first = true;
    for r in run.files {
        for f in &r.findings {
            let rule = run.rule(r, f);
            let issue = CodeQualityIssue {
                description: format!(
                    "{}: 「{}」 {}{}",
                    rule.id,
                    f.text,
                    rule.message.get(lang),
                    messages::finding_suffix(f, lang)
                ),
                check_name: &rule.id,
                fingerprint: f.fingerprint.in_file(&r.project_path),
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: CodeQualityLocation {
                    path: &r.project_path,
                    lines: CodeQualityLines { begin: f.start.line, end: f.end.line },
                },
            };
            out.write_all(if first { b"\n  " } else { b",\n  " })?;
            first = false;
            serde_json::to_writer(&mut *out, &issue)?;
        }
    }
    writeln!(out, "{}]", if first { "" } else { "\n" })
}

/// JUnit XML: one test case per file, one failure per finding.
pub fn write_junit(out: &mut dyn std::io::Write, run: &Run) -> std::io::Result<()> {
    let (reports, lang) = (run.files, run.lang);
    let failures: usize = reports.iter().filter(|r| !r.findings.is_empty()).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="iryolint" tests="{}" failures="{failures}">"#, reports.len())?;
    writeln!(out, r#"  <testsuite name="iryolint" tests="{}" failures="{failures}">"#, reports.len())?;
    for r in reports {
        let name = xml(&r.path);
        if r.findings.is_empty() {
            writeln!(out, r#"    <testcase classname="iryolint" name="{name}"/>"#)?;
            continue;
        }
        writeln!(out, r#"    <testcase classname="iryolint" name="{name}">"#)?;
        for f in &r.findings {
            let rule = run.rule(r, f);
            let message = format!("{}{}", rule.message.get(lang), messages::finding_suffix(f, lang));
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}:{}:{}: {} 「{}」 ({})</failure>"#,
                xml(&rule.id),
                xml(&message),
                name,
                f.start.line,
                f.start.column,
                messages::severity(f.severity).get(lang),
                xml(&f.text),
                xml(&rule.basis)
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>\n</testsuites>")
}

/// Escapes text for XML content and attributes. Characters that XML 1.0
/// cannot hold at all (C0 controls but tab, line feed and carriage return;
/// U+FFFE, U+FFFF), which a file name may contain, become U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(xml("<a href=\"x\">&'\u{1}"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD}");
        assert_eq!(xml("a\u{FFFF}b\u{FFFE}\r"), "a\u{FFFD}b\u{FFFD}&#13;");
    }
}
