//! Assignment rules as data: predicates over account attributes, a priority
//! per rule, named-account overrides; validated into a [`RuleBook`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::account::{Account, Attribute, AttributeType, Value};
use crate::ids::{AccountId, IdText, TerritoryId};
use crate::territory::TerritoryError;

/// How deeply `all`/`any`/`not` may nest in one rule.
pub const MAX_PREDICATE_DEPTH: usize = 32;

/// A test on an account's attributes.
///
/// A test on an attribute the account does not have is false (so `not` of
/// it is true). Text compares exactly, numbers numerically.
///
/// In JSON: `{"equals": {"attribute": "country", "value": {"text": "US"}}}`,
/// `{"prefix": {"attribute": "postal_code", "prefix": "94"}}`,
/// `{"range": {"attribute": "employees", "from": "50", "to": "200"}}`
/// (either bound optional), `{"one_of": {"attribute": .., "values":
/// [..]}}`, `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`. The
/// types are checked when a [`RuleBook`] is built from it:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::territory::{Attribute, Predicate};
/// let p: Predicate = serde_json::from_str(r#"{"all": [
///     {"prefix": {"attribute": "postal_code", "prefix": "94"}},
///     {"not": {"equals": {"attribute": "industry", "value": {"text": "62"}}}}
/// ]}"#)?;
/// assert_eq!(
///     p,
///     Predicate::all([
///         Predicate::prefix(Attribute::PostalCode, "94"),
///         !Predicate::is(Attribute::Industry, "62"),
///     ])
/// );
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<Predicate>(
///     r#"{"range": {"attribute": "employees", "from": "50", "upto": "200"}}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `upto`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Predicate {
    /// The attribute equals the value.
    Equals {
        /// The attribute.
        attribute: Attribute,
        /// The value, of the attribute's type.
        value: Value,
    },
    /// The attribute equals one of the values.
    OneOf {
        /// The attribute.
        attribute: Attribute,
        /// The values, of the attribute's type.
        values: Vec<Value>,
    },
    /// The text attribute starts with the prefix.
    Prefix {
        /// The attribute (text).
        attribute: Attribute,
        /// The prefix.
        prefix: String,
    },
    /// The numeric attribute is in `[from, to)`: at least `from` and below
    /// `to`; either bound may be absent.
    Range {
        /// The attribute (number).
        attribute: Attribute,
        /// The lower bound, included.
        #[cfg_attr(feature = "serde", serde(default))]
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
        from: Option<Decimal>,
        /// The upper bound, excluded.
        #[cfg_attr(feature = "serde", serde(default))]
        #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
        to: Option<Decimal>,
    },
    /// Every predicate holds (true when empty).
    All(Vec<Predicate>),
    /// At least one predicate holds (false when empty).
    Any(Vec<Predicate>),
    /// The predicate does not hold.
    Not(Box<Predicate>),
}

impl Predicate {
    /// `attribute == value`.
    pub fn equals(attribute: Attribute, value: Value) -> Predicate {
        Predicate::Equals { attribute, value }
    }

    /// `attribute == "text"`, for a text attribute.
    pub fn is(attribute: Attribute, text: impl Into<String>) -> Predicate {
        Predicate::Equals {
            attribute,
            value: Value::Text(text.into()),
        }
    }

    /// `attribute` is one of `values`.
    pub fn one_of(attribute: Attribute, values: impl IntoIterator<Item = Value>) -> Predicate {
        Predicate::OneOf {
            attribute,
            values: values.into_iter().collect(),
        }
    }

    /// `attribute` starts with `prefix`.
    pub fn prefix(attribute: Attribute, prefix: impl Into<String>) -> Predicate {
        Predicate::Prefix {
            attribute,
            prefix: prefix.into(),
        }
    }

    /// `from <= attribute < to`.
    pub fn range(attribute: Attribute, from: Option<Decimal>, to: Option<Decimal>) -> Predicate {
        Predicate::Range {
            attribute,
            from,
            to,
        }
    }

    /// Every one of `predicates`.
    pub fn all(predicates: impl IntoIterator<Item = Predicate>) -> Predicate {
        Predicate::All(predicates.into_iter().collect())
    }

    /// Any one of `predicates`.
    pub fn any(predicates: impl IntoIterator<Item = Predicate>) -> Predicate {
        Predicate::Any(predicates.into_iter().collect())
    }
}

impl std::ops::Not for Predicate {
    type Output = Predicate;

    /// The negation: `!Predicate::is(Attribute::Country, "US")`.
    fn not(self) -> Predicate {
        Predicate::Not(Box::new(self))
    }
}

/// A rule: accounts matching `when` go to `territory`, unless a rule of
/// higher priority (a larger number) matches too.
///
/// In JSON, `{"territory": .., "priority": 10, "when": predicate}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Rule {
    territory: TerritoryId,
    priority: u32,
    when: Predicate,
}

