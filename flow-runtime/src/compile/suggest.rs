//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `wanted` if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= (c.chars().count().max(wanted.chars().count()) / 3).max(1))
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

/// Damerau–Levenshtein distance (optimal string alignment): edits, with swaps counted once.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let steps = ["shipping", "returns", "sizing", "menu"];
        assert_eq!(closest("shiping", steps), Some("shipping"));
        assert_eq!(closest("retruns", steps), Some("returns"));
        assert_eq!(closest("Menu", steps), Some("menu"));
        assert_eq!(closest("payment", steps), None);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
