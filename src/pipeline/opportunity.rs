//! An opportunity: a deal that may close, who owns it, where it stands.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::PipelineError;
use crate::ids::{IdError, IdText, PersonId, PositionId, TransactionId};
use crate::money::{Money, Percent};

/// An opportunity (a deal in the pipeline, from a CRM).
///
/// The same checks as every id of the crate ([`crate::ids`]): not empty,
/// no surrounding whitespace or control characters, at most
/// [`MAX_ID_LEN`](crate::ids::MAX_ID_LEN) bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct OpportunityId(IdText);

impl OpportunityId {
    /// What this id names, as it appears in error messages.
    pub const KIND: &'static str = "opportunity";

    /// Checks `text` and wraps it.
    ///
    /// # Errors
    ///
    /// [`IdError`] (of kind `"opportunity"`) when `text` is empty, blank,
    /// has surrounding whitespace or control characters, or is too long.
    pub fn new(text: &str) -> Result<OpportunityId, IdError> {
        // The crate's id rule, applied once: an opportunity id is checked
        // exactly as a transaction id is.
        TransactionId::new(text)
            .map(|_| OpportunityId(IdText::stored(text)))
            .map_err(|e| IdError {
                kind: Self::KIND,
                ..e
            })
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for OpportunityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OpportunityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OpportunityId({:?})", self.as_str())
    }
}

impl std::str::FromStr for OpportunityId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<OpportunityId, IdError> {
        OpportunityId::new(text)
    }
}

impl TryFrom<String> for OpportunityId {
    type Error = IdError;
    fn try_from(text: String) -> Result<OpportunityId, IdError> {
        OpportunityId::new(&text)
    }
}

impl From<u64> for OpportunityId {
    /// The id of an integer: its decimal text, equal to the id of that
    /// text.
    fn from(n: u64) -> Self {
        OpportunityId(IdText::from_u64(n))
    }
}

impl From<OpportunityId> for String {
    fn from(id: OpportunityId) -> String {
        id.as_str().to_owned()
    }
}

/// Who owns an opportunity: a position (a seat), or a person, found at
/// roll-up time in the seat they hold in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Owner {
    /// A position.
    Position(PositionId),
    /// A person, rolled up from the position they hold.
    Person(PersonId),
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Position(p) => write!(f, "position {p}"),
            Owner::Person(p) => write!(f, "person {p}"),
        }
    }
}

/// The forecast category a rep puts an open opportunity in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum ForecastCategory {
    /// The rep commits to closing it in the period.
    Commit,
    /// It may close in the period if things go well.
    BestCase,
    /// Open, but not expected in the period's call (the default).
    #[default]
    Pipeline,
    /// Left out of the forecast altogether.
    Omitted,
}

impl ForecastCategory {
    /// Every category, in order.
    pub const ALL: [ForecastCategory; 4] = [
        ForecastCategory::Commit,
        ForecastCategory::BestCase,
        ForecastCategory::Pipeline,
        ForecastCategory::Omitted,
    ];

    /// The category's place in [`ALL`](Self::ALL).
    pub const fn index(self) -> usize {
        match self {
            ForecastCategory::Commit => 0,
            ForecastCategory::BestCase => 1,
            ForecastCategory::Pipeline => 2,
            ForecastCategory::Omitted => 3,
        }
    }
}

/// How a closed opportunity ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Outcome {
    /// Won: it counts as closed business.
    Won,
    /// Lost.
    Lost,
}

/// The close of an opportunity: won or lost, when, for how much (a won
/// deal's amount is what was sold; a lost one's, what was lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Closed {
    outcome: Outcome,
    date: NaiveDate,
    amount: Money,
}

impl Closed {
    /// Won on `date` for `amount`. Checked against the opportunity when it
    /// is built ([`OpportunityBuilder::build`]).
    pub const fn won(date: NaiveDate, amount: Money) -> Closed {
        Closed {
            outcome: Outcome::Won,
            date,
            amount,
        }
    }

    /// Lost on `date`; `amount` is what was lost.
    pub const fn lost(date: NaiveDate, amount: Money) -> Closed {
        Closed {
            outcome: Outcome::Lost,
            date,
            amount,
        }
    }

