//! Word tables looked up by one byte: the scanner tries the words that may follow (or precede)
//! every number it reads, so it only compares those that start (or end) with the right byte.

/// The entries of a word table, by the ASCII-lower-cased first or last byte of their word.
pub(super) struct ByteIndex {
    buckets: Vec<Vec<u16>>,
}

impl ByteIndex {
    /// Indexes `words` (in table order) by their first byte.
    pub(super) fn first<'a>(words: impl Iterator<Item = &'a str>) -> ByteIndex {
        ByteIndex::by(words, |w| w.as_bytes().first().copied())
    }

    /// Indexes `words` (in table order) by their last byte.
    pub(super) fn last<'a>(words: impl Iterator<Item = &'a str>) -> ByteIndex {
        ByteIndex::by(words, |w| w.as_bytes().last().copied())
    }

    fn by<'a>(words: impl Iterator<Item = &'a str>, key: impl Fn(&str) -> Option<u8>) -> ByteIndex {
        let mut buckets = vec![Vec::new(); 256];
        for (i, word) in words.enumerate() {
            if let (Some(b), Ok(i)) = (key(word), u16::try_from(i)) {
                buckets[usize::from(b.to_ascii_lowercase())].push(i);
            }
        }
        ByteIndex { buckets }
    }

    /// The table positions of the words whose indexed byte is `b` (ASCII case ignored), in
    /// table order.
    #[inline]
    pub(super) fn get(&self, b: u8) -> impl Iterator<Item = usize> + '_ {
        self.buckets[usize::from(b.to_ascii_lowercase())]
            .iter()
            .map(|&i| usize::from(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_their_first_or_last_byte_in_table_order() {
        let words = ["million", "Mio.", "bn", "more than"];
        let first = ByteIndex::first(words.iter().copied());
        assert_eq!(first.get(b'M').collect::<Vec<_>>(), [0, 1, 3]);
        let last = ByteIndex::last(words.iter().copied());
        assert_eq!(last.get(b'n').collect::<Vec<_>>(), [0, 2, 3]);
        assert_eq!(last.get(b'x').count(), 0);
    }
}
