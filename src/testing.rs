//! Proptest strategies for the crate's inputs, for programs that test
//! their own sales rules on top of this crate (feature `proptest`, as
//! `rust_decimal` offers one).
//!
//! Every strategy builds its values through the crate's validating
//! constructors, so each value it yields is one the crate accepts; the
//! rare draw a constructor refuses is filtered out, never unwrapped. They
//! shrink toward small, flat, round cases: fewer positions, a star-shaped
//! org, amounts toward zero, fewer tiers.
//!
//! ```
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//! use salesplan::testing;
//! use salesplan::{Currency, Money};
//!
//! // In a test: `proptest! { #[test] fn ..(total in testing::money(..)) }`.
//! let mut runner = TestRunner::default();
//! let inputs = (testing::money(Currency::USD, 0..=1_000_000), testing::weights(1..=8));
//! runner.run(&inputs, |(total, w)| {
//!     let recipients: Vec<(usize, _)> = w.into_iter().enumerate().collect();
//!     let parts = salesplan::allocation::Split::new(&recipients).unwrap().apply(total).unwrap();
//!     prop_assert_eq!(Money::checked_sum(Currency::USD, parts).unwrap(), total);
//!     Ok(())
//! }).unwrap();
//! ```

pub mod synthetic;

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::calendar::{DateRange, FiscalCalendar};
use crate::comp::{
    CompPeriod, CompPlan, Component, PayRate, RateTable, Tier, TierBasis, TierMethod,
};
use crate::credit::{CreditBasis, Owner, Transaction, TransactionKind};
use crate::ids::{AccountId, PersonId, PlanId, PositionId, TransactionId};
use crate::money::{Currency, Money, Percent, Rate};
use crate::org::{Assignment, Org, Position, ReportingLine, Role};
use crate::quota::{Basis, LevelRule, MeasurePlan, MeasureUnit, QuotaMeasure, QuotaPlan};

/// Money in `currency` of `minor` minor units (cents for USD).
pub fn money(currency: Currency, minor: RangeInclusive<i64>) -> impl Strategy<Value = Money> {
    minor.prop_filter_map("a representable amount", move |m| {
        Money::from_minor(i128::from(m), currency).ok()
    })
}

/// A share from 0% to 100% in whole basis points.
pub fn percent() -> impl Strategy<Value = Percent> {
    (0u32..=10_000).prop_filter_map("a share", |bp| {
        Percent::from_fraction(Decimal::try_new(i64::from(bp), 4).ok()?).ok()
    })
}

/// A rate from 0% up to `max_basis_points` (15000 for 150%).
pub fn rate(max_basis_points: u32) -> impl Strategy<Value = Rate> {
    (0..=max_basis_points).prop_filter_map("a rate", |bp| {
        Rate::new(Decimal::try_new(i64::from(bp), 4).ok()?).ok()
    })
}

/// Allocation weights: non-negative, up to four decimals, not all zero.
pub fn weights(len: RangeInclusive<usize>) -> impl Strategy<Value = Vec<Decimal>> {
    proptest::collection::vec(0i64..=1_000_000, len)
        .prop_filter("not all zero", |w| w.iter().any(|x| *x > 0))
        .prop_filter_map("four decimals", |w| {
            w.into_iter().map(|x| Decimal::try_new(x, 4).ok()).collect()
        })
}

/// The position ids the org strategies use: `p0` (the root), `p1`, ...
pub fn position_id(i: usize) -> Option<PositionId> {
    PositionId::new(&format!("p{i}")).ok()
}

/// The person ids the org strategies use: `e0` holds `p0`, and so on.
pub fn person_id(i: usize) -> Option<PersonId> {
    PersonId::new(&format!("e{i}")).ok()
}

/// An org of any shape with `size` positions, in effect (and every seat
/// held) from `from`: position `i > 0` reports to one of `0..i`, so it
/// shrinks toward a star under `p0`. Positions with reports are team
/// leads, the others sales reps, the root a regional manager.
pub fn org(size: RangeInclusive<usize>, from: NaiveDate) -> impl Strategy<Value = Org> {
    let start = (*size.start()).max(1);
    let end = (*size.end()).max(start);
    (start..=end)
        // bound: `n >= 1`, so `n - 1` reports under the root.
        .prop_flat_map(|n| proptest::collection::vec(any::<u32>(), n.saturating_sub(1)))
        .prop_filter_map("a valid org", move |picks| build_org(&picks, from))
}

/// Position `i + 1` under `picks[i] % (i + 1)`.
fn build_org(picks: &[u32], from: NaiveDate) -> Option<Org> {
    let always = DateRange::starting(from);
    let parents: Vec<usize> = picks
        .iter()
        .enumerate()
        .map(|(i, p)| usize::try_from(*p).ok()?.checked_rem(i.checked_add(1)?))
        .collect::<Option<_>>()?;
    let has_reports = |i: usize| parents.contains(&i);
    let mut builder = Org::builder();
    for i in 0..=parents.len() {
        let id = position_id(i)?;
        let role = match (i, has_reports(i)) {
            (0, _) => Role::RegionalManager,
            (_, true) => Role::TeamLead,
            (_, false) => Role::SalesRep,
        };
        let line = match i.checked_sub(1).and_then(|k| parents.get(k)) {
            Some(p) => ReportingLine::new(id.clone(), position_id(*p)?, always),
            None => ReportingLine::top(id.clone(), always),
        };
        builder = builder
            .position(Position::new(id.clone(), role))
            .line(line)
            .assignment(Assignment::new(person_id(i)?, id, always));
    }
    builder.build().ok()
}