impl Rule {
    /// Accounts matching `when` go to `territory` at `priority` (higher
    /// wins).
    pub fn new(territory: TerritoryId, priority: u32, when: Predicate) -> Rule {
        Rule {
            territory,
            priority,
            when,
        }
    }

    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }

    /// The priority (higher wins).
    pub const fn priority(&self) -> u32 {
        self.priority
    }

    /// The test.
    pub fn when(&self) -> &Predicate {
        &self.when
    }
}

/// A named-account override: the account goes to the territory whatever
/// the rules say.
///
/// In JSON, `{"account": .., "territory": ..}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct NamedAccount {
    account: AccountId,
    territory: TerritoryId,
}

impl NamedAccount {
    /// `account` goes to `territory`.
    pub fn new(account: AccountId, territory: TerritoryId) -> NamedAccount {
        NamedAccount { account, territory }
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }
}

/// The rules of a plan before validation: custom attribute declarations,
/// rules and named accounts. Load it from serde or fill it in code, then
/// [`build`](Self::build).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RuleBookBuilder {
    #[cfg_attr(feature = "serde", serde(default))]
    attributes: BTreeMap<String, AttributeType>,
    #[cfg_attr(feature = "serde", serde(default))]
    rules: Vec<Rule>,
    #[cfg_attr(feature = "serde", serde(default))]
    named: Vec<NamedAccount>,
}

impl RuleBookBuilder {
    /// Declares a free attribute and its type (redeclaring replaces it).
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, kind: AttributeType) -> Self {
        self.attributes.insert(name.into(), kind);
        self
    }

    /// Adds a rule.
    #[must_use]
    pub fn rule(mut self, rule: Rule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Adds many rules.
    #[must_use]
    pub fn rules(mut self, rules: impl IntoIterator<Item = Rule>) -> Self {
        self.rules.extend(rules);
        self
    }

    /// Adds a named-account override.
    #[must_use]
    pub fn named(mut self, named: NamedAccount) -> Self {
        self.named.push(named);
        self
    }

    /// Validates every rule.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::UnknownAttribute`] for an undeclared free
    /// attribute; [`TerritoryError::AttributeType`] for an operation on an
    /// attribute of the wrong type (a prefix on a number, a range on text,
    /// a value of another type); [`TerritoryError::InvertedRange`] for a
    /// range whose lower bound is not below its upper bound;
    /// [`TerritoryError::PredicateTooDeep`] beyond
    /// [`MAX_PREDICATE_DEPTH`] levels;
    /// [`TerritoryError::DuplicateNamedAccount`] for an account named
    /// twice. Whether the territories exist is checked against a map by
    /// [`Assigner::new`](super::Assigner::new).
    pub fn build(self) -> Result<RuleBook, TerritoryError> {
        let mut compiled = Vec::with_capacity(self.rules.len());
        for rule in &self.rules {
            check_depth(rule)?;
            compiled.push(compile(&rule.when, &rule.territory, &self.attributes)?);
        }
        let mut named: Vec<&NamedAccount> = self.named.iter().collect();
        named.sort_by(|a, b| (&a.account, &a.territory).cmp(&(&b.account, &b.territory)));
        if let Some([a, b]) = named
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.account == b.account))
        {
            return Err(TerritoryError::DuplicateNamedAccount {
                account: a.account.clone(),
                first: a.territory.clone(),
                second: b.territory.clone(),
            });
        }
        Ok(RuleBook {
            source: self,
            compiled,
        })
    }
}

/// Validated assignment rules: every predicate type-checked, every range
/// non-empty, every account named at most once. Compile it against a
/// territory tree with [`Assigner::new`](super::Assigner::new).
///
/// In JSON, `{"attributes": {name: "text" | "number" | "flag"}, "rules":
/// [rule, ..], "named": [named account, ..]}`, each optional (empty),
/// checked as by [`RuleBookBuilder::build`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::territory::RuleBook;
/// let rules: RuleBook = serde_json::from_str(r#"{
///     "attributes": {"segment": "text"},
///     "rules": [
///         {"territory": "sf", "priority": 10, "when": {"prefix": {"attribute": "postal_code", "prefix": "941"}}},
///         {"territory": "enterprise", "priority": 20,
///          "when": {"equals": {"attribute": {"custom": "segment"}, "value": {"text": "enterprise"}}}}
///     ],
///     "named": [{"account": "globex", "territory": "sf"}]
/// }"#)?;
/// assert_eq!((rules.rules().len(), rules.named().len()), (2, 1));
/// // An unknown field is refused, naming it; so is a rule on an undeclared attribute.
/// let err = serde_json::from_str::<RuleBook>(r#"{"rule": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `rule`"));
/// let err = serde_json::from_str::<RuleBook>(r#"{"rules": [{"territory": "x", "priority": 1,
///     "when": {"prefix": {"attribute": {"custom": "tier"}, "prefix": "a"}}}]}"#).unwrap_err();
/// assert!(err.to_string().contains("undeclared attribute"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RuleBookBuilder"))]
#[cfg_attr(feature = "serde", serde(into = "RuleBookBuilder"))]
pub struct RuleBook {
    source: RuleBookBuilder,
    compiled: Vec<Test>,
}

