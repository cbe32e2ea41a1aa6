//! The order the Supabase generator sorts names in: JavaScript's `localeCompare` (ICU, the CLDR
//! root collation), not byte order. For the ASCII names schemas use: punctuation before digits
//! before letters (`_` first, then `-`), letters without regard to case, and lowercase before
//! uppercase only when the names are otherwise equal; digits compare one by one (`t10 < t9`).
//! Other characters sort after ASCII letters by their lowercase code point (ICU interleaves
//! accented letters with their base letters; names like that are rare in schemas).

use std::cmp::Ordering;

/// Punctuation in CLDR root order (what ICU gives `localeCompare`).
const PUNCTUATION: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$ ";

fn primary(c: char) -> (u8, u32) {
    if let Some(i) = PUNCTUATION.find(c) {
        return (0, i as u32);
    }
    if c.is_ascii_digit() {
        return (1, c as u32);
    }
    if c.is_ascii_alphabetic() {
        return (2, c.to_ascii_lowercase() as u32);
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    (3, lower as u32)
}

/// Compares as `a.localeCompare(b)` does for schema names.
pub fn locale_cmp(a: &str, b: &str) -> Ordering {
    let pa: Vec<(u8, u32)> = a.chars().map(primary).collect();
    let pb: Vec<(u8, u32)> = b.chars().map(primary).collect();
    pa.cmp(&pb).then_with(|| {
        // Tertiary: lowercase before uppercase, at the first difference.
        for (x, y) in a.chars().zip(b.chars()) {
            if x != y {
                return match (x.is_uppercase(), y.is_uppercase()) {
                    (false, true) => Ordering::Less,
                    (true, false) => Ordering::Greater,
                    _ => x.cmp(&y),
                };
            }
        }
        a.len().cmp(&b.len())
    })
}

pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|x, y| locale_cmp(name(x), name(y)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_locale_compare() {
        let mut v = vec!["ab", "a1", "a_b", "Users", "accounts", "user-id", "user_id", "t9", "t10", "aView", "a_view"];
        sort_by_name(&mut v, |s| s);
        assert_eq!(v, ["a_b", "a_view", "a1", "ab", "accounts", "aView", "t10", "t9", "user_id", "user-id", "Users"]);
        assert_eq!(locale_cmp("a", "A"), Ordering::Less);
    }
}
