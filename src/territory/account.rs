//! Accounts: their attributes (what rules test) and measures (what
//! balancing and realignment add up), and the validated account book.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::ids::{AccountId, IdText};
use crate::money::{Currency, Money};
use crate::territory::TerritoryError;

/// The type of an attribute's values, which decides the operations a rule
/// may apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AttributeType {
    /// Text: `equals`, `one_of`, `prefix`.
    Text,
    /// An exact number: `equals`, `one_of`, `range`.
    Number,
    /// Yes or no: `equals`, `one_of`.
    Flag,
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AttributeType::Text => "text",
            AttributeType::Number => "a number",
            AttributeType::Flag => "a flag",
        })
    }
}

/// An attribute of an account that rules can test.
///
/// In JSON, the snake-case name (`"postal_code"`), or `{"custom": name}`
/// for a free attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Attribute {
    /// Country code (text): `"US"`.
    Country,
    /// Region or state (text): `"CA"`.
    Region,
    /// Postal code (text, compared as written): `"94107"`.
    PostalCode,
    /// Industry code (text), such as a NAICS or SIC code: `"3345"`.
    Industry,
    /// Employee count (number).
    Employees,
    /// Annual revenue (number, in the unit the embedding program uses for
    /// firmographics).
    AnnualRevenue,
    /// Whether the account is a named account (flag).
    Named,
    /// A free attribute, declared with its type in the
    /// [`RuleBook`](super::RuleBook).
    Custom(String),
}

impl Attribute {
    /// The type of a built-in attribute; `None` for a custom one.
    pub const fn builtin_type(&self) -> Option<AttributeType> {
        match self {
            Attribute::Country
            | Attribute::Region
            | Attribute::PostalCode
            | Attribute::Industry => Some(AttributeType::Text),
            Attribute::Employees | Attribute::AnnualRevenue => Some(AttributeType::Number),
            Attribute::Named => Some(AttributeType::Flag),
            Attribute::Custom(_) => None,
        }
    }

    /// The attribute's name, as in errors and serde.
    pub fn name(&self) -> &str {
        match self {
            Attribute::Country => "country",
            Attribute::Region => "region",
            Attribute::PostalCode => "postal_code",
            Attribute::Industry => "industry",
            Attribute::Employees => "employees",
            Attribute::AnnualRevenue => "annual_revenue",
            Attribute::Named => "named",
            Attribute::Custom(name) => name,
        }
    }
}

/// A value of an attribute: the constant in a rule, or a free attribute of
/// an account.
///
/// In JSON, `{"text": "US"}`, `{"number": "250"}` or `{"flag": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Value {
    /// Text, compared exactly (case and spaces matter).
    Text(String),
    /// An exact number (`"250"`, `"1.5"`), compared numerically.
    Number(#[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))] Decimal),
    /// Yes or no.
    Flag(bool),
}

impl Value {
    /// A text value.
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    /// The value's type.
    pub const fn kind(&self) -> AttributeType {
        match self {
            Value::Text(_) => AttributeType::Text,
            Value::Number(_) => AttributeType::Number,
            Value::Flag(_) => AttributeType::Flag,
        }
    }

    /// The text, when the value is text.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The number, when the value is a number.
    pub(crate) const fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The flag, when the value is a flag.
    pub(crate) const fn as_flag(&self) -> Option<bool> {
        match self {
            Value::Flag(b) => Some(*b),
            _ => None,
        }
    }
}

/// A customer or prospect: an id, the attributes rules test, and the
/// measures balancing adds up. Every attribute and measure is optional; a
/// rule on a missing attribute does not match (so `not` of it does).
///
/// ```
/// use salesplan::territory::{Account, Value};
/// use salesplan::{AccountId, Currency, Money};
///
/// let acme = Account::new(AccountId::new("acme")?)
///     .with_country("US")
///     .with_region("CA")
///     .with_postal_code("94107")
///     .with_industry("3345")
///     .with_employees(1200)
///     .with_attribute("segment", Value::text("enterprise"))
///     .with_potential(Money::parse("250000", Currency::USD)?)
///     .with_last_year_sales(Money::parse("180000", Currency::USD)?);
/// assert_eq!(acme.postal_code(), Some("94107"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"id": .., "country": .., "region": .., "postal_code": ..,
/// "industry": .., "employees": 1200, "annual_revenue": "5000000",
/// "named": false, "attributes": {name: value}, "potential": "250000.00
/// USD", "workload_hours": "40", "last_year_sales": "180000.00 USD"}`,
/// every field but `id` optional. An [`AccountBook`] checks the measures:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::territory::{Account, Value};
/// let acme: Account = serde_json::from_str(r#"{
///     "id": "acme", "country": "US", "postal_code": "94107", "employees": 1200,
///     "attributes": {"segment": {"text": "enterprise"}},
///     "potential": "250000.00 USD"
/// }"#)?;
/// assert_eq!(acme.attributes().get("segment"), Some(&Value::text("enterprise")));
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<Account>(r#"{"id": "acme", "postcode": "94107"}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `postcode`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Account {
    id: AccountId,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(crate) country: Option<IdText>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(crate) region: Option<IdText>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(crate) postal_code: Option<IdText>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(crate) industry: Option<IdText>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub(crate) employees: Option<u64>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    pub(crate) annual_revenue: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) named: bool,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "BTreeMap::is_empty"))]
    pub(crate) attributes: BTreeMap<String, Value>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    potential: Option<Money>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    workload_hours: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    last_year_sales: Option<Money>,
}

