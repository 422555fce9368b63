//! Typed identifiers.
//!
//! Every entity is named by its own id type, so a [`PersonId`] can never be
//! passed where a [`PositionId`] is expected. Ids are opaque text chosen by the
//! embedding program (employee numbers, CRM keys, UUIDs); the crate only
//! checks that they are usable as keys:
//!
//! - not empty and not whitespace only;
//! - no leading or trailing whitespace (`"E42 "` and `"E42"` would otherwise be
//!   two different people that look the same on a statement);
//! - no control characters;
//! - at most [`MAX_ID_LEN`] bytes.
//!
//! Deserialization goes through the same checks.
//!
//! # Integer ids
//!
//! HR and CRM exports usually number people and seats (`u64`/`i64`
//! employee numbers). Every id type converts from an unsigned integer
//! without formatting on the caller's side (`PositionId::from(42_u64)`,
//! `PersonId::try_from(42_i64)`), and a column of integers can be looked up
//! as it is (see [`ColumnId`]).
//!
//! There is one representation of an id, its text: the integer `n` is the
//! id whose text is `n` in decimal, without sign or leading zeros, so
//! `PositionId::from(42_u64) == PositionId::new("42")?`, with the same hash
//! and the same place in the (text) order (`"10" < "9"`). Keeping a second,
//! integer representation inside the id would have saved formatting the
//! digits (a few nanoseconds; they fit the inline buffer, so there is no
//! heap allocation either way), at the price of every comparison, hash and
//! ordering having to reconcile the two, and of `as_str` having nothing to
//! point to. Where integers are hot (resolving ten million credits' rep
//! ids), the org keeps an index by integer beside the one by text: the
//! lookup never builds an id at all.
//!
//! Negative integers are refused ([`IdProblem::Negative`]): an employee
//! number is never negative, and exports use `-1` or `0` as a "none"
//! marker, which must not silently become an id. Text that merely looks
//! numeric but is not canonical (`"042"`, `"+42"`) stays text: it is a
//! different id from `42`.
//!
//! Ids of up to 22 bytes are stored inline (no heap allocation, no pointer to
//! follow when hashing or comparing), which keeps id resolution fast in
//! million-row rollups; longer ids are shared behind an `Arc`, so cloning any
//! id is cheap.
//!
//! ```
//! use salesplan::PersonId;
//!
//! let ada = PersonId::new("E-1001")?;
//! assert_eq!(ada.as_str(), "E-1001");
//! assert!(PersonId::new("  ").is_err());
//! assert!("E-1001 ".parse::<PersonId>().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 256;

const INLINE_CAP: usize = 22;

/// Id text: inline when short, shared when long. [`IdText::new`] checks
/// it as an id; [`IdText::stored`] takes any text (for names that are not
/// ids).
///
/// The representation is canonical (inline exactly when the text fits), so
/// equality can compare representations directly.
#[derive(Clone)]
pub(crate) enum IdText {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Shared(Arc<str>),
}

impl IdText {
    fn new(kind: &'static str, text: &str) -> Result<Self, IdError> {
        let problem = if text.is_empty() {
            Some(IdProblem::Empty)
        } else if text.trim().is_empty() {
            Some(IdProblem::Blank)
        } else if text.trim() != text {
            Some(IdProblem::SurroundingWhitespace)
        } else if text.chars().any(char::is_control) {
            Some(IdProblem::ControlCharacter)
        } else if text.len() > MAX_ID_LEN {
            Some(IdProblem::TooLong { max: MAX_ID_LEN })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(IdError {
                kind,
                value: text.to_owned(),
                problem,
            });
        }
        Ok(IdText::stored(text))
    }

    /// `text` as stored, unchecked: inline when it fits, shared otherwise.
    /// For names that are not ids (a plan's component names), which get
    /// the same cheap clones.
    pub(crate) fn stored(text: &str) -> Self {
        let bytes = text.as_bytes();
        match (u8::try_from(bytes.len()), bytes.len() <= INLINE_CAP) {
            (Ok(len), true) => {
                let mut buf = [0u8; INLINE_CAP];
                for (slot, byte) in buf.iter_mut().zip(bytes) {
                    *slot = *byte;
                }
                IdText::Inline { len, buf }
            }
            _ => IdText::Shared(Arc::from(text)),
        }
    }