    /// Won or lost.
    pub const fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// When it closed.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// For how much.
    pub const fn amount(&self) -> Money {
        self.amount
    }
}

/// A deal in the pipeline: who owns it, the stage it has reached, how
/// likely and how large it is, when it is expected to close, the forecast
/// category its owner gives it, and, once closed, how it ended.
///
/// Built with [`Opportunity::builder`]; from JSON through the same checks:
///
/// ```json
/// {"id": "opp-1", "owner": {"position": "rep-1"}, "stage": "proposal",
///  "probability": "60%", "amount": "10000.00 USD", "created": "2025-01-10",
///  "expected_close": "2025-03-20", "category": "commit", "closed": null}
/// ```
///
/// `probability`, `category` and `closed` may be left out: the stage's
/// default probability, [`ForecastCategory::Pipeline`] and open.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawOpportunity"))]
pub struct Opportunity {
    id: OpportunityId,
    owner: Owner,
    stage: String,
    probability: Option<Percent>,
    amount: Money,
    created: NaiveDate,
    expected_close: NaiveDate,
    category: ForecastCategory,
    closed: Option<Closed>,
}

crate::validated::via_raw! {
    RawOpportunity => Opportunity, PipelineError {
        id: OpportunityId,
        owner: Owner,
        stage: String,
        #[serde(default)]
        probability: Option<String>,
        amount: Money,
        created: NaiveDate,
        expected_close: NaiveDate,
        #[serde(default)]
        category: ForecastCategory,
        #[serde(default)]
        closed: Option<Closed>,
    } => {
        let probability = match probability {
            None => None,
            Some(text) => Some(text.parse::<Percent>().map_err(|source| {
                PipelineError::Probability { opportunity: id.clone(), source }
            })?),
        };
        let mut b = Opportunity::builder(id, owner, &stage, amount, created, expected_close)
            .category(category);
        if let Some(p) = probability {
            b = b.probability(p);
        }
        if let Some(c) = closed {
            b = b.closed(c);
        }
        b.build()
    }
}

/// What an opportunity's probability was given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probability {
    Share(Percent),
    Points(Decimal),
}

/// Builds an [`Opportunity`]: see [`Opportunity::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct OpportunityBuilder {
    id: OpportunityId,
    owner: Owner,
    stage: String,
    probability: Option<Probability>,
    amount: Money,
    created: NaiveDate,
    expected_close: NaiveDate,
    category: ForecastCategory,
    closed: Option<Closed>,
}

impl Opportunity {
    /// An open opportunity at `stage`, for `amount`, created on `created`
    /// and expected to close on `expected_close`; its probability is the
    /// stage's default unless given, its category
    /// [`ForecastCategory::Pipeline`] unless given.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::pipeline::{Closed, ForecastCategory, Opportunity, OpportunityId, Owner};
    /// use salesplan::{Currency, Money, Percent, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let owner = Owner::Position(PositionId::new("rep-1")?);
    /// let opp = Opportunity::builder(OpportunityId::new("opp-1")?, owner.clone(), "proposal", usd("10000.00"), d(1, 10), d(3, 20))
    ///     .probability(Percent::from_points("60".parse()?)?)
    ///     .category(ForecastCategory::Commit)
    ///     .build()?;
    /// assert_eq!(opp.probability().map(|p| p.to_string()).as_deref(), Some("60%"));
    /// // Closing before it was created is refused.
    /// let bad = Opportunity::builder(OpportunityId::new("opp-2")?, owner, "proposal", usd("1.00"), d(2, 1), d(3, 1))
    ///     .closed(Closed::won(d(1, 31), usd("1.00")))
    ///     .build();
    /// assert!(bad.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(
        id: OpportunityId,
        owner: Owner,
        stage: &str,
        amount: Money,
        created: NaiveDate,
        expected_close: NaiveDate,
    ) -> OpportunityBuilder {
        OpportunityBuilder {
            id,
            owner,
            stage: stage.to_owned(),
            probability: None,
            amount,
            created,
            expected_close,
            category: ForecastCategory::Pipeline,
            closed: None,
        }
    }

    /// Its id.
    pub fn id(&self) -> &OpportunityId {
        &self.id
    }

    /// Its owner.
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// The furthest stage it has reached (for a closed one, the stage it
    /// closed from).
    pub fn stage(&self) -> &str {
        &self.stage
    }

    /// Its own probability, if given (otherwise its stage's default).
    pub const fn probability(&self) -> Option<Percent> {
        self.probability
    }

    /// Its amount: what it would sell for.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// When it was created.
    pub const fn created(&self) -> NaiveDate {
        self.created
    }

    /// When it is expected to close.
    pub const fn expected_close(&self) -> NaiveDate {
        self.expected_close
    }

    /// Its forecast category.
    pub const fn category(&self) -> ForecastCategory {
        self.category
    }

    /// How it closed, if it has.
    pub const fn closed(&self) -> Option<Closed> {
        self.closed
    }

    /// Whether it is still open.
    pub const fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

