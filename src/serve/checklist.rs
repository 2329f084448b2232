//! Which disclosure rules a page triggers.
//!
//! A disclosure finding lists the elements that are missing, but a page
//! with every element present and a page the rule does not apply to both
//! give no finding. The checklist needs to tell them apart, so `serve`
//! also runs a probe: the same disclosure rules with every element's
//! wording removed. A probe finding then means exactly "the rule applies
//! to this page" (its document conditions hold and a trigger is present),
//! decided by the engine itself rather than by a second copy of its logic.

use crate::lint::FileReport;
use crate::rules::{Kind, Pack, RuleSet};

/// Turns a validated pack into the probe: only disclosure rules, none of
/// whose elements can ever be found. Pass it to
/// [`crate::app::load_rules_with`].
pub fn make_probe(pack: &mut Pack) {
    pack.rules.retain(|r| r.kind == Kind::Disclosure);
    for element in pack.rules.iter_mut().flat_map(|r| &mut r.elements) {
        element.literals.clear();
        element.regexes.clear();
    }
}

/// The ids of the disclosure rules that `probe_report` (a report made
/// with the probe rule set `probe`) shows the page triggers, sorted.
pub fn triggered<'a>(probe: &'a RuleSet, probe_report: &FileReport) -> Vec<&'a str> {
    let mut ids: Vec<&str> = probe_report.findings.iter().map(|f| probe.rules[f.rule].id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint;

    fn sets() -> (RuleSet, RuleSet) {
        let set = RuleSet::compile(Pack::embedded().unwrap(), |_| true).unwrap();
        let mut pack = Pack::embedded().unwrap();
        make_probe(&mut pack);
        (set, RuleSet::compile(pack, |_| true).unwrap())
    }

    #[test]
    fn probe_tells_a_complete_page_from_one_the_rule_does_not_cover() {
        let (set, probe) = sets();
        let complete =
            "本治療は保険適用外の自由診療です。治療内容：ご本人の血液を採取し、遠心分離したPRPを膝関節へ注射します。\
                        費用：1回55,000円（税込）。治療期間・回数：4週間おきに3回が目安です。\
                        主なリスク・副作用：注射部位の痛み、腫れ、内出血が数日続くことがあります。";
        let unrelated = "当院は保険診療の内科です。風邪と高血圧の診療を行っています。";
        for (text, expected) in [(complete, vec!["free-care-disclosure"]), (unrelated, vec![])] {
            let report = lint::lint_text("p.txt", text, &set);
            assert!(
                !report.findings.iter().any(|f| set.rules[f.rule].id == "free-care-disclosure"),
                "{text}: the real rule finds nothing missing"
            );
            let probed = lint::lint_text("p.txt", text, &probe);
            assert_eq!(triggered(&probe, &probed), expected, "{text}");
        }
    }

    #[test]
    fn probe_keeps_only_disclosure_rules() {
        let (_, probe) = sets();
        assert!(!probe.rules.is_empty());
        assert!(probe.rules.iter().all(|r| r.kind == Kind::Disclosure));
    }
}
