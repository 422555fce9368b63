//! Currencies: ISO 4217 codes with their minor units.

use std::fmt;
use std::str::FromStr;

use crate::money::MoneyError;

/// The most minor units (decimal places) a currency may declare.
pub const MAX_MINOR_UNITS: u8 = 18;

/// A currency: a three-letter code and its number of minor units (decimal
/// places of its smallest unit: 2 for USD cents, 0 for JPY, 3 for KWD fils).
///
/// Common ISO 4217 currencies are built in (see [`Currency::from_code`]);
/// others can be declared with [`Currency::custom`]. A currency is small and
/// `Copy`.
///
/// Its text form is the code (`"USD"`) for built-in currencies and
/// `"CODE:units"` for custom ones (`"XPT:4"`), so that the minor units survive a
/// round trip through text or serde.
///
/// ```
/// use salesplan::Currency;
///
/// assert_eq!(Currency::from_code("JPY")?.minor_units(), 0);
/// assert_eq!(Currency::KWD.minor_units(), 3);
/// let points = Currency::custom("XPT", 4)?;
/// assert_eq!(points.to_string(), "XPT:4");
/// assert_eq!("XPT:4".parse::<Currency>()?, points);
/// assert!(Currency::from_code("usd").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
    iso: bool,
}

macro_rules! builtin {
    ($($(#[$doc:meta])* $name:ident = $units:literal),* $(,)?) => {
        impl Currency {
            $(
                $(#[$doc])*
                pub const $name: Currency = Currency::iso(stringify!($name), $units);
            )*
        }
        /// Built-in currencies, sorted by code.
        const BUILTIN: &[Currency] = &[$(Currency::$name),*];
    };
}

builtin! {
    /// UAE dirham.
    AED = 2,
    /// Argentine peso.
    ARS = 2,
    /// Australian dollar.
    AUD = 2,
    /// Bulgarian lev.
    BGN = 2,
    /// Bahraini dinar (3 minor units).
    BHD = 3,
    /// Brazilian real.
    BRL = 2,
    /// Canadian dollar.
    CAD = 2,
    /// Swiss franc.
    CHF = 2,
    /// Chilean peso (no minor units).
    CLP = 0,
    /// Chinese yuan renminbi.
    CNY = 2,
    /// Colombian peso.
    COP = 2,
    /// Czech koruna.
    CZK = 2,
    /// Danish krone.
    DKK = 2,
    /// Egyptian pound.
    EGP = 2,
    /// Euro.
    EUR = 2,
    /// Pound sterling.
    GBP = 2,
    /// Hong Kong dollar.
    HKD = 2,
    /// Hungarian forint.
    HUF = 2,
    /// Indonesian rupiah.
    IDR = 2,
    /// Israeli new shekel.
    ILS = 2,
    /// Indian rupee.
    INR = 2,
    /// Iraqi dinar (3 minor units).
    IQD = 3,
    /// Icelandic króna (no minor units).
    ISK = 0,
    /// Jordanian dinar (3 minor units).
    JOD = 3,
    /// Japanese yen (no minor units).
    JPY = 0,
    /// Kenyan shilling.
    KES = 2,
    /// South Korean won (no minor units).
    KRW = 0,
    /// Kuwaiti dinar (3 minor units).
    KWD = 3,
    /// Libyan dinar (3 minor units).
    LYD = 3,
    /// Mexican peso.
    MXN = 2,
    /// Malaysian ringgit.
    MYR = 2,
    /// Nigerian naira.
    NGN = 2,
    /// Norwegian krone.
    NOK = 2,
    /// New Zealand dollar.
    NZD = 2,
    /// Omani rial (3 minor units).
    OMR = 3,
    /// Peruvian sol.
    PEN = 2,
    /// Philippine peso.
    PHP = 2,
    /// Pakistani rupee.
    PKR = 2,
    /// Polish złoty.
    PLN = 2,
    /// Qatari riyal.
    QAR = 2,
    /// Romanian leu.
    RON = 2,
    /// Saudi riyal.
    SAR = 2,
    /// Swedish krona.
    SEK = 2,
    /// Singapore dollar.
    SGD = 2,
    /// Thai baht.
    THB = 2,
    /// Tunisian dinar (3 minor units).
    TND = 3,
    /// Turkish lira.
    TRY = 2,
    /// New Taiwan dollar.
    TWD = 2,
    /// Ukrainian hryvnia.
    UAH = 2,
    /// United States dollar.
    USD = 2,
    /// Uruguayan peso.
    UYU = 2,
    /// Vietnamese đồng (no minor units).
    VND = 0,
    /// South African rand.
    ZAR = 2,
}

impl Currency {
    const fn iso(code: &str, minor_units: u8) -> Currency {
        let b = code.as_bytes();
        // Only called from `builtin!` with three-letter literals.
        let code = match b {
            [x, y, z] => [*x, *y, *z],
            _ => *b"XXX",
        };
        Currency {
            code,
            minor_units,
            iso: true,
        }
    }

    /// Looks up a built-in ISO 4217 currency by its code.
    ///
    /// # Errors
    ///
    /// [`MoneyError::MalformedCurrencyCode`] unless `code` is three ASCII
    /// capital letters; [`MoneyError::UnknownCurrency`] for a well-formed
    /// code that is not built in (declare it with [`Currency::custom`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::Currency;
    /// assert_eq!(Currency::from_code("EUR")?, Currency::EUR);
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let bytes = parse_code(code)?;
        BUILTIN
            .binary_search_by(|c| c.code.cmp(&bytes))
            .ok()
            .and_then(|i| BUILTIN.get(i).copied())
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_owned(),
            })
    }

    /// Declares a currency that is not built in, with its minor units.
    ///
    /// Declaring a built-in code with its own minor units gives the built-in
    /// currency back.
    ///
    /// # Errors
    ///
    /// [`MoneyError::MalformedCurrencyCode`] unless `code` is three ASCII
    /// capital letters; [`MoneyError::MinorUnitsMismatch`] when `code` is a
    /// built-in ISO code with other minor units;
    /// [`MoneyError::MinorUnitsOutOfRange`] above [`MAX_MINOR_UNITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::Currency;
    /// let miles = Currency::custom("XML", 0)?;
    /// assert_eq!(miles.minor_units(), 0);
    /// assert!(Currency::custom("USD", 3).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn custom(code: &str, minor_units: u8) -> Result<Currency, MoneyError> {
        let bytes = parse_code(code)?;
        if minor_units > MAX_MINOR_UNITS {
            return Err(MoneyError::MinorUnitsOutOfRange {
                code: code.to_owned(),
                given: minor_units,
                max: MAX_MINOR_UNITS,
            });
        }
        match Currency::from_code(code) {
            Ok(iso) if iso.minor_units == minor_units => Ok(iso),
            Ok(iso) => Err(MoneyError::MinorUnitsMismatch {
                code: iso,
                expected: iso.minor_units,
                given: minor_units,
            }),
            Err(_) => Ok(Currency {
                code: bytes,
                minor_units,
                iso: false,
            }),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // The bytes are checked ASCII capitals, so always valid UTF-8.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Decimal places of the smallest unit (2 for cents).
    pub const fn minor_units(&self) -> u8 {
        self.minor_units
    }

    /// Whether this is a built-in ISO 4217 currency.
    pub const fn is_builtin(&self) -> bool {
        self.iso
    }

    /// Every built-in currency, sorted by code.
    pub fn builtin() -> &'static [Currency] {
        BUILTIN
    }
}

fn parse_code(code: &str) -> Result<[u8; 3], MoneyError> {
    match code.as_bytes() {
        [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok([*a, *b, *c]),
        _ => Err(MoneyError::MalformedCurrencyCode {
            code: code.to_owned(),
        }),
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.iso {
            f.write_str(self.code())
        } else {
            write!(f, "{}:{}", self.code(), self.minor_units)
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({self})")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    /// Parses `"USD"` (built in) or `"CODE:units"` (custom).
    fn from_str(text: &str) -> Result<Currency, MoneyError> {
        match text.split_once(':') {
            None => Currency::from_code(text),
            Some((code, units)) => {
                let units = units
                    .parse::<u8>()
                    .ok()
                    .filter(|_| units.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| MoneyError::MalformedCurrencyCode {
                        code: text.to_owned(),
                    })?;
                // A built-in written in the custom form ("USD:2") is the
                // built-in itself.
                Currency::custom(code, units)
            }
        }
    }
}

crate::validated::via_form!(text Currency, MoneyError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_is_sorted_and_unique() {
        assert!(BUILTIN.windows(2).all(|w| w[0].code < w[1].code));
        for c in BUILTIN {
            assert_eq!(Currency::from_code(c.code()).unwrap(), *c);
        }
    }
}