impl OpportunityBuilder {
    /// Its own probability, instead of the stage's default.
    pub fn probability(mut self, probability: Percent) -> OpportunityBuilder {
        self.probability = Some(Probability::Share(probability));
        self
    }

    /// Its own probability in percentage points (`60` is 60%), checked by
    /// [`build`](Self::build).
    pub fn probability_points(mut self, points: Decimal) -> OpportunityBuilder {
        self.probability = Some(Probability::Points(points));
        self
    }

    /// Its forecast category.
    pub fn category(mut self, category: ForecastCategory) -> OpportunityBuilder {
        self.category = category;
        self
    }

    /// It has closed.
    pub fn closed(mut self, closed: Closed) -> OpportunityBuilder {
        self.closed = Some(closed);
        self
    }

    /// Checks and builds the opportunity.
    ///
    /// # Errors
    ///
    /// [`PipelineError::Probability`] for a probability outside
    /// `[0%, 100%]`; [`PipelineError::NegativeAmount`] for a negative
    /// amount (open or closed); [`PipelineError::Amount`] for an amount not
    /// in whole minor units; [`PipelineError::CurrencyMismatch`] for a
    /// close in another currency than the amount;
    /// [`PipelineError::CloseBeforeCreation`] for an expected or actual
    /// close date before the creation date.
    pub fn build(self) -> Result<Opportunity, PipelineError> {
        let id = &self.id;
        let probability = match self.probability {
            None => None,
            Some(Probability::Share(p)) => Some(p),
            Some(Probability::Points(points)) => Some(Percent::from_points(points).map_err(
                |source| PipelineError::Probability {
                    opportunity: id.clone(),
                    source,
                },
            )?),
        };
        check_amount(id, self.amount)?;
        check_dates(id, self.created, self.expected_close)?;
        if let Some(closed) = &self.closed {
            check_amount(id, closed.amount)?;
            check_dates(id, self.created, closed.date)?;
            if closed.amount.currency() != self.amount.currency() {
                return Err(PipelineError::CurrencyMismatch {
                    opportunity: id.clone(),
                    expected: self.amount.currency(),
                    found: closed.amount.currency(),
                });
            }
        }
        Ok(Opportunity {
            id: self.id,
            owner: self.owner,
            stage: self.stage,
            probability,
            amount: self.amount,
            created: self.created,
            expected_close: self.expected_close,
            category: self.category,
            closed: self.closed,
        })
    }
}

fn check_amount(id: &OpportunityId, amount: Money) -> Result<(), PipelineError> {
    if amount.is_negative() {
        return Err(PipelineError::NegativeAmount {
            opportunity: id.clone(),
            amount,
        });
    }
    amount
        .to_minor()
        .map(|_| ())
        .map_err(|source| PipelineError::Amount {
            opportunity: id.clone(),
            source,
        })
}

fn check_dates(
    id: &OpportunityId,
    created: NaiveDate,
    close: NaiveDate,
) -> Result<(), PipelineError> {
    if close < created {
        return Err(PipelineError::CloseBeforeCreation {
            opportunity: id.clone(),
            created,
            close,
        });
    }
    Ok(())
}