    /// The decimal text of `n`, inline (twenty digits at most): what
    /// [`IdText::new`] would store for that text.
    pub(crate) fn from_u64(n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut len = 0u8;
        let mut rest = n;
        // Least significant digit first, reversed below.
        for slot in digits.iter_mut() {
            *slot = b'0' | u8::try_from(rest % 10).unwrap_or_default();
            len = len.wrapping_add(1);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let mut buf = [0u8; INLINE_CAP];
        let used = digits.get(..usize::from(len)).unwrap_or_default();
        for (slot, digit) in buf.iter_mut().zip(used.iter().rev()) {
            *slot = *digit;
        }
        IdText::Inline { len, buf }
    }

    /// The integer this text is the canonical decimal of (see
    /// [`canonical_u64`]).
    pub(crate) fn as_u64(&self) -> Option<u64> {
        canonical_u64(self.as_bytes())
    }

    /// The text's bytes (UTF-8; hot paths compare bytes).
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            IdText::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            IdText::Shared(text) => text.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `&str` and cut at its length, so
            // they are always valid UTF-8; the fallback is unreachable.
            IdText::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            IdText::Shared(text) => text,
        }
    }
}

/// The integer whose decimal text (no sign, no leading zero except for `0`
/// itself) is `text`, if there is one.
pub(crate) fn canonical_u64(text: &[u8]) -> Option<u64> {
    match text {
        [] => None,
        [b'0'] => Some(0),
        [b'0', ..] => None,
        digits if digits.len() <= 20 => digits.iter().try_fold(0u64, |n, d| {
            let digit = d.is_ascii_digit().then(|| u64::from(d & 0x0f))?;
            n.checked_mul(10)?.checked_add(digit)
        }),
        _ => None,
    }
}

impl PartialEq for IdText {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (IdText::Inline { len: a, buf: x }, IdText::Inline { len: b, buf: y }) => {
                a == b && x == y
            }
            _ => self.as_bytes() == other.as_bytes(),
        }
    }
}

impl Eq for IdText {}

impl PartialOrd for IdText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for IdText {
    /// Byte order, which for UTF-8 is the order of `str`.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for IdText {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            // Hash the whole fixed-size buffer: one pass of whole words, and
            // equal ids have equal buffers because the padding is zeroed.
            IdText::Inline { len, buf } => {
                state.write_u8(*len);
                state.write(buf);
            }
            IdText::Shared(text) => {
                state.write_u8(u8::MAX);
                state.write(text.as_bytes());
            }
        }
    }
}

