//! Word classes: named lists of words, stored once with their inflection
//! and expanded into the surface stems the automaton matches.
//!
//! Japanese inflection is regular enough to generate without a
//! dictionary. A verb is stored in its dictionary form under its
//! conjugation class and expands to the stems every inflected form
//! begins with: 高める (ichidan) → 高め, which matches 高めます, 高めて,
//! 高められ…; 防ぐ (godan) → 防ぐ, 防ぎ, 防い, 防げ, 防が, 防ご; 改善 (a noun
//! that takes する) stays 改善; 若い (i-adjective) → 若い, 若く, 若さ, 若かっ,
//! 若け. A class may include other classes by `@name`.

use serde::Deserialize;

/// One `[class.NAME]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    /// What the class holds, for `iryolint rules` and the README.
    #[serde(default)]
    pub summary: Option<String>,
    /// Words matched as written (nouns, fixed phrases), or `@class` names.
    #[serde(default)]
    pub words: Vec<String>,
    /// Ichidan verbs in dictionary form (高める, 抑える).
    #[serde(default)]
    pub ichidan: Vec<String>,
    /// Godan verbs in dictionary form (防ぐ, 高まる, 減らす).
    #[serde(default)]
    pub godan: Vec<String>,
    /// Nouns that take する (改善, 向上); matched as the noun.
    #[serde(default)]
    pub suru: Vec<String>,
    /// I-adjectives in dictionary form (若い, 少ない).
    #[serde(default)]
    pub adjective: Vec<String>,
}

impl ClassSpec {
    /// Adds the words of `other` (a later file extending this class).
    pub fn extend(&mut self, other: ClassSpec) {
        if self.summary.is_none() {
            self.summary = other.summary;
        }
        self.words.extend(other.words);
        self.ichidan.extend(other.ichidan);
        self.godan.extend(other.godan);
        self.suru.extend(other.suru);
        self.adjective.extend(other.adjective);
    }

    /// Every list with its name, for validation and hygiene checks.
    pub fn lists(&self) -> [(&'static str, &[String]); 5] {
        [
            ("words", &self.words),
            ("ichidan", &self.ichidan),
            ("godan", &self.godan),
            ("suru", &self.suru),
            ("adjective", &self.adjective),
        ]
    }

    /// The surface stems of this class's own words (not of included
    /// classes), or an error naming a word that does not inflect as
    /// declared.
    pub fn stems(&self) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = self.words.iter().filter(|w| !w.starts_with('@')).cloned().collect();
        for verb in &self.ichidan {
            out.extend(ichidan_stems(verb)?);
        }
        for verb in &self.godan {
            out.extend(godan_stems(verb)?);
        }
        out.extend(self.suru.iter().cloned());
        for adj in &self.adjective {
            out.extend(adjective_stems(adj)?);
        }
        Ok(out)
    }

    /// The classes this one includes (`@name` words), without the `@`.
    pub fn includes(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter_map(|w| w.strip_prefix('@'))
    }
}

/// 高める → 高め (every form of an ichidan verb starts with the stem).
pub fn ichidan_stems(verb: &str) -> Result<Vec<String>, String> {
    match verb.strip_suffix('る') {
        Some(stem) if !stem.is_empty() => Ok(vec![stem.to_string()]),
        _ => Err(format!("ichidan verb {verb:?} must end in る")),
    }
}

/// 防ぐ → 防ぐ 防ぎ 防い 防げ 防が 防ご: the dictionary form and the stems of
/// the continuative, te/ta, conditional/potential, negative and volitional
/// forms.
pub fn godan_stems(verb: &str) -> Result<Vec<String>, String> {
    let mut chars: Vec<char> = verb.chars().collect();
    let last = chars.pop().ok_or_else(|| "empty godan verb".to_string())?;
    if chars.is_empty() {
        return Err(format!("godan verb {verb:?} needs a stem before its ending"));
    }
    let stem: String = chars.iter().collect();
    // i-row, te/ta euphony, e-row, a-row, o-row.
    let rows: [char; 5] = match last {
        'う' => ['い', 'っ', 'え', 'わ', 'お'],
        'く' => ['き', 'い', 'け', 'か', 'こ'],
        'ぐ' => ['ぎ', 'い', 'げ', 'が', 'ご'],
        'す' => ['し', 'し', 'せ', 'さ', 'そ'],
        'つ' => ['ち', 'っ', 'て', 'た', 'と'],
        'ぬ' => ['に', 'ん', 'ね', 'な', 'の'],
        'ぶ' => ['び', 'ん', 'べ', 'ば', 'ぼ'],
        'む' => ['み', 'ん', 'め', 'ま', 'も'],
        'る' => ['り', 'っ', 'れ', 'ら', 'ろ'],
        _ => return Err(format!("godan verb {verb:?} must end in う く ぐ す つ ぬ ぶ む or る")),
    };
    let mut out = vec![verb.to_string()];
    for (i, ending) in rows.into_iter().enumerate() {
        // 行く is the one godan verb whose te-form is 行って.
        let ending =
            if i == 1 && last == 'く' && (stem.ends_with('行') || stem.ends_with('い')) { 'っ' } else { ending };
        let form = format!("{stem}{ending}");
        if !out.contains(&form) {
            out.push(form);
        }
    }
    Ok(out)
}

/// 若い → 若い 若く 若さ 若かっ 若け.
pub fn adjective_stems(adj: &str) -> Result<Vec<String>, String> {
    match adj.strip_suffix('い') {
        Some(stem) if !stem.is_empty() => {
            Ok(["い", "く", "さ", "かっ", "け"].iter().map(|e| format!("{stem}{e}")).collect())
        }
        _ => Err(format!("adjective {adj:?} must end in い")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_expand_to_their_stems() {
        assert_eq!(ichidan_stems("高める").unwrap(), ["高め"]);
        assert_eq!(godan_stems("防ぐ").unwrap(), ["防ぐ", "防ぎ", "防い", "防げ", "防が", "防ご"]);
        assert_eq!(godan_stems("高まる").unwrap(), ["高まる", "高まり", "高まっ", "高まれ", "高まら", "高まろ"]);
        assert_eq!(godan_stems("治す").unwrap(), ["治す", "治し", "治せ", "治さ", "治そ"]);
        assert_eq!(godan_stems("効く").unwrap(), ["効く", "効き", "効い", "効け", "効か", "効こ"]);
        assert_eq!(godan_stems("行く").unwrap()[2], "行っ");
        assert_eq!(adjective_stems("若い").unwrap(), ["若い", "若く", "若さ", "若かっ", "若け"]);
    }

    #[test]
    fn words_that_do_not_inflect_as_declared_are_errors() {
        assert!(ichidan_stems("防ぐ").is_err());
        assert!(godan_stems("る").is_err());
        assert!(godan_stems("改善").is_err());
        assert!(adjective_stems("綺麗").is_err());
    }
}