fn text(s: impl Into<String>) -> Option<IdText> {
    Some(IdText::stored(&s.into()))
}

impl Account {
    /// An account with no attributes or measures yet.
    pub fn new(id: AccountId) -> Account {
        Account {
            id,
            country: None,
            region: None,
            postal_code: None,
            industry: None,
            employees: None,
            annual_revenue: None,
            named: false,
            attributes: BTreeMap::new(),
            potential: None,
            workload_hours: None,
            last_year_sales: None,
        }
    }

    /// Sets the country code.
    #[must_use]
    pub fn with_country(mut self, country: impl Into<String>) -> Account {
        self.country = text(country);
        self
    }

    /// Sets the region or state.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Account {
        self.region = text(region);
        self
    }

    /// Sets the postal code.
    #[must_use]
    pub fn with_postal_code(mut self, postal_code: impl Into<String>) -> Account {
        self.postal_code = text(postal_code);
        self
    }

    /// Sets the industry code.
    #[must_use]
    pub fn with_industry(mut self, industry: impl Into<String>) -> Account {
        self.industry = text(industry);
        self
    }

    /// Sets the employee count.
    #[must_use]
    pub fn with_employees(mut self, employees: u64) -> Account {
        self.employees = Some(employees);
        self
    }

    /// Sets the annual revenue.
    #[must_use]
    pub fn with_annual_revenue(mut self, revenue: Decimal) -> Account {
        self.annual_revenue = Some(revenue);
        self
    }

    /// Marks the account as a named account (an attribute rules may test;
    /// named accounts are also locked by default when rebalancing).
    #[must_use]
    pub fn with_named(mut self, named: bool) -> Account {
        self.named = named;
        self
    }

    /// Sets a free attribute (declare its type in the rule book to test
    /// it); a second value for the same name replaces the first.
    #[must_use]
    pub fn with_attribute(mut self, name: impl Into<String>, value: Value) -> Account {
        self.attributes.insert(name.into(), value);
        self
    }

    /// Sets the market potential.
    #[must_use]
    pub fn with_potential(mut self, potential: Money) -> Account {
        self.potential = Some(potential);
        self
    }

    /// Sets the workload, in hours.
    #[must_use]
    pub fn with_workload_hours(mut self, hours: Decimal) -> Account {
        self.workload_hours = Some(hours);
        self
    }

    /// Sets last year's sales.
    #[must_use]
    pub fn with_last_year_sales(mut self, sales: Money) -> Account {
        self.last_year_sales = Some(sales);
        self
    }

    /// Its id.
    pub fn id(&self) -> &AccountId {
        &self.id
    }

    /// Its country code.
    pub fn country(&self) -> Option<&str> {
        self.country.as_ref().map(IdText::as_str)
    }

    /// Its region or state.
    pub fn region(&self) -> Option<&str> {
        self.region.as_ref().map(IdText::as_str)
    }

    /// Its postal code.
    pub fn postal_code(&self) -> Option<&str> {
        self.postal_code.as_ref().map(IdText::as_str)
    }

    /// Its industry code.
    pub fn industry(&self) -> Option<&str> {
        self.industry.as_ref().map(IdText::as_str)
    }

    /// Its employee count.
    pub const fn employees(&self) -> Option<u64> {
        self.employees
    }

    /// Its annual revenue.
    pub const fn annual_revenue(&self) -> Option<Decimal> {
        self.annual_revenue
    }

    /// Whether it is a named account.
    pub const fn is_named(&self) -> bool {
        self.named
    }

    /// Its free attributes, by name.
    pub fn attributes(&self) -> &BTreeMap<String, Value> {
        &self.attributes
    }

    /// Its market potential.
    pub const fn potential(&self) -> Option<Money> {
        self.potential
    }

    /// Its workload in hours.
    pub const fn workload_hours(&self) -> Option<Decimal> {
        self.workload_hours
    }

    /// Its sales last year.
    pub const fn last_year_sales(&self) -> Option<Money> {
        self.last_year_sales
    }
}