impl fmt::Debug for IdText {
    /// As the text's `str`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Stored text (not an id: no checks) is a plain JSON string.
#[cfg(feature = "serde")]
impl serde::Serialize for IdText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<IdText, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(IdText::stored(&text))
    }
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        ///
        /// Build one with [`new`](Self::new), [`FromStr`](std::str::FromStr)
        /// or `TryFrom<String>`; all three apply the checks described in the
        /// [module documentation](crate::ids).
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
        pub struct $name(IdText);

        impl $name {
            /// What this id names, as it appears in error messages.
            pub const KIND: &'static str = $kind;

            /// Checks `text` and wraps it.
            ///
            /// # Errors
            ///
            /// [`IdError`] when `text` is empty, blank, has surrounding
            /// whitespace or control characters, or is longer than
            /// [`MAX_ID_LEN`](crate::ids::MAX_ID_LEN) bytes.
            pub fn new(text: &str) -> Result<Self, IdError> {
                IdText::new($kind, text).map(Self)
            }

            /// The id's text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The integer this id is, when its text is one in canonical
            /// decimal (see [Integer ids](crate::ids#integer-ids)).
            pub fn as_u64(&self) -> Option<u64> {
                self.0.as_u64()
            }
        }

        impl From<u64> for $name {
            /// The id of an integer: its decimal text, stored inline (no
            /// allocation); equal to the id of that text.
            fn from(n: u64) -> Self {
                Self(IdText::from_u64(n))
            }
        }

        impl From<u32> for $name {
            /// As `From<u64>`.
            fn from(n: u32) -> Self {
                Self(IdText::from_u64(u64::from(n)))
            }
        }

        impl TryFrom<i64> for $name {
            type Error = IdError;
            /// As `From<u64>` for a non-negative integer.
            fn try_from(n: i64) -> Result<Self, IdError> {
                u64::try_from(n)
                    .map(Self::from)
                    .map_err(|_| IdError::negative($kind, n))
            }
        }

        impl ColumnId for $name {
            #[inline]
            fn column_key(&self) -> IdKey<'_> {
                IdKey::Text(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::new(&text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(text: &str) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.as_str().to_owned()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    };
}

define_id!(
    /// A person: an employee or contractor who can hold a position.
    PersonId,
    "person"
);
define_id!(
    /// A position (seat) in the org: it exists whether or not someone holds it.
    PositionId,
    "position"
);
define_id!(
    /// A team or organisational unit.
    UnitId,
    "unit"
);
define_id!(
    /// A sales territory.
    TerritoryId,
    "territory"
);
define_id!(
    /// A customer or prospect account.
    AccountId,
    "account"
);
define_id!(
    /// A compensation, quota or bonus plan.
    PlanId,
    "plan"
);
define_id!(
    /// A sales transaction: order, invoice line, payment or credit note.
    TransactionId,
    "transaction"
);
define_id!(
    /// A product (a SKU or a catalogue line).
    ProductId,
    "product"
);
define_id!(
    /// A product group (a family of products: an overlay specialist's scope).
    ProductGroupId,
    "product group"
);
define_id!(
    /// A user-defined role in the org's role ladder.
    RoleId,
    "role"
);

/// An id was rejected: which kind of id, the text given, and why.
///
/// ```
/// use salesplan::{PositionId, IdProblem};
///
/// let err = PositionId::new(" P1").unwrap_err();
/// assert_eq!(err.kind, "position");
/// assert_eq!(err.value, " P1");
/// assert_eq!(err.problem, IdProblem::SurroundingWhitespace);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id {value:?}: {problem}")]
#[non_exhaustive]
pub struct IdError {
    /// The kind of id (`"person"`, `"position"`, ...).
    pub kind: &'static str,
    /// The text that was rejected.
    pub value: String,
    /// What is wrong with it.
    pub problem: IdProblem,
}

impl IdError {
    /// A negative integer given as a `kind` id.
    pub(crate) fn negative(kind: &'static str, n: i64) -> IdError {
        IdError {
            kind,
            value: n.to_string(),
            problem: IdProblem::Negative,
        }
    }
}

/// How a value of an id column names its id: as an integer or as text.
///
/// Text that is the canonical decimal of an integer (`"42"`, not `"042"`)
/// names the same id as that integer, whichever form the column has; see
/// [`IdKey::canonical`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdKey<'a> {
    /// An unsigned integer.
    Int(u64),
    /// A negative integer: never an id ([`IdProblem::Negative`]).
    Negative(i64),
    /// Text.
    Text(&'a str),
}

impl<'a> IdKey<'a> {
    /// The key with canonical integer text turned into [`IdKey::Int`]:
    /// two keys name the same id exactly when their canonical forms are
    /// equal.
    ///
    /// ```
    /// use salesplan::ids::IdKey;
    ///
    /// assert_eq!(IdKey::Text("42").canonical(), IdKey::Int(42));
    /// assert_eq!(IdKey::Text("042").canonical(), IdKey::Text("042"));
    /// ```
    #[must_use]
    pub fn canonical(self) -> IdKey<'a> {
        match self {
            IdKey::Text(text) => canonical_u64(text.as_bytes()).map_or(self, IdKey::Int),
            other => other,
        }
    }
}

impl fmt::Display for IdKey<'_> {
    /// As the id's text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdKey::Int(n) => write!(f, "{n}"),
            IdKey::Negative(n) => write!(f, "{n}"),
            IdKey::Text(text) => f.write_str(text),
        }
    }
}

/// A value of an id column: an integer (`u64`, `u32`, `i64`, `i32`) or
/// text (`&str`, `String`, any id type). Columns of any of them can build
/// an org ([`OrgColumns`](crate::org::OrgColumns)) and be resolved to the
/// org's keys in one call
/// ([`OrgSnapshot::resolve`](crate::org::OrgSnapshot::resolve)).
pub trait ColumnId: Sync {
    /// The id this value names.
    fn column_key(&self) -> IdKey<'_>;

    /// The integer this value names, if it names one (an unsigned
    /// integer, or canonical integer text): `column_key().canonical()`'s
    /// integer. Integer columns answer without building an [`IdKey`].
    #[inline]
    fn int_key(&self) -> Option<u64> {
        match self.column_key().canonical() {
            IdKey::Int(n) => Some(n),
            _ => None,
        }
    }
}

impl ColumnId for u64 {
    #[inline]
    fn int_key(&self) -> Option<u64> {
        Some(*self)
    }

    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        IdKey::Int(*self)
    }
}

impl ColumnId for u32 {
    #[inline]
    fn int_key(&self) -> Option<u64> {
        Some(u64::from(*self))
    }

    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        IdKey::Int(u64::from(*self))
    }
}

impl ColumnId for i64 {
    #[inline]
    fn int_key(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }

    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        u64::try_from(*self).map_or(IdKey::Negative(*self), IdKey::Int)
    }
}

