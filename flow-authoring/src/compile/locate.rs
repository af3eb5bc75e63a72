//! From a JSON pointer to a line and column in the JSON source.
//!
//! serde_json reports where syntax errors are, but a checked document is a tree of values
//! without positions. This scanner walks the source once and records where each value
//! (and each object key) starts, by pointer.

use std::collections::HashMap;

use super::diagnostic::push_pointer;

/// Deepest nesting scanned (serde_json refuses deeper documents anyway).
const MAX_DEPTH: usize = 128;

/// Positions of every value in a JSON text.
pub(super) struct Locations<'a> {
    source: &'a str,
    /// Pointer → byte offset of the value.
    values: HashMap<String, usize>,
    /// Pointer of a member → byte offset of its key.
    keys: HashMap<String, usize>,
}

impl<'a> Locations<'a> {
    pub(super) fn scan(source: &'a str) -> Locations<'a> {
        let mut scanner = Scanner {
            bytes: source.as_bytes(),
            pos: 0,
            values: HashMap::new(),
            keys: HashMap::new(),
        };
        scanner.skip_ws();
        scanner.value(String::new(), 0);
        Locations {
            source,
            values: scanner.values,
            keys: scanner.keys,
        }
    }

    /// Line and column (1-based, columns in characters) of the value at `pointer`, or of
    /// its nearest ancestor that exists. With `key`, the member's key is preferred.
    pub(super) fn find(&self, pointer: &str, key: bool) -> Option<(u32, u32)> {
        let mut p = pointer;
        loop {
            let hit = if key {
                self.keys.get(p).or_else(|| self.values.get(p))
            } else {
                self.values.get(p)
            };
            if let Some(&offset) = hit {
                return Some(self.line_col(offset));
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    pub(super) fn line_col(&self, offset: usize) -> (u32, u32) {
        let before = &self.source[..offset.min(self.source.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        (line, col)
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    values: HashMap<String, usize>,
    keys: HashMap<String, usize>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn value(&mut self, pointer: String, depth: usize) {
        if depth > MAX_DEPTH || self.pos >= self.bytes.len() {
            return;
        }
        self.values.insert(pointer.clone(), self.pos);
        match self.bytes[self.pos] {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b'}') => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => self.pos += 1,
                        Some(b'"') => {
                            let key_at = self.pos;
                            let key = self.string();
                            let member = push_pointer(&pointer, &key);
                            self.keys.insert(member.clone(), key_at);
                            self.skip_ws();
                            if self.bytes.get(self.pos) == Some(&b':') {
                                self.pos += 1;
                            }
                            self.skip_ws();
                            self.value(member, depth + 1);
                        }
                        _ => return,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b']') => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => {
                            let start = self.pos;
                            self.value(format!("{pointer}/{index}"), depth + 1);
                            index += 1;
                            if self.pos == start {
                                return;
                            }
                        }
                        None => return,
                    }
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(
                        self.bytes[self.pos],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.pos += 1;
                }
            }
        }
    }

    /// Reads a string token and returns its decoded text.
    fn string(&mut self) -> String {
        let mut out = Vec::new();
        self.pos += 1; // opening quote
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self
                                .bytes
                                .get(self.pos..self.pos + 4)
                                .and_then(|h| std::str::from_utf8(h).ok());
                            if let Some(c) = hex
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                            {
                                let mut buf = [0; 4];
                                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            }
                            self.pos += 4;
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Locations;

    #[test]
    fn pointers_map_to_lines_and_columns() {
        let src = "{\n  \"a\": [1, {\"b/c\": \"x\"}],\n  \"é\": true\n}";
        let loc = Locations::scan(src);
        assert_eq!(loc.find("", false), Some((1, 1)));
        assert_eq!(loc.find("/a", false), Some((2, 8)));
        assert_eq!(loc.find("/a", true), Some((2, 3)));
        assert_eq!(loc.find("/a/1/b~1c", false), Some((2, 20)));
        assert_eq!(loc.find("/é", false), Some((3, 8)));
        // A pointer below an existing value falls back to that value.
        assert_eq!(loc.find("/a/1/b~1c/zzz", false), Some((2, 20)));
    }
}