impl RuleBook {
    /// An empty builder.
    pub fn builder() -> RuleBookBuilder {
        RuleBookBuilder::default()
    }

    /// The book's data, to extend it (an expansion's new rules).
    pub fn to_builder(&self) -> RuleBookBuilder {
        self.source.clone()
    }

    /// The rules, as given.
    pub fn rules(&self) -> &[Rule] {
        &self.source.rules
    }

    /// The named-account overrides, as given.
    pub fn named(&self) -> &[NamedAccount] {
        &self.source.named
    }

    /// The declared free attributes.
    pub fn attributes(&self) -> &BTreeMap<String, AttributeType> {
        &self.source.attributes
    }

    pub(crate) fn compiled(&self) -> &[Test] {
        &self.compiled
    }
}

crate::validated::via_form!(builder RuleBook, RuleBookBuilder, TerritoryError, |book| book.source);

fn check_depth(rule: &Rule) -> Result<(), TerritoryError> {
    let mut stack: Vec<(&Predicate, usize)> = vec![(&rule.when, 1)];
    while let Some((p, depth)) = stack.pop() {
        if depth > MAX_PREDICATE_DEPTH {
            return Err(TerritoryError::PredicateTooDeep {
                territory: rule.territory.clone(),
                max: MAX_PREDICATE_DEPTH,
            });
        }
        debug_assert!(depth <= MAX_PREDICATE_DEPTH);
        // bound: depth is at most MAX_PREDICATE_DEPTH here (checked just
        // above), far below usize::MAX.
        let next = depth.saturating_add(1);
        match p {
            Predicate::All(ps) | Predicate::Any(ps) => stack.extend(ps.iter().map(|q| (q, next))),
            Predicate::Not(q) => stack.push((q, next)),
            _ => {}
        }
    }
    Ok(())
}

/// Reading an attribute off an account, for evaluation.
impl Attribute {
    /// A built-in text attribute, inline.
    #[inline]
    fn builtin_text<'a>(&self, a: &'a Account) -> Option<&'a IdText> {
        match self {
            Attribute::Country => a.country.as_ref(),
            Attribute::Region => a.region.as_ref(),
            Attribute::PostalCode => a.postal_code.as_ref(),
            Attribute::Industry => a.industry.as_ref(),
            _ => None,
        }
    }

    /// A text attribute's bytes (UTF-8).
    #[inline]
    pub(crate) fn bytes<'a>(&self, a: &'a Account) -> Option<&'a [u8]> {
        match self {
            Attribute::Custom(name) => a
                .attributes
                .get(name)
                .and_then(Value::as_text)
                .map(str::as_bytes),
            builtin => builtin.builtin_text(a).map(IdText::as_bytes),
        }
    }

    fn number(&self, a: &Account) -> Option<Decimal> {
        match self {
            Attribute::Employees => a.employees.map(Decimal::from),
            Attribute::AnnualRevenue => a.annual_revenue,
            Attribute::Custom(name) => a.attributes.get(name).and_then(Value::as_number),
            _ => None,
        }
    }

    fn flag(&self, a: &Account) -> Option<bool> {
        match self {
            Attribute::Named => Some(a.named),
            Attribute::Custom(name) => a.attributes.get(name).and_then(Value::as_flag),
            _ => None,
        }
    }
}

/// A predicate compiled for evaluation: attributes resolved, types
/// checked, value lists sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Test {
    /// Text equal to the value.
    TextIs(Attribute, IdText),
    /// Text equal to one of the (sorted, deduplicated) values.
    Text(Attribute, Vec<IdText>),
    Prefix(Attribute, IdText),
    /// Number equal to one of the values.
    Number(Attribute, Vec<Decimal>),
    Range(Attribute, Option<Decimal>, Option<Decimal>),
    Flag(Attribute, Vec<bool>),
    All(Vec<Test>),
    Any(Vec<Test>),
    Not(Box<Test>),
}