impl ColumnId for i32 {
    #[inline]
    fn int_key(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }

    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        u64::try_from(*self).map_or(IdKey::Negative(i64::from(*self)), IdKey::Int)
    }
}

impl ColumnId for str {
    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        IdKey::Text(self)
    }
}

impl ColumnId for String {
    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        IdKey::Text(self)
    }
}

impl<T: ColumnId + ?Sized> ColumnId for &T {
    #[inline]
    fn column_key(&self) -> IdKey<'_> {
        (**self).column_key()
    }

    #[inline]
    fn int_key(&self) -> Option<u64> {
        (**self).int_key()
    }
}

/// Why an id was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdProblem {
    /// The text is empty: `""`.
    #[error("it is empty")]
    Empty,
    /// The text is only whitespace: `"  "`.
    #[error("it is only whitespace")]
    Blank,
    /// The text starts or ends with whitespace: `" P1"`.
    #[error("it starts or ends with whitespace")]
    SurroundingWhitespace,
    /// The text contains a control character: `"P\n1"`.
    #[error("it contains a control character")]
    ControlCharacter,
    /// A negative integer: `-1` is a "none" marker in many exports, never
    /// an employee number.
    #[error("it is a negative integer")]
    Negative,
    /// The text is longer than the limit.
    #[error("it is longer than {max} bytes")]
    TooLong {
        /// The limit, in bytes.
        max: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_shared_ids_compare_as_text() {
        let short = PersonId::new("b").unwrap();
        let long = PersonId::new(&"a".repeat(40)).unwrap();
        assert!(long < short);
        assert_eq!(long.as_str().len(), 40);
        let exactly_inline = PersonId::new(&"x".repeat(INLINE_CAP)).unwrap();
        let just_shared = PersonId::new(&"x".repeat(INLINE_CAP + 1)).unwrap();
        assert!(matches!(exactly_inline.0, IdText::Inline { .. }));
        assert!(matches!(just_shared.0, IdText::Shared(_)));
        assert!(exactly_inline < just_shared);
    }

    #[test]
    fn stored_text_behaves_as_str() {
        for s in ["", "94107", "é-ü", &"x".repeat(22), &"y".repeat(23)] {
            let t = IdText::stored(s);
            assert_eq!(t.as_str(), s);
            assert_eq!(t.as_bytes(), s.as_bytes());
            assert_eq!(format!("{t:?}"), format!("{s:?}"));
        }
        assert!(IdText::stored("a") < IdText::stored(&"b".repeat(30)));
    }

    #[test]
    fn integers_are_their_decimal_text() {
        for n in [0u64, 7, 42, 1_000_000, u64::MAX] {
            let id = PositionId::from(n);
            assert_eq!(id, PositionId::new(&n.to_string()).unwrap());
            assert_eq!(id.as_u64(), Some(n));
            assert!(matches!(id.0, IdText::Inline { .. }));
        }
        assert_eq!(
            PersonId::try_from(-1_i64).unwrap_err().problem,
            IdProblem::Negative
        );
        assert_eq!(PersonId::try_from(5_i64).unwrap(), PersonId::from(5_u32));
        for text in ["042", "+4", "4a", "", "18446744073709551616"] {
            assert_eq!(canonical_u64(text.as_bytes()), None, "{text}");
        }
    }

    proptest::proptest! {
        /// An integer and its text are one id: equal, same hash, same order.
        #[test]
        fn integer_and_text_agree(a in proptest::prelude::any::<u64>(), b in proptest::prelude::any::<u64>()) {
            let (x, y) = (PositionId::from(a), PositionId::from(b));
            let (tx, ty) = (PositionId::new(&a.to_string()).unwrap(), PositionId::new(&b.to_string()).unwrap());
            proptest::prop_assert_eq!(&x, &tx);
            proptest::prop_assert_eq!(x.cmp(&y), tx.cmp(&ty));
            let state = std::collections::hash_map::RandomState::new();
            proptest::prop_assert_eq!(
                std::hash::BuildHasher::hash_one(&state, &x),
                std::hash::BuildHasher::hash_one(&state, &tx)
            );
            proptest::prop_assert_eq!(IdKey::Text(tx.as_str()).canonical(), IdKey::Int(a));
        }
    }

    #[test]
    fn multibyte_text_round_trips() {
        let id = PersonId::new("Åsa-Öberg-ÿ").unwrap();
        assert_eq!(id.as_str(), "Åsa-Öberg-ÿ");
        assert_eq!(format!("{id:?}"), "PersonId(\"Åsa-Öberg-ÿ\")");
    }
}
