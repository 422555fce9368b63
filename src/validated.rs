//! Validated deserialization: the one macro, `via_raw!`, that writes the
//! private "raw" form a type deserializes through, so JSON goes through
//! the same constructor (and the same checks) as Rust callers.
//!
//! # The rule
//!
//! ```text
//! via_raw! {
//!     $(#[attr])*                  // optional: docs, #[derive(serde::Serialize)], #[serde(..)]
//!     RawName => Target, Error {
//!         $(#[field_attr])* field: Type,   // as in a struct; attributes kept
//!         ..
//!     }
//!     => { body }                  // optional
//! }
//! ```
//!
//! writes, both under `#[cfg(feature = "serde")]`:
//!
//! 1. `struct RawName { field: Type, .. }` (private), deriving
//!    `serde::Deserialize`, then carrying the given attributes, then
//!    `#[serde(deny_unknown_fields)]`: an unknown field is refused, naming
//!    it;
//! 2. `impl TryFrom<RawName> for Target { type Error = Error; .. }`, whose
//!    `try_from` binds every field to a local of the same name
//!    (`let RawName { field, .. } = raw;`) and returns `body`, which must
//!    be a `Result<Target, Error>`. Without a body it is
//!    `Target::new(field, ..)`, the fields in the order listed.
//!
//! The target then says `#[cfg_attr(feature = "serde", serde(try_from =
//! "RawName"))]` (and `into = "RawName"` with a `From<Target> for RawName`
//! when it serializes through the raw form too). A function a field names
//! in `#[serde(default = "f")]` is written beside the invocation, under
//! `#[cfg(feature = "serde")]`, as the raw struct itself is.
//!
//! For example, `{"start": .., "end": ..}` through `Period::new`, and a
//! body for a type whose raw form needs more than one constructor call:
//!
//! ```text
//! crate::validated::via_raw! {
//!     RawPeriod => Period, CalendarError {
//!         start: NaiveDate,
//!         end: NaiveDate,
//!     }
//! }
//!
//! crate::validated::via_raw! {
//!     #[derive(serde::Serialize)]
//!     RawWorkCalendar => WorkCalendar, CalendarError {
//!         weekdays: Vec<Weekday>,
//!         #[serde(default)]
//!         holidays: BTreeSet<NaiveDate>,
//!     } => {
//!         Ok(WorkCalendar::new(weekdays)?.with_holidays(holidays))
//!     }
//! }
//! ```

/// Writes a type's private raw form and its `TryFrom`: see the module
/// documentation for the rule.
macro_rules! via_raw {
    (
        $(#[$attr:meta])*
        $raw:ident => $target:ty, $err:ty {
            $( $(#[$fattr:meta])* $field:ident : $fty:ty ),* $(,)?
        }
        => $body:block
    ) => {
        #[cfg(feature = "serde")]
        #[derive(serde::Deserialize)]
        $(#[$attr])*
        #[serde(deny_unknown_fields)]
        struct $raw {
            $( $(#[$fattr])* $field: $fty, )*
        }

        #[cfg(feature = "serde")]
        impl TryFrom<$raw> for $target {
            type Error = $err;
            fn try_from(raw: $raw) -> Result<Self, $err> {
                let $raw { $($field),* } = raw;
                $body
            }
        }
    };
    (
        $(#[$attr:meta])*
        $raw:ident => $target:ty, $err:ty {
            $( $(#[$fattr:meta])* $field:ident : $fty:ty ),* $(,)?
        }
    ) => {
        $crate::validated::via_raw! {
            $(#[$attr])*
            $raw => $target, $err {
                $( $(#[$fattr])* $field: $fty ),*
            } => {
                <$target>::new($($field),*)
            }
        }
    };
}

pub(crate) use via_raw;

/// Writes `TryFrom<Form> for Target` and `From<Target> for Form` for a
/// type whose wire form is another type it is checked from and turned back
/// into:
///
/// - `via_form!(text Target, Error)`: its text, through `FromStr` (which
///   validates) and `Display`;
/// - `via_form!(builder Target, Builder, Error, |target| ..)`: its builder,
///   through `Builder::build` (which validates) and the closure back.
///
/// The target then says `#[cfg_attr(feature = "serde", serde(try_from =
/// "Form"))]` and `into = "Form"`, so JSON goes through the same checks.
macro_rules! via_form {
    (text $target:ty, $err:ty) => {
        impl TryFrom<String> for $target {
            type Error = $err;
            fn try_from(text: String) -> Result<$target, $err> {
                text.parse()
            }
        }

        impl From<$target> for String {
            fn from(value: $target) -> String {
                value.to_string()
            }
        }
    };
    (builder $target:ty, $builder:ty, $err:ty, $back:expr) => {
        impl TryFrom<$builder> for $target {
            type Error = $err;
            fn try_from(builder: $builder) -> Result<$target, $err> {
                builder.build()
            }
        }

        impl From<$target> for $builder {
            fn from(value: $target) -> $builder {
                let back: fn($target) -> $builder = $back;
                back(value)
            }
        }
    };
}

pub(crate) use via_form;

#[cfg(all(test, feature = "serde"))]
mod tests {
    #[derive(Debug, PartialEq, Eq, serde::Deserialize)]
    #[serde(try_from = "RawSpan")]
    struct Span {
        from: u32,
        to: u32,
    }

    impl Span {
        fn new(from: u32, to: u32) -> Result<Span, String> {
            if from < to {
                Ok(Span { from, to })
            } else {
                Err(format!("{from} is not before {to}"))
            }
        }
    }

    super::via_raw! {
        RawSpan => Span, String {
            from: u32,
            #[serde(default = "ten")]
            to: u32,
        }
    }

    const fn ten() -> u32 {
        10
    }

    #[derive(Debug, PartialEq, Eq, serde::Deserialize)]
    #[serde(try_from = "RawEven")]
    struct Even(u32);

    super::via_raw! {
        RawEven => Even, String {
            n: u32,
        } => {
            if n % 2 == 0 { Ok(Even(n)) } else { Err(format!("{n} is odd")) }
        }
    }

    #[test]
    fn raw_form_checks_through_the_constructor() {
        let span: Span = serde_json::from_str(r#"{"from": 1, "to": 3}"#).unwrap();
        assert_eq!((span.from, span.to), (1, 3));
        let default_to: Span = serde_json::from_str(r#"{"from": 1}"#).unwrap();
        assert_eq!(default_to.to, 10);
        let err = serde_json::from_str::<Span>(r#"{"from": 3, "to": 3}"#).unwrap_err();
        assert!(err.to_string().contains("3 is not before 3"));
        let err = serde_json::from_str::<Span>(r#"{"from": 1, "too": 3}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `too`"));
        assert_eq!(
            serde_json::from_str::<Even>(r#"{"n": 4}"#).unwrap(),
            Even(4)
        );
        let err = serde_json::from_str::<Even>(r#"{"n": 5}"#).unwrap_err();
        assert!(err.to_string().contains("5 is odd"));
    }
}
