//! The compact binary encoding of compiled flows and snapshots.
//!
//! Why not serde with a binary format: serde's derives are generic over every format and
//! every visitor path, and for the ~80 types of a flow and a snapshot they came to about
//! 80 KiB of wasm (20 KiB brotli), a quarter of the browser build. This codec is written
//! for one reader and one writer: each type is a sequence of fields (`codec!` below lists
//! them next to the type), integers are LEB128 varints, strings and lists are
//! length-prefixed, enums are a tag byte then their fields.
//!
//! Decoding is defensive: it never panics, never allocates more than the input could
//! hold, and refuses nesting deeper than [`MAX_DEPTH`], whatever the bytes.
//!
//! Decoding does not stop at the first bad byte. The [`Reader`] remembers that it failed,
//! every later read gives zero, and [`from_bytes`] throws the value away. A decoder is then
//! straight-line code: returning early from the middle of a struct would make the compiler
//! write code to drop every field decoded so far, for every field of every type, and that
//! was most of the codec's size in the browser (47 KB of wasm before, see BENCHMARKS.md).
//! On a failed reader an enum decodes as its tag-0 variant, so the tag-0 variant of an enum
//! must not contain the enum itself (`codec!` checks there is a tag 0; a test feeds bad tags
//! to `Condition`, the one enum of a flow that contains itself).

/// Deepest nesting of lists and boxes accepted when decoding.
pub const MAX_DEPTH: u32 = 64;

pub trait Encode {
    fn encode(&self, w: &mut Vec<u8>);
}

pub trait Decode: Sized {
    /// The value at the reader's position; anything when the bytes are not a `Self`, and
    /// then the reader has [failed](Reader::failed).
    fn decode(r: &mut Reader) -> Self;
}

/// Bytes being decoded.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
            failed: false,
        }
    }

    /// Whether the bytes read so far were not what the decoder expected.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Marks the input as bad: every later read gives zero.
    pub fn fail(&mut self) {
        self.failed = true;
        self.pos = self.bytes.len();
    }

    /// Fails unless `ok`; says whether it is.
    pub fn check(&mut self, ok: bool) -> bool {
        if !ok {
            self.fail();
        }
        ok
    }

    /// The next byte (0 past the end, which fails).
    pub fn byte(&mut self) -> u8 {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => {
                self.fail();
                0
            }
        }
    }

    pub fn varint(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0;
        while shift < 64 {
            let b = self.byte();
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return value;
            }
            shift += 7;
        }
        self.fail();
        0
    }

    /// A length that the rest of the input can hold, at one byte per item at least.
    fn length(&mut self) -> usize {
        let n = self.varint();
        if n > self.remaining() as u64 {
            self.fail();
            return 0;
        }
        n as usize
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos;
        self.pos += n;
        &self.bytes[start..self.pos]
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        if self.depth >= MAX_DEPTH {
            self.fail();
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }
}

/// Encodes a value.
pub fn to_bytes<T: Encode>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    value.encode(&mut out);
    out
}

/// Decodes a value that must use all of `bytes`.
pub fn from_bytes<T: Decode>(bytes: &[u8]) -> Option<T> {
    let mut r = Reader::new(bytes);
    let value = T::decode(&mut r);
    (!r.failed && r.remaining() == 0).then_some(value)
}

fn varint(mut n: u64, w: &mut Vec<u8>) {
    while n >= 0x80 {
        w.push((n as u8) | 0x80);
        n >>= 7;
    }
    w.push(n as u8);
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, w: &mut Vec<u8>) {
                varint(u64::from(*self), w);
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader) -> Self {
                let n = r.varint();
                match <$t>::try_from(n) {
                    Ok(v) => v,
                    Err(_) => { r.fail(); 0 }
                }
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, w: &mut Vec<u8>) {
                let n = i64::from(*self);
                varint(((n << 1) ^ (n >> 63)) as u64, w);
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader) -> Self {
                let z = r.varint();
                match <$t>::try_from(((z >> 1) as i64) ^ -((z & 1) as i64)) {
                    Ok(v) => v,
                    Err(_) => { r.fail(); 0 }
                }
            }
        }
    )*};
}
signed!(i32, i64);

impl Encode for bool {
    fn encode(&self, w: &mut Vec<u8>) {
        w.push(u8::from(*self));
    }
}

