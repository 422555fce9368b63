//! Payouts: what the statements pay, per person, pay period and
//! component, without their explanations.

use rust_decimal::Decimal;

use super::statement::ComponentName;
use crate::calendar::Period;
use crate::money::{Currency, Money};

/// What a whole sales force is paid, per person, pay period and
/// component: the amounts of the statements
/// [`Commissions::statements_for`](super::Commissions::statements_for)
/// gives, worked out by the same rules, without their explanations.
///
/// Made by [`Commissions::payouts_for`](super::Commissions::payouts_for),
/// or from credited lines held as columns by
/// [`Commissions::payouts_from_columns`](super::Commissions::payouts_from_columns).
/// People are numbered as the inputs were given, pay periods from the
/// plan year's first, components in plan order. For person `i`, period
/// `p` and component `c`, [`pay`](Self::pay) is the `c`-th component's
/// [`component_total`](super::Statement::component_total) on person `i`'s
/// `p`-th statement (earned, adjustments and clawbacks), and
/// [`total`](Self::total) the statement's [`total`](super::Statement::total)
/// (the draw included).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Payouts {
    currency: Currency,
    periods: Vec<Period>,
    components: Vec<ComponentName>,
    /// Per person, per pay period: each component's pay, then the total.
    amounts: Vec<Decimal>,
    /// Per person: the sum of their pay periods' totals.
    person_totals: Vec<Decimal>,
}

impl Payouts {
    /// The payouts of `amounts` (per person, per pay period: each
    /// component's pay, then the total) and `person_totals`.
    pub(super) fn new(
        currency: Currency,
        periods: Vec<Period>,
        components: Vec<ComponentName>,
        amounts: Vec<Decimal>,
        person_totals: Vec<Decimal>,
    ) -> Payouts {
        Payouts {
            currency,
            periods,
            components,
            amounts,
            person_totals,
        }
    }

    /// The plan's currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// How many people: as many as the inputs.
    pub fn people(&self) -> usize {
        self.person_totals.len()
    }

    /// The pay periods, from the plan year's first to the one paid
    /// through.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The plan's components, in plan order.
    pub fn components(&self) -> &[ComponentName] {
        &self.components
    }

    /// The index of the component called `name`, if the plan has one.
    pub fn component_index(&self, name: &str) -> Option<usize> {
        self.components.iter().position(|c| c.as_str() == name)
    }

    /// One person's row for one pay period: each component's pay, then the
    /// total.
    fn row(&self, person: usize, period: usize) -> Option<&[Decimal]> {
        let stride = self.components.len().checked_add(1)?;
        if period >= self.periods.len() {
            return None;
        }
        let at = person
            .checked_mul(self.periods.len())?
            .checked_add(period)?
            .checked_mul(stride)?;
        self.amounts.get(at..at.checked_add(stride)?)
    }

    /// What component `component` paid person `person` in pay period
    /// `period` (by index); `None` when an index is out of range.
    ///
    /// # Examples
    ///
    /// See [`Commissions::payouts_for`](super::Commissions::payouts_for).
    pub fn pay(&self, person: usize, period: usize, component: usize) -> Option<Money> {
        if component >= self.components.len() {
            return None;
        }
        let row = self.row(person, period)?;
        row.get(component).map(|a| Money::new(*a, self.currency))
    }

    /// What person `person`'s statement of pay period `period` pays in all
    /// (the draw included); `None` when an index is out of range.
    pub fn total(&self, person: usize, period: usize) -> Option<Money> {
        let row = self.row(person, period)?;
        row.last().map(|a| Money::new(*a, self.currency))
    }

    /// What person `person` is paid over all the pay periods; `None` when
    /// out of range.
    pub fn person_total(&self, person: usize) -> Option<Money> {
        self.person_totals
            .get(person)
            .map(|a| Money::new(*a, self.currency))
    }

    /// Every person's [`person_total`](Self::person_total), in input order:
    /// a column.
    pub fn person_totals(&self) -> impl ExactSizeIterator<Item = Money> + '_ {
        self.person_totals
            .iter()
            .map(|a| Money::new(*a, self.currency))
    }
}
