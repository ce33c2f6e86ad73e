//! The reader's progress as text (pure; `ui::progress` keeps it in localStorage): each prediction
//! decided (the answer picked, right or wrong, and the sentence the page showed) and each
//! challenge solved, per lesson. One entry per line, fields separated by tabs:
//! `p SLUG BLOCK OUTCOME PICKED SENTENCE` and `c SLUG ID`.

/// One remembered result.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Prediction {
        slug: String,
        block: String,
        /// `right`, `wrong` or `unanswered`.
        outcome: String,
        /// The answer picked (its index), if any.
        picked: Option<usize>,
        sentence: String,
    },
    Challenge {
        slug: String,
        id: String,
    },
}

/// Every entry of the stored text, in the order they happened; lines that do not parse (an older
/// format, a hand edit) are skipped.
pub fn parse_all(text: &str) -> Vec<Entry> {
    text.lines().filter_map(parse).collect()
}

fn parse(line: &str) -> Option<Entry> {
    let f: Vec<&str> = line.split('\t').collect();
    match f.as_slice() {
        ["p", slug, block, outcome, picked, sentence] => Some(Entry::Prediction {
            slug: slug.to_string(),
            block: block.to_string(),
            outcome: outcome.to_string(),
            picked: picked.parse().ok(),
            sentence: sentence.to_string(),
        }),
        ["c", slug, id] => Some(Entry::Challenge {
            slug: slug.to_string(),
            id: id.to_string(),
        }),
        _ => None,
    }
}

fn line(e: &Entry) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    match e {
        Entry::Prediction {
            slug,
            block,
            outcome,
            picked,
            sentence,
        } => format!(
            "p\t{}\t{}\t{}\t{}\t{}",
            clean(slug),
            clean(block),
            clean(outcome),
            picked.map_or(String::new(), |p| p.to_string()),
            clean(sentence)
        ),
        Entry::Challenge { slug, id } => format!("c\t{}\t{}", clean(slug), clean(id)),
    }
}

fn same(a: &Entry, b: &Entry) -> bool {
    match (a, b) {
        (
            Entry::Prediction { slug, block, .. },
            Entry::Prediction {
                slug: s2,
                block: b2,
                ..
            },
        ) => slug == s2 && block == b2,
        (Entry::Challenge { slug, id }, Entry::Challenge { slug: s2, id: i2 }) => {
            slug == s2 && id == i2
        }
        _ => false,
    }
}

/// `text` with `e` remembered, replacing any earlier result for the same prediction or challenge.
pub fn record(text: &str, e: Entry) -> String {
    let mut all = parse_all(text);
    all.retain(|x| !same(x, &e));
    all.push(e);
    all.iter().map(line).collect::<Vec<_>>().join("\n")
}

/// For lesson `slug`: predictions decided, of them right, challenges solved.
pub fn summary(entries: &[Entry], slug: &str) -> (usize, usize, usize) {
    entries.iter().fold((0, 0, 0), |(p, r, c), e| match e {
        Entry::Prediction {
            slug: s, outcome, ..
        } if s == slug && outcome != "unanswered" => {
            (p + 1, r + usize::from(outcome == "right"), c)
        }
        Entry::Challenge { slug: s, .. } if s == slug => (p, r, c + 1),
        _ => (p, r, c),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pred(block: &str, outcome: &str, sentence: &str) -> Entry {
        Entry::Prediction {
            slug: "cap".into(),
            block: block.into(),
            outcome: outcome.into(),
            picked: Some(1),
            sentence: sentence.into(),
        }
    }

    #[test]
    fn a_later_result_replaces_the_earlier_and_text_round_trips() {
        let t = record("", pred("3", "wrong", "✗ You said \"a\";\tthe run gave b"));
        let t = record(&t, pred("7", "right", "✓ yes"));
        let t = record(&t, pred("3", "right", "✓ now right"));
        let t = record(
            &t,
            Entry::Challenge {
                slug: "cap".into(),
                id: "12".into(),
            },
        );
        let all = parse_all(&t);
        assert_eq!(all.len(), 3);
        assert_eq!(all[1], pred("3", "right", "✓ now right"));
        assert_eq!(summary(&all, "cap"), (2, 2, 1));
        assert_eq!(summary(&all, "sagas"), (0, 0, 0));
        // A tab or newline in a sentence cannot break the format.
        let odd = record("", pred("1", "wrong", "a\tb\nc"));
        assert_eq!(parse_all(&odd), vec![pred("1", "wrong", "a b c")]);
    }

    #[test]
    fn garbage_is_skipped() {
        let all = parse_all("p\tcap\nhello\nc\tcap\t4\n\n");
        assert_eq!(
            all,
            vec![Entry::Challenge {
                slug: "cap".into(),
                id: "4".into()
            }]
        );
    }
}