impl Decode for bool {
    fn decode(r: &mut Reader) -> Self {
        let b = r.byte();
        r.check(b <= 1);
        b == 1
    }
}

impl Encode for char {
    fn encode(&self, w: &mut Vec<u8>) {
        varint(u64::from(u32::from(*self)), w);
    }
}

impl Decode for char {
    fn decode(r: &mut Reader) -> Self {
        let n = r.varint();
        let c = u32::try_from(n).ok().and_then(char::from_u32);
        r.check(c.is_some());
        c.unwrap_or_default()
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Vec<u8>) {
        varint(self.len() as u64, w);
        w.extend_from_slice(self.as_bytes());
    }
}

impl Decode for String {
    fn decode(r: &mut Reader) -> Self {
        let n = r.length();
        match std::str::from_utf8(r.take(n)) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                r.fail();
                String::new()
            }
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Vec<u8>) {
        varint(self.len() as u64, w);
        for item in self {
            item.encode(w);
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(r: &mut Reader) -> Self {
        // Every item takes at least one byte: a length beyond the input is a lie.
        let n = r.length();
        r.nested(|r| {
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                out.push(T::decode(r));
            }
            out
        })
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Vec<u8>) {
        match self {
            None => w.push(0),
            Some(v) => {
                w.push(1);
                v.encode(w);
            }
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(r: &mut Reader) -> Self {
        let b = r.byte();
        (r.check(b <= 1) && b == 1).then(|| T::decode(r))
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self, w: &mut Vec<u8>) {
        (**self).encode(w);
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(r: &mut Reader) -> Self {
        r.nested(|r| Box::new(T::decode(r)))
    }
}

impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, w: &mut Vec<u8>) {
        self.0.encode(w);
        self.1.encode(w);
    }
}

impl<A: Decode, B: Decode> Decode for (A, B) {
    fn decode(r: &mut Reader) -> Self {
        (A::decode(r), B::decode(r))
    }
}

impl<T: Encode, const N: usize> Encode for [T; N] {
    fn encode(&self, w: &mut Vec<u8>) {
        for item in self {
            item.encode(w);
        }
    }
}

impl<T: Decode, const N: usize> Decode for [T; N] {
    fn decode(r: &mut Reader) -> Self {
        std::array::from_fn(|_| T::decode(r))
    }
}

/// Lists a type's fields (structs) or variants (enums, with their tag byte) once, and
/// derives both directions from the list. Decoding a struct names every field, so a field
/// missing from the list is a compile error.
macro_rules! codec {
    (struct $ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::codec::Encode for $ty {
            fn encode(&self, w: &mut Vec<u8>) {
                $( $crate::codec::Encode::encode(&self.$field, w); )*
            }
        }
        impl $crate::codec::Decode for $ty {
            fn decode(r: &mut $crate::codec::Reader) -> Self {
                $ty { $( $field: $crate::codec::Decode::decode(r), )* }
            }
        }
    };
    (newtype $ty:ident) => {
        impl $crate::codec::Encode for $ty {
            fn encode(&self, w: &mut Vec<u8>) {
                $crate::codec::Encode::encode(&self.0, w);
            }
        }
        impl $crate::codec::Decode for $ty {
            fn decode(r: &mut $crate::codec::Reader) -> Self {
                $ty($crate::codec::Decode::decode(r))
            }
        }
    };
    (enum $ty:ident { $( $tag:literal => $v:ident $( ( $($t:ident),+ ) )? $( { $($f:ident),+ } )? ),* $(,)? }) => {
        impl $crate::codec::Encode for $ty {
            #[allow(unused_variables)]
            fn encode(&self, w: &mut Vec<u8>) {
                match self {
                    $( $ty::$v $( ( $($t),+ ) )? $( { $($f),+ } )? => {
                        w.push($tag);
                        $( $( $crate::codec::Encode::encode($t, w); )+ )?
                        $( $( $crate::codec::Encode::encode($f, w); )+ )?
                    } )*
                }
            }
        }
        impl $crate::codec::Decode for $ty {
            fn decode(r: &mut $crate::codec::Reader) -> Self {
                // A failed reader reads tag 0 from here on: the fallback below ends.
                const _: () = assert!($( $tag == 0 )||*, "an enum's codec needs a tag 0");
                match r.byte() {
                    $( $tag => $ty::$v $( ( $( codec!(@field r $t) ),+ ) )? $( { $( $f: $crate::codec::Decode::decode(r) ),+ } )?, )*
                    _ => {
                        r.fail();
                        Self::decode(r)
                    }
                }
            }
        }
    };
    (@field $r:ident $t:ident) => { $crate::codec::Decode::decode($r) };
}
pub(crate) use codec;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Default)]
    struct Point {
        x: i64,
        label: String,
        tags: Vec<Option<u32>>,
    }
    codec!(struct Point { x, label, tags });

    #[derive(Debug, PartialEq)]
    enum Shape {
        Empty,
        Dot(Point),
        Line { from: Point, to: Point },
        Group(Vec<Shape>),
        Boxed(Box<Shape>),
    }
    codec!(enum Shape { 0 => Empty, 1 => Dot(p), 2 => Line { from, to }, 3 => Group(g), 4 => Boxed(b) });

    #[test]
    fn values_round_trip() {
        let shape = Shape::Group(vec![
            Shape::Empty,
            Shape::Dot(Point {
                x: -5,
                label: "é∂".into(),
                tags: vec![None, Some(300)],
            }),
            Shape::Line {
                from: Point::default(),
                to: Point {
                    x: i64::MAX,
                    ..Point::default()
                },
            },
            Shape::Boxed(Box::new(Shape::Empty)),
        ]);
        let bytes = to_bytes(&shape);
        assert_eq!(from_bytes::<Shape>(&bytes), Some(shape));
    }

    #[test]
    fn hostile_bytes_are_refused_without_panic_or_huge_allocations() {
        // A list claiming 2^60 items.
        assert_eq!(
            from_bytes::<Vec<u8>>(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]),
            None
        );
        // Nesting beyond the limit.
        let mut deep = vec![4u8; 10_000];
        deep.push(0);
        assert_eq!(from_bytes::<Shape>(&deep), None);
        // Invalid UTF-8, bad tags, trailing bytes, truncation.
        assert_eq!(from_bytes::<String>(&[2, 0xff, 0xfe]), None);
        assert_eq!(from_bytes::<Shape>(&[9]), None);
        assert_eq!(from_bytes::<Shape>(&[0, 0]), None);
        assert_eq!(from_bytes::<Shape>(&[1, 2]), None);
        assert_eq!(from_bytes::<bool>(&[2]), None);
    }

    #[test]
    fn a_failure_anywhere_spoils_the_whole_value() {
        // Decoding goes on after a bad byte (reading zeros); the value is still refused.
        let shape = Shape::Group(vec![
            Shape::Dot(Point {
                x: 7,
                label: "ok".into(),
                tags: vec![Some(1)],
            }),
            Shape::Boxed(Box::new(Shape::Line {
                from: Point::default(),
                to: Point::default(),
            })),
        ]);
        let bytes = to_bytes(&shape);
        for end in 0..bytes.len() {
            assert_eq!(from_bytes::<Shape>(&bytes[..end]), None, "prefix of {end}");
        }
        // A bad tag deep inside, followed by bytes that would decode.
        let mut bad = bytes.clone();
        let at = bytes.iter().rposition(|&b| b == 2).unwrap();
        bad[at] = 9;
        assert_eq!(from_bytes::<Shape>(&bad), None);
        assert_eq!(from_bytes::<Shape>(&bytes), Some(shape));
    }

    #[test]
    fn a_failed_reader_ends_for_the_recursive_types() {
        // On a failed reader each enum becomes its tag-0 variant: a tag-0 variant that held
        // its own enum would recurse for ever (a stack overflow here). `Condition` is the one
        // enum of a flow that contains itself; a bad tag at the top and under `Not`, `All`.
        use crate::flow::Condition;
        for bytes in [&[9][..], &[3, 9], &[1, 1, 9], &[3, 3, 3]] {
            assert_eq!(from_bytes::<Condition>(bytes), None, "{bytes:?}");
        }
        // And the two values the browser decodes, from nothing and from a bad tag.
        for bytes in [&[][..], &[0xff; 3][..]] {
            assert!(from_bytes::<crate::flow::Flow>(bytes).is_none());
            assert!(from_bytes::<crate::State>(bytes).is_none());
        }
    }
}