/// The accounts of a plan, validated: ids unique, money measures in one
/// currency, no negative measure. Held sorted by id, so every result built
/// from a book lists accounts by id.
///
/// # Examples
///
/// ```
/// use salesplan::territory::{Account, AccountBook};
/// use salesplan::{AccountId, Currency, Money};
///
/// let a = |id: &str| Account::new(AccountId::new(id).unwrap());
/// let book = AccountBook::new(Currency::USD, vec![a("b"), a("a")])?;
/// assert_eq!(book.accounts()[0].id().as_str(), "a");
/// let eur = a("c").with_potential(Money::parse("10", Currency::EUR)?);
/// assert!(AccountBook::new(Currency::USD, vec![eur]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"currency": "USD", "accounts": [account, ..]}`, `accounts`
/// optional (none), checked as by [`AccountBook::new`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::territory::AccountBook;
/// let book: AccountBook = serde_json::from_str(r#"{
///     "currency": "USD",
///     "accounts": [{"id": "b", "potential": "100.00 USD"}, {"id": "a"}]
/// }"#)?;
/// assert_eq!(book.accounts()[0].id().as_str(), "a");
/// // An unknown field is refused, naming it; so is a measure in another currency.
/// let err = serde_json::from_str::<AccountBook>(r#"{"currency": "USD", "acounts": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `acounts`"));
/// let err = serde_json::from_str::<AccountBook>(
///     r#"{"currency": "USD", "accounts": [{"id": "c", "potential": "10.00 EUR"}]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("not USD"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawBook"))]
pub struct AccountBook {
    currency: Currency,
    accounts: Vec<Account>,
}

crate::validated::via_raw! {
    RawBook => AccountBook, TerritoryError {
        currency: Currency,
        #[serde(default)]
        accounts: Vec<Account>,
    }
}

fn check_money(
    account: &Account,
    measure: &'static str,
    value: Option<Money>,
    currency: Currency,
) -> Result<(), TerritoryError> {
    let Some(m) = value else { return Ok(()) };
    if m.currency() != currency {
        return Err(TerritoryError::MeasureCurrency {
            account: account.id.clone(),
            measure,
            expected: currency,
            found: m.currency(),
        });
    }
    if m.is_negative() {
        return Err(TerritoryError::NegativeMeasure {
            account: account.id.clone(),
            measure,
            value: m.amount(),
        });
    }
    Ok(())
}

impl AccountBook {
    /// Validates and sorts `accounts`; money measures must be in
    /// `currency`.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::DuplicateAccount`],
    /// [`TerritoryError::MeasureCurrency`] and
    /// [`TerritoryError::NegativeMeasure`], naming the account.
    pub fn new(
        currency: Currency,
        mut accounts: Vec<Account>,
    ) -> Result<AccountBook, TerritoryError> {
        if u32::try_from(accounts.len()).map_or(true, |n| n == u32::MAX) {
            return Err(TerritoryError::TooManyRecords {
                what: "accounts",
                count: accounts.len(),
            });
        }
        if !accounts.is_sorted_by(|a, b| a.id < b.id) {
            // Sort a permutation, then move each account once: accounts are
            // large, ids are small.
            let mut keys: Vec<(AccountId, u32)> =
                accounts.iter().map(|a| a.id.clone()).zip(0u32..).collect();
            keys.sort_unstable();
            let mut slots: Vec<Option<Account>> = accounts.into_iter().map(Some).collect();
            accounts = keys
                .iter()
                .filter_map(|(_, i)| slots.get_mut(*i as usize).and_then(Option::take))
                .collect();
        }
        if let Some([a, _]) = accounts
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.id == b.id))
        {
            return Err(TerritoryError::DuplicateAccount {
                account: a.id.clone(),
            });
        }
        for a in &accounts {
            check_money(a, "potential", a.potential, currency)?;
            check_money(a, "last_year_sales", a.last_year_sales, currency)?;
            if let Some(h) = a.workload_hours
                && h.is_sign_negative()
                && !h.is_zero()
            {
                return Err(TerritoryError::NegativeMeasure {
                    account: a.id.clone(),
                    measure: "workload",
                    value: h,
                });
            }
        }
        Ok(AccountBook { currency, accounts })
    }

    /// The currency of the money measures.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The accounts, by id.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// How many accounts.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The account with this id.
    pub fn get(&self, id: &AccountId) -> Option<&Account> {
        self.index_of(id).and_then(|i| self.accounts.get(i))
    }

    pub(crate) fn index_of(&self, id: &AccountId) -> Option<usize> {
        self.accounts.binary_search_by(|a| a.id.cmp(id)).ok()
    }

    /// The account's potential, zero when unknown.
    pub(crate) fn potential_of(&self, a: &Account) -> Money {
        a.potential.unwrap_or(Money::zero(self.currency))
    }

    /// The account's last year's sales, zero when unknown.
    pub(crate) fn sales_of(&self, a: &Account) -> Money {
        a.last_year_sales.unwrap_or(Money::zero(self.currency))
    }
}
