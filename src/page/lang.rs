//! Guessing a page's language from its most common words, for pages that do not declare one:
//! the language decides how numbers are written (`40.000` is forty thousand in Spanish).

/// Very common words of each language, none shared with another list here.
const STOPWORDS: [(&str, &[&str]); 10] = [
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "with", "for", "was", "this", "are", "from",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "que", "y", "una", "por", "con", "para", "como", "más",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "et", "est", "une", "pour", "dans", "qui", "sur", "pas", "avec",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "ein", "eine", "den", "von", "auf",
        ],
    ),
    (
        "it",
        &[
            "il", "della", "che", "di", "per", "non", "sono", "gli", "nel", "alla", "anche",
            "delle",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "não", "uma", "do", "da", "em", "para", "com", "mais", "dos", "é",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "van", "en", "niet", "dat", "zijn", "voor", "op", "ook", "wordt", "naar",
        ],
    ),
    (
        "cs",
        &[
            "je", "se", "na", "že", "jako", "ale", "jsou", "pro", "by", "který", "také", "podle",
        ],
    ),
    (
        "pl",
        &[
            "się", "nie", "jest", "w", "z", "że", "do", "jak", "to", "oraz", "przez", "dla",
        ],
    ),
    (
        "ru",
        &[
            "и", "в", "не", "на", "что", "с", "по", "это", "как", "для", "из", "от",
        ],
    ),
];

/// How much text is looked at.
pub const SAMPLE_CHARS: usize = 20_000;
/// The fewest stopword hits that name a language.
pub const MIN_HITS: usize = 15;

/// The language of `text` (ISO 639-1), when its common words say so clearly: at least
/// [`MIN_HITS`] of them, and half as many again as the runner-up's.
pub fn guess_lang(text: &str) -> Option<&'static str> {
    let sample = match text.char_indices().nth(SAMPLE_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let mut hits = [0usize; STOPWORDS.len()];
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > 12 {
            continue;
        }
        let lower = word.to_lowercase();
        for (i, (_, words)) in STOPWORDS.iter().enumerate() {
            if words.contains(&lower.as_str()) {
                hits[i] += 1;
            }
        }
    }
    let mut ranked: Vec<(usize, &str)> = hits
        .iter()
        .zip(STOPWORDS.iter())
        .map(|(&h, (lang, _))| (h, *lang))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let (best, lang) = ranked[0];
    let second = ranked[1].0;
    (best >= MIN_HITS && best * 2 >= second * 3).then_some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_name_the_language() {
        let es = "El conflicto entre el Partido y la República se cobró cerca de 40.000 vidas en los años 90 y lleva más de 2000 desde la reanudación de las hostilidades. ".repeat(4);
        assert_eq!(guess_lang(&es), Some("es"));
        let en = "The company said that the results for the quarter were better than expected, and that this is the start of a trend from here. ".repeat(4);
        assert_eq!(guess_lang(&en), Some("en"));
        assert_eq!(guess_lang("40.000 vidas"), None);
    }
}
