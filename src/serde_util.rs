//! Serde helpers: decimals as strict strings.

/// A `Decimal` field as a string, parsed strictly (see
/// [`parse_decimal`](crate::money::parse_decimal)): `"1.0350"`, never
/// `1.035` as a float and never `"1e3"`.
pub(crate) mod decimal_str {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        crate::money::parse_decimal(&text).map_err(D::Error::custom)
    }
}
