//! Patterns: a small regular-expression language for order numbers, answers and URLs.
//!
//! The browser build must not carry the `regex` crate (hundreds of KiB). Merchants need
//! little: literals, `.`, classes (`[A-Z0-9]`, `\d`, `\w`, `\s`), groups, `|`, and the
//! quantifiers `? * + {n} {n,} {n,m}`, with `^`/`$` anchors. Matching is case-insensitive.
//!
//! A pattern is parsed once (by the compiler) into a flat program for a Pike virtual
//! machine. Two promises, each with its own guard:
//! - **compiling is bounded by the work it does**, not only by the program it writes:
//!   `((((){1000}){1000}){1000}){1000}` writes nothing but would visit the empty group
//!   10^12 times, so every visit of a part of the pattern is counted against
//!   [`MAX_COMPILE_WORK`];
//! - **matching takes time linear in the input for every program**: one pass over the
//!   text with at most one thread per instruction, each carrying where its match began
//!   (leftmost-first, as Perl and the `regex` crate choose), rather than one run per
//!   starting position (which made `(.?){990}x` take 42 s on a 2,000-character message).
//!   No recursion either, so a hostile compiled flow cannot overflow the stack.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

/// Most instructions one pattern may compile to (a bounded repeat copies its body).
const MAX_PROGRAM: usize = 2_000;
/// Most parts of the pattern the compiler may visit: a repeat visits its body once per
/// copy, even when the body writes nothing.
pub const MAX_COMPILE_WORK: usize = 20_000;
/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 16;

const TOO_LARGE: &str = "the pattern is too large (use smaller repeat counts)";

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
        let mut out = Compiler {
            program: Vec::new(),
            work: 0,
        };
        out.compile(&ast)
            .map_err(|message| PatternError { message, offset: 0 })?;
        let mut program = out.program;
        program.push(PatternNode::Match);
        if program.len() > MAX_PROGRAM {
            return Err(PatternError {
                message: TOO_LARGE.into(),
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
        self.run(&text, true).is_some()
    }

    /// The leftmost match in `text` (the preferred one among those starting there), as a
    /// byte range.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let (start, end) = self.run(&chars, false)?;
        Some((offsets[start], offsets[end]))
    }

    /// One pass of the Pike VM over `text`: the preferred leftmost match as a range of
    /// character positions. With `whole`, the match must start at 0 and end at the end.
    fn run(&self, text: &[char], whole: bool) -> Option<(usize, usize)> {
        let n = self.program.len();
        let mut vm = Vm {
            current: Vec::new(),
            next: Vec::new(),
            seen: vec![usize::MAX; n],
            stack: Vec::new(),
        };
        let mut best = None;
        let mut pos = 0;
        loop {
            // A match may begin here (lowest priority: those begun earlier come first),
            // until one is found: after that only earlier starts can do better.
            if best.is_none() && (!whole || pos == 0) {
                vm.add_current(self, 0, pos, pos, text.len());
            }
            if vm.current.is_empty() && (best.is_some() || whole) {
                return best;
            }
            for i in 0..vm.current.len() {
                let (pc, start) = vm.current[i];
                match self.program.get(pc as usize) {
                    Some(PatternNode::Match) => {
                        if !whole || pos == text.len() {
                            best = Some((start, pos));
                            // Lower-priority threads are cut off: leftmost-first.
                            break;
                        }
                    }
                    Some(PatternNode::Class { negated, ranges }) => {
                        if let Some(&c) = text.get(pos)
                            && class_matches(*negated, ranges, c)
                        {
                            vm.add_next(self, pc + 1, start, pos + 1, text.len());
                        }
                    }
                    _ => {}
                }
            }
            if pos >= text.len() {
                return best;
            }
            std::mem::swap(&mut vm.current, &mut vm.next);
            vm.next.clear();
            pos += 1;
        }
    }
}

/// The Pike VM's threads: `(instruction, where its match began)`, in priority order.
struct Vm {
    current: Vec<(u32, usize)>,
    next: Vec<(u32, usize)>,
    /// The position each instruction was last added at: one thread per instruction and
    /// position, the one with priority.
    seen: Vec<usize>,
    stack: Vec<u32>,
}

impl Vm {
    fn add_current(&mut self, p: &Pattern, pc: u32, start: usize, pos: usize, len: usize) {
        let mut list = std::mem::take(&mut self.current);
        self.add(p, &mut list, pc, start, pos, len);
        self.current = list;
    }

    fn add_next(&mut self, p: &Pattern, pc: u32, start: usize, pos: usize, len: usize) {
        let mut list = std::mem::take(&mut self.next);
        self.add(p, &mut list, pc, start, pos, len);
        self.next = list;
    }

