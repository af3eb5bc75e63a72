//! Patterns: a small regular-expression language for order numbers, answers and URLs.
//!
//! The browser build must not carry the `regex` crate (hundreds of KiB). Merchants need
//! little: literals, `.`, classes (`[A-Z0-9]`, `\d`, `\w`, `\s`), groups, `|`, and the
//! quantifiers `? * + {n} {n,} {n,m}`, with `^`/`$` anchors. Matching is case-insensitive.
//!
//! A pattern is parsed once (by the compiler) into a flat program for a Pike virtual
//! machine, so matching takes time linear in the input whatever the pattern: no
//! catastrophic backtracking, and no recursion when a flow is decoded in the browser.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

/// Most instructions one pattern may compile to (a bounded repeat copies its body).
const MAX_PROGRAM: usize = 2_000;
/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 16;

/// A parsed pattern, ready to match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    /// What the merchant wrote, for messages.
    pub source: String,
    pub program: Vec<PatternNode>,
}

/// One instruction of a pattern's program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatternNode {
    /// Consume one character in the class.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// Try both; the first is preferred.
    Split(u32, u32),
    Jump(u32),
    /// Only at the start of the input.
    Start,
    /// Only at the end of the input.
    End,
    Match,
}

/// Why a pattern could not be parsed: a message and the character offset it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub message: String,
    pub offset: usize,
}

impl Pattern {
    /// Parses `source`.
    pub fn parse(source: &str) -> Result<Pattern, PatternError> {
        let chars: Vec<char> = source.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            depth: 0,
        };
        let ast = parser.alternation()?;
        if parser.pos < chars.len() {
            return Err(parser.error("unmatched `)`"));
        }
        let mut program = Vec::new();
        compile(&ast, &mut program).map_err(|message| PatternError { message, offset: 0 })?;
        program.push(PatternNode::Match);
        if program.len() > MAX_PROGRAM {
            return Err(PatternError {
                message: "the pattern is too large (use smaller repeat counts)".into(),
                offset: 0,
            });
        }
        Ok(Pattern {
            source: source.to_owned(),
            program,
        })
    }

    /// Whether the whole of `text` matches (surrounding whitespace ignored).
    pub fn matches_whole(&self, text: &str) -> bool {
        let text: Vec<char> = text.trim().chars().collect();
        self.run(&text, 0, true).is_some()
    }

    /// The leftmost match in `text`, as a byte range.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for start in 0..=chars.len() {
            if let Some(end) = self.run(&chars, start, false) {
                return Some((offsets[start], offsets[end]));
            }
        }
        None
    }

    /// Runs the program anchored at `start`; returns the end of the preferred match.
    /// With `whole`, only a match reaching the end of the input counts.
    fn run(&self, text: &[char], start: usize, whole: bool) -> Option<usize> {
        let n = self.program.len();
        let mut current: Vec<u32> = Vec::new();
        let mut next: Vec<u32> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut best = None;
        self.add(&mut current, &mut seen, 0, start, text.len());
        let mut pos = start;
        loop {
            for &pc in &current {
                match self.program.get(pc as usize) {
                    Some(PatternNode::Match) if (!whole || pos == text.len()) => {
                        best = Some(pos);
                        // Lower-priority threads are cut off: leftmost-first semantics.
                        break;
                    }
                    Some(PatternNode::Class { negated, ranges }) => {
                        if let Some(&c) = text.get(pos)
                            && class_matches(*negated, ranges, c)
                        {
                            self.add(&mut next, &mut seen, pc + 1, pos + 1, text.len());
                        }
                    }
                    _ => {}
                }
            }
            if next.is_empty() || pos >= text.len() {
                return best;
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
            pos += 1;
        }
    }

    /// Adds thread `pc` at `pos`, following jumps, splits and assertions.
    fn add(&self, list: &mut Vec<u32>, seen: &mut [usize], pc: u32, pos: usize, len: usize) {
        // An explicit stack, not recursion: a hostile program cannot overflow anything.
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            let Some(slot) = seen.get_mut(pc as usize) else {
                continue;
            };
            if *slot == pos {
                continue;
            }
            *slot = pos;
            match &self.program[pc as usize] {
                PatternNode::Jump(to) => stack.push(*to),
                PatternNode::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                PatternNode::Start => {
                    if pos == 0 {
                        stack.push(pc + 1);
                    }
                }
                PatternNode::End => {
                    if pos == len {
                        stack.push(pc + 1);
                    }
                }
                PatternNode::Class { .. } | PatternNode::Match => list.push(pc),
            }
        }
    }
}