/// A quota plan for fiscal `year` (Gregorian) with an annual target of
/// `target_minor` USD cents, split equally at every level, the first
/// level over-assigned by 100% to 120%.
pub fn quota_plan(
    year: i32,
    target_minor: RangeInclusive<i64>,
) -> impl Strategy<Value = QuotaPlan> {
    (money(Currency::USD, target_minor), 100u32..=120).prop_filter_map(
        "an over-assignment",
        move |(target, points)| {
            let factor = Rate::from_points(Decimal::from(points)).ok()?;
            Some(
                QuotaPlan::new(year, FiscalCalendar::gregorian(), target)
                    .level(0, LevelRule::new(Basis::Equal).over_assign(factor)),
            )
        },
    )
}

/// A plan in a measure other than revenue for fiscal `year`
/// (Gregorian): whole deals, whole new logos, units in packs of five,
/// margin in USD cents or a named measure in halves, with a target of
/// `target_steps` steps of its unit, split equally at every level, the
/// first level over-assigned by 100% to 120%. It shrinks toward deals and
/// smaller targets.
pub fn measure_plan(
    year: i32,
    target_steps: RangeInclusive<i64>,
) -> impl Strategy<Value = MeasurePlan> {
    let measures = prop_oneof![
        Just((QuotaMeasure::Deals, 1i64, 0u32)),
        Just((QuotaMeasure::NewLogos, 1, 0)),
        Just((QuotaMeasure::Units, 5, 0)),
        Just((QuotaMeasure::Margin(Currency::USD), 1, 2)),
        Just((QuotaMeasure::Named("demos".to_owned()), 5, 1)),
    ];
    (measures, target_steps, 100u32..=120).prop_filter_map(
        "a plan",
        move |((measure, mantissa, scale), steps, points)| {
            let step = Decimal::try_new(mantissa, scale).ok()?;
            let target = Decimal::from(steps).checked_mul(step)?;
            let factor = Rate::from_points(Decimal::from(points)).ok()?;
            Some(
                MeasurePlan::new(year, FiscalCalendar::gregorian(), measure, target)
                    .unit(MeasureUnit::new(step).ok()?)
                    .level(0, LevelRule::new(Basis::Equal).over_assign(factor)),
            )
        },
    )
}

/// A credit feed for an org from [`org`] with `positions` positions:
/// `count` USD orders booked in `year`, each owned wholly by one position
/// (`p0`.. as [`position_id`] names them), amounts up to `max_minor`
/// cents. Ids are `t0`, `t1`, ... in booking order.
pub fn sales(
    positions: usize,
    count: RangeInclusive<usize>,
    year: i32,
    max_minor: i64,
) -> impl Strategy<Value = Vec<Transaction>> {
    let positions = positions.max(1);
    proptest::collection::vec((0..positions, 0u32..365, 0..=max_minor.max(0)), count)
        .prop_filter_map("a valid feed", move |rows| {
            let mut rows = rows;
            rows.sort_by_key(|(_, day, _)| *day);
            let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
            let account = AccountId::new("acct").ok()?;
            rows.iter()
                .enumerate()
                .map(|(i, (owner, day, minor))| {
                    let booked = first.checked_add_days(chrono::Days::new(u64::from(*day)))?;
                    let amount = Money::from_minor(i128::from(*minor), Currency::USD).ok()?;
                    let id = TransactionId::new(&format!("t{i}")).ok()?;
                    Some(
                        Transaction::new(
                            id,
                            TransactionKind::Order,
                            booked,
                            account.clone(),
                            amount,
                        )
                        .with_owners(vec![Owner::new(position_id(*owner)?, Percent::HUNDRED)]),
                    )
                })
                .collect()
        })
}

/// A quarterly revenue commission plan for fiscal `year` in USD with one
/// to four marginal tiers on attainment (tier edges rising from 0%, rates
/// up to 30%).
pub fn comp_plan(year: i32) -> impl Strategy<Value = CompPlan> {
    proptest::collection::vec((1u32..=60, 0u32..=3_000), 1..=4).prop_filter_map(
        "a valid plan",
        move |rows| {
            let mut from = Decimal::ZERO;
            let mut tiers = Vec::with_capacity(rows.len());
            let last = rows.len().checked_sub(1)?;
            for (i, (width, bp)) in rows.iter().enumerate() {
                let to = from.checked_add(Decimal::try_new(i64::from(*width), 1).ok()?)?;
                let pay =
                    PayRate::Percent(Rate::new(Decimal::try_new(i64::from(*bp), 4).ok()?).ok()?);
                tiers.push(Tier::new(from, (i != last).then_some(to), pay));
                from = to;
            }
            let rates = RateTable::Tiered {
                basis: TierBasis::Attainment,
                method: TierMethod::Marginal,
                tiers,
            };
            CompPlan::builder(
                PlanId::new("plan").ok()?,
                Currency::USD,
                FiscalCalendar::gregorian(),
                year,
            )
            .component(Component::new(
                "revenue",
                CreditBasis::Revenue,
                CompPeriod::Quarter,
                rates,
            ))
            .build()
            .ok()
        },
    )
}
