//! "Did you mean …?": the closest known name to a misspelt one.

pub use flow_runtime::text::distance;

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