    /// Adds thread `pc` at `pos`, following jumps, splits and assertions.
    fn add(
        &mut self,
        p: &Pattern,
        list: &mut Vec<(u32, usize)>,
        pc: u32,
        start: usize,
        pos: usize,
        len: usize,
    ) {
        // An explicit stack, not recursion: a hostile program cannot overflow anything.
        self.stack.clear();
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            let Some(slot) = self.seen.get_mut(pc as usize) else {
                continue;
            };
            if *slot == pos {
                continue;
            }
            *slot = pos;
            match &p.program[pc as usize] {
                PatternNode::Jump(to) => self.stack.push(*to),
                PatternNode::Split(a, b) => {
                    self.stack.push(*b);
                    self.stack.push(*a);
                }
                PatternNode::Start => {
                    if pos == 0 {
                        self.stack.push(pc + 1);
                    }
                }
                PatternNode::End => {
                    if pos == len {
                        self.stack.push(pc + 1);
                    }
                }
                PatternNode::Class { .. } | PatternNode::Match => list.push((pc, start)),
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

/// Writes a program, counting the work done (see [`MAX_COMPILE_WORK`]).
struct Compiler {
    program: Vec<PatternNode>,
    work: usize,
}

impl Compiler {
    fn compile(&mut self, ast: &Ast) -> Result<(), String> {
        self.work += 1;
        if self.work > MAX_COMPILE_WORK || self.program.len() > MAX_PROGRAM {
            return Err(TOO_LARGE.into());
        }
        let out = &mut self.program;
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
                    self.compile(item)?;
                }
            }
            Ast::Alt(branches) => {
                // split L1, next ; L1: a ; jmp end ; next: split L2, … ; last: z ; end:
                let mut jumps = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.program.len();
                        self.program.push(PatternNode::Split(0, 0));
                        self.compile(branch)?;
                        jumps.push(self.program.len());
                        self.program.push(PatternNode::Jump(0));
                        self.program[split] =
                            PatternNode::Split(split as u32 + 1, self.program.len() as u32);
                    } else {
                        self.compile(branch)?;
                    }
                }
                let end = self.program.len() as u32;
                for j in jumps {
                    self.program[j] = PatternNode::Jump(end);
                }
            }
            Ast::Repeat {
                node,
                min,
                max: None,
            } => {
                // `x*` is `(x+)?` and `x{n,}` is n - 1 copies and `x+`, with the loop's
                // choice after the body, as the `regex` crate compiles them: an iteration
                // that matched nothing then leaves the loop before the body is tried
                // again, as backtracking engines do (`(^|.)*` on "a" matches "", not "a").
                let skip = (*min == 0).then(|| {
                    self.program.push(PatternNode::Split(0, 0));
                    self.program.len() - 1
                });
                for _ in 1..*min {
                    self.compile(node)?;
                }
                // L: body ; split L, end ; end:
                let body = self.program.len() as u32;
                self.compile(node)?;
                let end = self.program.len() as u32 + 1;
                self.program.push(PatternNode::Split(body, end));
                if let Some(split) = skip {
                    self.program[split] = PatternNode::Split(split as u32 + 1, end);
                }
            }
            Ast::Repeat {
                node,
                min,
                max: Some(max),
            } => {
                for _ in 0..*min {
                    self.compile(node)?;
                }
                let mut splits = Vec::new();
                for _ in *min..*max {
                    splits.push(self.program.len());
                    self.program.push(PatternNode::Split(0, 0));
                    self.compile(node)?;
                }
                let end = self.program.len() as u32;
                for s in splits {
                    self.program[s] = PatternNode::Split(s as u32 + 1, end);
                }
            }
        }
        Ok(())
    }
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

    /// Nested repeats of nothing write no instruction but would take the compiler 10^12
    /// steps; the work is counted, so it refuses them at once.
    #[test]
    fn compiling_is_bounded_by_its_work() {
        for source in [
            "((((){1000}){1000}){1000}){1000}",
            "(((){1000}){1000}){1000}",
            "((a{0}){1000}){1000}",
            "(a?){1000}(b?){1000}(c?){1000}",
        ] {
            assert_eq!(
                Pattern::parse(source).map_err(|e| e.message),
                Err(TOO_LARGE.to_owned()),
                "{source}"
            );
        }
        assert!(Pattern::parse("(){1000}").is_ok(), "a little work is fine");
    }

    /// One pass whatever the pattern: `(.?){990}x` against 2,000 characters is about
    /// 2,000 × 2,000 thread steps, not one run per starting position (42 s before). The
    /// bound checked is on steps, not seconds, so a busy machine cannot fail it.
    #[test]
    fn matching_is_linear_in_the_input() {
        let slow = p("(.?){990}x");
        let text = "a".repeat(2_000);
        assert_eq!(slow.find(&text), None);
        assert!(!slow.matches_whole(&text));
        let mut found = text.clone();
        found.push('x');
        assert_eq!(slow.find(&found), Some((1_010, 2_001)));
    }

    #[test]
    fn leftmost_first_like_perl() {
        assert_eq!(p("a|ab").find("xab"), Some((1, 2)));
        assert_eq!(p("ab|a").find("xab"), Some((1, 3)));
        assert_eq!(p("a*").find("baa"), Some((0, 0)));
        assert_eq!(p("a+").find("baa"), Some((1, 3)));
        assert_eq!(p("b$").find("bab"), Some((2, 3)));
        assert_eq!(p("^b").find("ab"), None);
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
