//! A value the store's page passed (a cart, an identity, a command's arguments), read
//! without a JSON library: each stage reads its own kind of handle on the page's value.

/// The most elements read of one array a page passed: a proxy can claim any length, and the
/// page's call must not hang on it (no cart has a thousand lines).
pub const MAX_ITEMS: u32 = 1000;

/// What the shared code reads of a page's JavaScript value. Reading never throws: a field
/// of something that is not an object is absent, and so on.
pub trait PageValue: Sized {
    /// `value[key]` (absent when the value is not an object or the read throws).
    fn field(&self, key: &str) -> Self;
    /// The number, when it is one.
    fn number(&self) -> Option<f64>;
    /// The string, when it is one.
    fn string(&self) -> Option<String>;
    /// A string, or a number as JavaScript writes it (`String(n)`).
    fn text(&self) -> Option<String>;
    /// JavaScript's truthiness.
    fn truthy(&self) -> bool;
    /// An array's length (`None` when it is not an array).
    fn length(&self) -> Option<u32>;
    /// `value[index]` of an array.
    fn item(&self, index: u32) -> Self;
    /// The elements of an array (empty when it is none), the first [`MAX_ITEMS`] of them.
    fn items(&self) -> Vec<Self> {
        (0..self.length().unwrap_or(0).min(MAX_ITEMS))
            .map(|i| self.item(i))
            .collect()
    }
    /// An object's own enumerable fields, in order (empty when it is none).
    fn entries(&self) -> Vec<(String, Self)>;
}