impl Test {
    /// Whether `account` passes (recursion bounded by
    /// [`MAX_PREDICATE_DEPTH`]).
    pub(crate) fn eval(&self, account: &Account) -> bool {
        match self {
            Test::TextIs(f, value) => match f.builtin_text(account) {
                Some(t) => t == value,
                None => f.bytes(account) == Some(value.as_bytes()),
            },
            Test::Text(f, values) => f
                .bytes(account)
                .is_some_and(|t| values.binary_search_by(|v| v.as_bytes().cmp(t)).is_ok()),
            // A byte prefix equal to a whole UTF-8 text ends on a character
            // boundary, so this is `str::starts_with`.
            Test::Prefix(f, p) => f
                .bytes(account)
                .is_some_and(|t| t.starts_with(p.as_bytes())),
            Test::Number(f, values) => f.number(account).is_some_and(|n| values.contains(&n)),
            Test::Range(f, from, to) => f
                .number(account)
                .is_some_and(|n| from.is_none_or(|lo| lo <= n) && to.is_none_or(|hi| n < hi)),
            Test::Flag(f, values) => f.flag(account).is_some_and(|b| values.contains(&b)),
            Test::All(tests) => tests.iter().all(|t| t.eval(account)),
            Test::Any(tests) => tests.iter().any(|t| t.eval(account)),
            Test::Not(t) => !t.eval(account),
        }
    }
}

fn resolve(
    attribute: &Attribute,
    territory: &TerritoryId,
    schema: &BTreeMap<String, AttributeType>,
) -> Result<(Attribute, AttributeType), TerritoryError> {
    let kind = match attribute {
        Attribute::Custom(name) => schema.get(name).copied(),
        builtin => builtin.builtin_type(),
    };
    let kind = kind.ok_or_else(|| TerritoryError::UnknownAttribute {
        territory: territory.clone(),
        attribute: attribute.name().to_owned(),
    })?;
    Ok((attribute.clone(), kind))
}

fn compile(
    p: &Predicate,
    territory: &TerritoryId,
    schema: &BTreeMap<String, AttributeType>,
) -> Result<Test, TerritoryError> {
    let mismatch = |attribute: &Attribute, actual, operation| TerritoryError::AttributeType {
        territory: territory.clone(),
        attribute: attribute.name().to_owned(),
        actual,
        operation,
    };
    Ok(match p {
        Predicate::Equals { attribute, value } => values_test(
            attribute,
            std::slice::from_ref(value),
            "equals",
            territory,
            schema,
        )?,
        Predicate::OneOf { attribute, values } => {
            values_test(attribute, values, "one_of", territory, schema)?
        }
        Predicate::Prefix { attribute, prefix } => {
            let (field, kind) = resolve(attribute, territory, schema)?;
            if kind != AttributeType::Text {
                return Err(mismatch(attribute, kind, "prefix"));
            }
            Test::Prefix(field, IdText::stored(prefix))
        }
        Predicate::Range {
            attribute,
            from,
            to,
        } => {
            let (field, kind) = resolve(attribute, territory, schema)?;
            if kind != AttributeType::Number {
                return Err(mismatch(attribute, kind, "range"));
            }
            if let (Some(lo), Some(hi)) = (from, to)
                && lo >= hi
            {
                return Err(TerritoryError::InvertedRange {
                    territory: territory.clone(),
                    attribute: attribute.name().to_owned(),
                    from: *lo,
                    to: *hi,
                });
            }
            Test::Range(field, *from, *to)
        }
        Predicate::All(ps) => Test::All(
            ps.iter()
                .map(|q| compile(q, territory, schema))
                .collect::<Result<_, _>>()?,
        ),
        Predicate::Any(ps) => Test::Any(
            ps.iter()
                .map(|q| compile(q, territory, schema))
                .collect::<Result<_, _>>()?,
        ),
        Predicate::Not(q) => Test::Not(Box::new(compile(q, territory, schema)?)),
    })
}

fn values_test(
    attribute: &Attribute,
    values: &[Value],
    operation: &'static str,
    territory: &TerritoryId,
    schema: &BTreeMap<String, AttributeType>,
) -> Result<Test, TerritoryError> {
    let (field, kind) = resolve(attribute, territory, schema)?;
    if values.iter().any(|v| v.kind() != kind) {
        return Err(TerritoryError::AttributeType {
            territory: territory.clone(),
            attribute: attribute.name().to_owned(),
            actual: kind,
            operation,
        });
    }
    Ok(match kind {
        AttributeType::Text => {
            let mut texts: Vec<IdText> = values
                .iter()
                .filter_map(|v| v.as_text().map(IdText::stored))
                .collect();
            texts.sort();
            texts.dedup();
            match <[IdText; 1]>::try_from(texts) {
                Ok([one]) => Test::TextIs(field, one),
                Err(texts) => Test::Text(field, texts),
            }
        }
        AttributeType::Number => {
            Test::Number(field, values.iter().filter_map(Value::as_number).collect())
        }
        AttributeType::Flag => {
            Test::Flag(field, values.iter().filter_map(Value::as_flag).collect())
        }
    })
}
