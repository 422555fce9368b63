//! Commission fixtures: plans on the crediting region, quotas, statements.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::calendar::{FiscalCalendar, Period};
use salesplan::comp::{
    Commissions, CompPlan, CompPlanBuilder, Component, Deals, Gate, GateHolds, GatePeriod, PayRate,
    Quotas, RateTable, Statement, Tier, TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, CreditPlan, CreditRun, Crediting, Transaction};
use salesplan::{CompError, Currency, PersonId, PlanId, Rate};

use super::credit::region;
use super::person;
use crate::common::{date, dec};

pub(crate) fn rate(s: &str) -> Rate {
    s.parse().unwrap()
}

pub(crate) fn pct(s: &str) -> PayRate {
    PayRate::Percent(rate(s))
}

/// Tiers from `(from, to, percent)` rows; `to` empty for open-ended.
pub(crate) fn tiers(
    basis: TierBasis,
    method: TierMethod,
    rows: &[(&str, &str, &str)],
) -> RateTable {
    RateTable::Tiered {
        basis,
        method,
        tiers: rows
            .iter()
            .map(|(f, t, r)| Tier::new(dec(f), (!t.is_empty()).then(|| dec(t)), pct(r)))
            .collect(),
    }
}

pub(crate) fn builder() -> CompPlanBuilder {
    CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
}

pub(crate) fn plan(components: Vec<Component>) -> CompPlan {
    components
        .into_iter()
        .fold(builder(), |b, c| b.component(c))
        .build()
        .unwrap()
}

pub(crate) fn ana() -> PersonId {
    person("ana")
}

/// Credit `txs` on the region org with `basis`.
pub(crate) fn run(basis: CreditBasis, txs: &[Transaction]) -> CreditRun {
    Crediting::new(&region(), &CreditPlan::new(basis, Currency::USD))
        .run(txs)
        .unwrap()
}

pub(crate) fn quarter(q: u32) -> Period {
    FiscalCalendar::gregorian().quarters(2025).unwrap()[q as usize - 1]
}

pub(crate) fn month(m: u32) -> Period {
    Period::month(2025, m).unwrap()
}

/// The same revenue quota every quarter.
pub(crate) fn quarterly(amount: &str) -> Quotas {
    (1..=4).fold(Quotas::new(), |q, i| {
        q.revenue(quarter(i), super::credit::usd(amount))
    })
}

/// The same revenue quota every month.
pub(crate) fn monthly(amount: &str) -> Quotas {
    (1..=12).fold(Quotas::new(), |q, i| {
        q.revenue(month(i), super::credit::usd(amount))
    })
}

/// `person`'s statements through `through`, revenue credits only.
pub(crate) fn statements(
    plan: &CompPlan,
    txs: &[Transaction],
    quotas: &Quotas,
    locked: &[Statement],
    through: NaiveDate,
) -> Result<Vec<Statement>, CompError> {
    let revenue = run(CreditBasis::Revenue, txs);
    let margin = run(CreditBasis::Margin, &with_margins(txs));
    let deals_run = run(CreditBasis::DealCount, txs);
    let deals = Deals::new(txs);
    Commissions::new(plan, &[&revenue, &margin, &deals_run])?
        .with_deals(&deals)?
        .statements(&ana(), quotas, locked, through)
}

/// Gives every sale (and credit note that refers to no sale) without a
/// margin a margin of 0 (the margin basis needs one on each).
pub(crate) fn with_margins(txs: &[Transaction]) -> Vec<Transaction> {
    txs.iter()
        .map(|t| {
            let own_credit = t.kind().is_sale() || t.original().is_none();
            if t.margin().is_some() || !own_credit {
                t.clone()
            } else {
                t.clone().with_margin(salesplan::Money::zero(Currency::USD))
            }
        })
        .collect()
}

/// The totals of `statements`, as text.
pub(crate) fn totals(statements: &[Statement]) -> Vec<String> {
    statements
        .iter()
        .map(|s| s.total.amount().to_string())
        .collect()
}

/// Every line's explanation adds up exactly to the line.
pub(crate) fn parts_add_up(statement: &Statement) -> bool {
    use salesplan::comp::Explanation;
    statement.lines().iter().all(|l| match &l.explanation {
        Explanation::Earned(c) => {
            let mut sum: Decimal = c.slices().iter().map(|s| s.pay).sum();
            sum += c.gate.as_ref().map_or(Decimal::ZERO, |g| g.effect);
            sum += c.limits().iter().map(|l| l.effect()).sum::<Decimal>();
            sum += c.rounding;
            sum -= c.earned_before;
            sum == l.amount.amount()
        }
        Explanation::Clawback(c) => c.taken + c.rounding == l.amount.amount(),
        Explanation::Adjustment(cs) => {
            cs.iter()
                .map(|c| c.now.amount() - c.paid.amount())
                .sum::<Decimal>()
                == l.amount.amount()
        }
        _ => false,
    })
}

pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
    date(2025, m, day)
}

/// A gate at `threshold` attainment, on the year's attainment or the
/// component's, holding everything or only the accelerators.
pub(crate) fn gate(threshold: Rate, on_year: bool, everything: bool) -> Gate {
    let on = if on_year {
        GatePeriod::Year
    } else {
        GatePeriod::Component
    };
    let holds = if everything {
        GateHolds::Everything
    } else {
        GateHolds::Accelerators
    };
    Gate::new(threshold, on, holds)
}
