//! Serde helpers: decimals as strict strings.

/// A `Decimal` field as a string, parsed strictly (see
/// [`parse_decimal`](crate::money::parse_decimal)): `"1.0350"`, never
/// `1.035` as a float and never `"1e3"`.
pub(crate) mod decimal_str {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

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

/// A list of `Decimal`s as strings, parsed strictly.
pub(crate) mod decimal_vec {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        values: &[Decimal],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(values.len()))?;
        for v in values {
            seq.serialize_element(&v.to_string())?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Decimal>, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        texts
            .iter()
            .map(|t| crate::money::parse_decimal(t).map_err(D::Error::custom))
            .collect()
    }
}

/// Named lists of `Decimal`s, each as strings parsed strictly.
pub(crate) mod decimal_map {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        values: &BTreeMap<String, Vec<Decimal>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(values.len()))?;
        for (name, list) in values {
            let texts: Vec<String> = list.iter().map(Decimal::to_string).collect();
            map.serialize_entry(name, &texts)?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Vec<Decimal>>, D::Error> {
        let raw = BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        raw.into_iter()
            .map(|(name, texts)| {
                let values = texts
                    .iter()
                    .map(|t| crate::money::parse_decimal(t).map_err(D::Error::custom))
                    .collect::<Result<_, _>>()?;
                Ok((name, values))
            })
            .collect()
    }
}

/// An optional `Decimal` as an optional string, parsed strictly.
pub(crate) mod decimal_opt {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?
            .map(|t| crate::money::parse_decimal(&t).map_err(D::Error::custom))
            .transpose()
    }
}

/// Named `Decimal`s, each as a string parsed strictly.
pub(crate) mod decimal_named {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        values: &BTreeMap<String, Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(values.len()))?;
        for (name, value) in values {
            map.serialize_entry(name, &value.to_string())?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Decimal>, D::Error> {
        BTreeMap::<String, String>::deserialize(deserializer)?
            .into_iter()
            .map(|(name, text)| {
                let value = crate::money::parse_decimal(&text).map_err(D::Error::custom)?;
                Ok((name, value))
            })
            .collect()
    }
}