fn class_matches(negated: bool, ranges: &[(char, char)], c: char) -> bool {
    let (lower, upper) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
    let hit = ranges.iter().any(|&(a, b)| {
        (a..=b).contains(&c) || (a..=b).contains(&lower) || (a..=b).contains(&upper)
    });
    hit != negated
}

/// The parsed form, before compiling to a program.
enum Ast {
    Empty,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Start,
    End,
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat {
        node: Box<Ast>,
        min: u32,
        max: Option<u32>,
    },
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> PatternError {
        PatternError {
            message: message.to_owned(),
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn alternation(&mut self) -> Result<Ast, PatternError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Ast, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(match items.len() {
            0 => Ast::Empty,
            1 => items.pop().unwrap_or(Ast::Empty),
            _ => Ast::Concat(items),
        })
    }

    fn atom(&mut self) -> Result<Ast, PatternError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("the pattern ends too early"))?;
        self.pos += 1;
        Ok(match c {
            '(' => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.error("groups are nested too deeply"));
                }
                self.depth += 1;
                // Non-capturing groups `(?:…)` are accepted for familiarity.
                if self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':']) {
                    self.pos += 2;
                }
                let inner = self.alternation()?;
                if self.peek() != Some(')') {
                    return Err(self.error("`(` is never closed"));
                }
                self.pos += 1;
                self.depth -= 1;
                inner
            }
            '[' => self.class()?,
            '.' => Ast::Class {
                negated: true,
                ranges: vec![('\n', '\n')],
            },
            '^' => Ast::Start,
            '$' => Ast::End,
            '\\' => {
                let (negated, ranges) = self.escape(false)?;
                Ast::Class { negated, ranges }
            }
            '*' | '+' | '?' | '{' => {
                self.pos -= 1;
                return Err(self.error(&format!("`{c}` has nothing to repeat")));
            }
            c => Ast::Class {
                negated: false,
                ranges: vec![(c, c)],
            },
        })
    }

    /// Reads what follows a `\\`: a class (`\\d`) or an escaped character.
    fn escape(&mut self, in_class: bool) -> Result<(bool, Vec<(char, char)>), PatternError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("`\\` at the end of the pattern"))?;
        self.pos += 1;
        let (negated, ranges) = match c {
            'd' => (false, vec![('0', '9')]),
            'D' => (true, vec![('0', '9')]),
            'w' => (false, vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
            'W' => (true, vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
            's' => (false, vec![(' ', ' '), ('\t', '\r')]),
            'S' => (true, vec![(' ', ' '), ('\t', '\r')]),
            'n' => (false, vec![('\n', '\n')]),
            't' => (false, vec![('\t', '\t')]),
            c if c.is_ascii_alphanumeric() => {
                self.pos -= 1;
                return Err(self.error(&format!("unknown escape `\\{c}`")));
            }
            c => (false, vec![(c, c)]),
        };
        if in_class && negated {
            self.pos -= 2;
            return Err(self.error("negated classes like `\\D` cannot go inside `[…]`"));
        }
        Ok((negated, ranges))
    }

    fn class(&mut self) -> Result<Ast, PatternError> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self
                .peek()
                .ok_or_else(|| self.error("`[` is never closed"))?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)?.1.as_slice() {
                    &[(a, b)] if a == b => a,
                    more => {
                        ranges.extend_from_slice(more);
                        continue;
                    }
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&c| c != ']') {
                self.pos += 1;
                let hi = self
                    .peek()
                    .ok_or_else(|| self.error("`[` is never closed"))?;
                self.pos += 1;
                if hi < lo {
                    return Err(self.error(&format!("the range `{lo}-{hi}` is backwards")));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Ast::Class { negated, ranges })
    }

    fn quantified(&mut self, atom: Ast) -> Result<Ast, PatternError> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                let start = self.pos;
                self.pos += 1;
                let min = self
                    .number()
                    .ok_or_else(|| self.error("expected a number after `{`"))?;
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(
                            self.number()
                                .ok_or_else(|| self.error("expected a number after `,`"))?,
                        )
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.error("`{` is never closed"));
                }
                if max.is_some_and(|m| m < min) {
                    self.pos = start;
                    return Err(self.error("in `{n,m}`, m must not be smaller than n"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(atom, Ast::Start | Ast::End) {
            return Err(self.error("anchors cannot be repeated"));
        }
        Ok(Ast::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        digits.parse().ok().filter(|&n| n <= 1000)
    }
}

fn compile(ast: &Ast, out: &mut Vec<PatternNode>) -> Result<(), String> {
    if out.len() > MAX_PROGRAM {
        return Err("the pattern is too large (use smaller repeat counts)".into());
    }
    match ast {
        Ast::Empty => {}
        Ast::Class { negated, ranges } => out.push(PatternNode::Class {
            negated: *negated,
            ranges: ranges.clone(),
        }),
        Ast::Start => out.push(PatternNode::Start),
        Ast::End => out.push(PatternNode::End),
        Ast::Concat(items) => {
            for item in items {
                compile(item, out)?;
            }
        }
        Ast::Alt(branches) => {
            // split L1, next ; L1: a ; jmp end ; next: split L2, … ; last: z ; end:
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = out.len();
                    out.push(PatternNode::Split(0, 0));
                    compile(branch, out)?;
                    jumps.push(out.len());
                    out.push(PatternNode::Jump(0));
                    out[split] = PatternNode::Split(split as u32 + 1, out.len() as u32);
                } else {
                    compile(branch, out)?;
                }
            }
            let end = out.len() as u32;
            for j in jumps {
                out[j] = PatternNode::Jump(end);
            }
        }
        Ast::Repeat { node, min, max } => {
            for _ in 0..*min {
                compile(node, out)?;
            }
            match max {
                None => {
                    // L: split body, end ; body ; jmp L ; end:
                    let split = out.len();
                    out.push(PatternNode::Split(0, 0));
                    compile(node, out)?;
                    out.push(PatternNode::Jump(split as u32));
                    out[split] = PatternNode::Split(split as u32 + 1, out.len() as u32);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(out.len());
                        out.push(PatternNode::Split(0, 0));
                        compile(node, out)?;
                        if out.len() > MAX_PROGRAM {
                            return Err(
                                "the pattern is too large (use smaller repeat counts)".into()
                            );
                        }
                    }
                    let end = out.len() as u32;
                    for s in splits {
                        out[s] = PatternNode::Split(s as u32 + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct Pattern { source, program });
codec!(enum PatternNode { 0 => Class { negated, ranges }, 1 => Split(v0, v1), 2 => Jump(v0), 3 => Start, 4 => End, 5 => Match });

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Pattern {
        Pattern::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn whole_matches() {
        let order = p(r"#?\d{5,6}");
        assert!(order.matches_whole("10493"));
        assert!(order.matches_whole(" #104930 "));
        assert!(!order.matches_whole("1049"));
        assert!(!order.matches_whole("1049301"));
        let sku = p("FH-[a-z]{2}-(0|1)[0-9]");
        assert!(sku.matches_whole("fh-TR-01"));
        assert!(!sku.matches_whole("FH-TR-21"));
        assert!(p("a|b|c").matches_whole("B"));
        assert!(p("(ab)+").matches_whole("ababab"));
        assert!(!p("(ab)+").matches_whole("ababa"));
        assert!(p("x*").matches_whole(""));
        assert!(p("[^0-9]+").matches_whole("abc"));
        assert!(p(r"\.").matches_whole("."));
        assert!(!p(r"\.").matches_whole("a"));
    }

    #[test]
    fn find_gives_the_leftmost_match_as_a_byte_range() {
        let order = p(r"#?\d{5,6}");
        let text = "my order #10493 hasn’t arrived";
        let (s, e) = order.find(text).unwrap();
        assert_eq!(&text[s..e], "#10493");
        assert_eq!(order.find("no numbers here"), None);
        let (s, e) = p("é+").find("caféé!").unwrap();
        assert_eq!(&"caféé!"[s..e], "éé");
    }

    #[test]
    fn no_catastrophic_backtracking() {
        let evil = p("(a*)*b");
        let input = "a".repeat(5_000);
        assert!(!evil.matches_whole(&input));
        assert_eq!(evil.find(&input[..500]), None);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            ("(ab", "`(` is never closed", 3),
            ("ab)", "unmatched `)`", 2),
            ("*a", "`*` has nothing to repeat", 0),
            ("[z-a]", "the range `z-a` is backwards", 4),
            (r"\q", "unknown escape `\\q`", 1),
            ("a{3,1}", "in `{n,m}`, m must not be smaller than n", 1),
            ("[abc", "`[` is never closed", 4),
        ];
        for (source, message, offset) in cases {
            assert_eq!(
                Pattern::parse(source),
                Err(PatternError {
                    message: message.into(),
                    offset
                }),
                "{source}"
            );
        }
        assert!(
            Pattern::parse("a{1000}{1000}").is_err(),
            "huge programs are refused"
        );
    }

    #[test]
    fn corrupted_programs_do_not_panic() {
        let broken = Pattern {
            source: String::new(),
            program: vec![PatternNode::Jump(99), PatternNode::Split(0, 7)],
        };
        assert!(!broken.matches_whole("abc"));
        assert_eq!(broken.find("abc"), None);
    }
}
