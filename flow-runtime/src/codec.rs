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

/// Deepest nesting of lists and boxes accepted when decoding.
pub const MAX_DEPTH: u32 = 64;

pub trait Encode {
    fn encode(&self, w: &mut Vec<u8>);
}

pub trait Decode: Sized {
    fn decode(r: &mut Reader) -> Option<Self>;
}

/// Bytes being decoded.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            return None;
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
    let value = T::decode(&mut r)?;
    (r.remaining() == 0).then_some(value)
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
            fn decode(r: &mut Reader) -> Option<Self> {
                <$t>::try_from(r.varint()?).ok()
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
            fn decode(r: &mut Reader) -> Option<Self> {
                let z = r.varint()?;
                <$t>::try_from(((z >> 1) as i64) ^ -((z & 1) as i64)).ok()
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
    fn decode(r: &mut Reader) -> Option<Self> {
        match r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Encode for char {
    fn encode(&self, w: &mut Vec<u8>) {
        varint(u64::from(u32::from(*self)), w);
    }
}

impl Decode for char {
    fn decode(r: &mut Reader) -> Option<Self> {
        char::from_u32(u32::try_from(r.varint()?).ok()?)
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Vec<u8>) {
        varint(self.len() as u64, w);
        w.extend_from_slice(self.as_bytes());
    }
}

impl Decode for String {
    fn decode(r: &mut Reader) -> Option<Self> {
        let n = usize::try_from(r.varint()?).ok()?;
        let bytes = r.take(n)?;
        String::from_utf8(bytes.to_vec()).ok()
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
    fn decode(r: &mut Reader) -> Option<Self> {
        let n = usize::try_from(r.varint()?).ok()?;
        // Every item takes at least one byte: a length beyond the input is a lie.
        if n > r.remaining() {
            return None;
        }
        r.nested(|r| {
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                out.push(T::decode(r)?);
            }
            Some(out)
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
    fn decode(r: &mut Reader) -> Option<Self> {
        match r.byte()? {
            0 => Some(None),
            1 => Some(Some(T::decode(r)?)),
            _ => None,
        }
    }
}

impl<T: Encode> Encode for Box<T> {
    fn encode(&self, w: &mut Vec<u8>) {
        (**self).encode(w);
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(r: &mut Reader) -> Option<Self> {
        r.nested(|r| T::decode(r).map(Box::new))
    }
}

impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, w: &mut Vec<u8>) {
        self.0.encode(w);
        self.1.encode(w);
    }
}

impl<A: Decode, B: Decode> Decode for (A, B) {
    fn decode(r: &mut Reader) -> Option<Self> {
        Some((A::decode(r)?, B::decode(r)?))
    }
}

impl<T: Encode, const N: usize> Encode for [T; N] {
    fn encode(&self, w: &mut Vec<u8>) {
        for item in self {
            item.encode(w);
        }
    }
}

impl<T: Decode + Default, const N: usize> Decode for [T; N] {
    fn decode(r: &mut Reader) -> Option<Self> {
        let mut out: [T; N] = std::array::from_fn(|_| T::default());
        for slot in &mut out {
            *slot = T::decode(r)?;
        }
        Some(out)
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
            fn decode(r: &mut $crate::codec::Reader) -> Option<Self> {
                Some($ty { $( $field: $crate::codec::Decode::decode(r)?, )* })
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
            fn decode(r: &mut $crate::codec::Reader) -> Option<Self> {
                Some($ty($crate::codec::Decode::decode(r)?))
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
            fn decode(r: &mut $crate::codec::Reader) -> Option<Self> {
                Some(match r.byte()? {
                    $( $tag => $ty::$v $( ( $( codec!(@field r $t) ),+ ) )? $( { $( $f: $crate::codec::Decode::decode(r)? ),+ } )?, )*
                    _ => return None,
                })
            }
        }
    };
    (@field $r:ident $t:ident) => { $crate::codec::Decode::decode($r)? };
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
}
