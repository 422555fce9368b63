//! Statements from an arbitrary valid plan and arbitrary credits.
//!
//! The fuzz bytes drive `arbitrary::Unstructured` to write a commission
//! plan through `CompPlan::builder` (tiers, multipliers, gates, cliffs,
//! caps, minimums, kickers, qualifiers, windows, a draw; most plans are
//! valid, some are not and are refused), a feed of sales, returns and
//! credit notes of them, payments, and returns and credit notes that refer
//! to no sale (negative credits of their own owners) on a small fixed org,
//! credited per measure, and quotas. Statements are computed; nothing may
//! panic. When they are:
//! - one statement per pay period up to `through`, in order;
//! - every line is whole minor units and its explanation adds up exactly
//!   to it (slices, gate, limits, rounding, earned before; a clawback's
//!   `taken` and rounding; adjustments);
//! - the total is the lines plus what the draw advanced minus what it
//!   recovered, and a draw line's `earned` is the sum of the lines;
//! - statements serialize and deserialize to equal values;
//! - signs (every rate, multiplier and kicker the fuzzer writes is
//!   non-negative, as the plan requires): no clawback line is positive;
//!   an earned line whose period's own net measure is negative pays
//!   nothing or less (per period, the line's `measure`; year to date,
//!   its window's measure minus the previous window's: what its grown
//!   quota would add waits for a period that sells);
//! - caps: with `Cap::PerPeriod(c)` every earned line is at most `c`
//!   (a minimum is at most every cap, so it never lifts a line above
//!   one); with `Cap::PerYear(c)` and no minimum, the component's lines
//!   of the year (earned, clawbacks, adjustments) sum to at most `c` (a
//!   clawback frees room under the cap, so the earned lines alone may
//!   sum to more; a minimum may lift a period above what is left);
//! - locking the first statements and adding a late deal into a locked
//!   period returns the locked statements unchanged, and the statements
//!   after them keep the sign and cap rules.
#![no_main]

use arbitrary::{Result, Unstructured};
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use salesplan::calendar::{DateRange, FiscalCalendar, Period};
use salesplan::comp::{
    Accumulation, Cap, Commissions, CompPeriod, CompPlan, Component, Deals, Draw, Explanation,
    Gate, GateHolds, GatePeriod, Kicker, Limit, Multiplier, PayRate, Qualifier, Quotas, RateTable,
    Statement, Tier, TierBasis, TierMethod,
};
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, CreditRun, Crediting, Owner, Transaction, TransactionKind,
};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::{
    AccountId, Currency, Money, Percent, PersonId, PlanId, PositionId, ProductGroupId, ProductId,
    Rate, RoundingPolicy, TransactionId,
};

const USD: Currency = Currency::USD;

fn pos(s: &str) -> PositionId {
    PositionId::new(s).expect("valid id")
}

fn who(s: &str) -> PersonId {
    PersonId::new(s).expect("valid id")
}

fn jan1() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date")
}

/// A small region: `rsm` (maria) over `lead` (lee); reps `r1` (ana) and
/// `r2` (ben, from 1 March) under the lead.
fn org() -> Org {
    let always = DateRange::starting(NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"));
    let march = DateRange::starting(NaiveDate::from_ymd_opt(2025, 3, 1).expect("valid date"));
    Org::builder()
        .position(Position::new(pos("rsm"), Role::RegionalManager))
        .position(Position::new(pos("lead"), Role::TeamLead))
        .position(Position::new(pos("r1"), Role::SalesRep))
        .position(Position::new(pos("r2"), Role::SalesRep))
        .line(ReportingLine::top(pos("rsm"), always))
        .line(ReportingLine::new(pos("lead"), pos("rsm"), always))
        .line(ReportingLine::new(pos("r1"), pos("lead"), always))
        .line(ReportingLine::new(pos("r2"), pos("lead"), always))
        .assignment(Assignment::new(who("maria"), pos("rsm"), always))
        .assignment(Assignment::new(who("lee"), pos("lead"), always))
        .assignment(Assignment::new(who("ana"), pos("r1"), always))
        .assignment(Assignment::new(who("ben"), pos("r2"), march))
        .build()
        .expect("the fixture org is valid")
}

/// A day of 2025 (and now and then one just outside it).
fn date(u: &mut Unstructured) -> Result<NaiveDate> {
    let d: u16 = u.int_in_range(0..=370)?;
    Ok(jan1() - Days::new(2) + Days::new(u64::from(d)))
}

fn range(u: &mut Unstructured) -> Result<DateRange> {
    let from = date(u)?;
    let until = if u.arbitrary()? { Some(date(u)?) } else { None };
    Ok(DateRange::new(from, until).unwrap_or(DateRange::starting(from)))
}

fn rate(u: &mut Unstructured) -> Result<Rate> {
    let points: u32 = u.int_in_range(0..=40_000)?;
    Ok(Rate::from_points(Decimal::new(i64::from(points), 2)).expect("non-negative"))
}

fn usd(u: &mut Unstructured) -> Result<Money> {
    let cents: i64 = if u.ratio(1, 16)? {
        u.arbitrary()?
    } else {
        u.int_in_range(-100..=5_000_000)?
    };
    Ok(Money::from_minor(i128::from(cents), USD).expect("fits"))
}

fn quantity(u: &mut Unstructured) -> Result<Decimal> {
    let v: i64 = u.int_in_range(-10..=100_000)?;
    Ok(Decimal::new(v, u.int_in_range(0..=3)?))
}

fn measure(u: &mut Unstructured) -> Result<CreditBasis> {
    Ok(match u.int_in_range(0..=4)? {
        0 | 1 => CreditBasis::Revenue,
        2 => CreditBasis::Margin,
        3 => CreditBasis::DealCount,
        _ => CreditBasis::Units,
    })
}

fn pay_rate(u: &mut Unstructured, money: bool) -> Result<PayRate> {
    // Mostly the right unit for the measure, now and then the wrong one.
    Ok(if money != u.ratio(1, 20)? {
        PayRate::Percent(rate(u)?)
    } else {
        PayRate::PerUnit(usd(u)?)
    })
}

fn rates(u: &mut Unstructured, money: bool) -> Result<RateTable> {
    if u.ratio(1, 4)? {
        return Ok(RateTable::Flat(pay_rate(u, money)?));
    }
    let basis = if u.arbitrary()? {
        TierBasis::Measure
    } else {
        TierBasis::Attainment
    };
    let method = if u.arbitrary()? {
        TierMethod::Marginal
    } else {
        TierMethod::Retroactive
    };
    let n = u.int_in_range(1..=4)?;
    let mut tiers = Vec::new();
    let mut from = if u.ratio(1, 20)? {
        quantity(u)?
    } else {
        Decimal::ZERO
    };
    for i in 0..n {
        let to = if i + 1 == n && !u.ratio(1, 20)? {
            None
        } else {
            let width = quantity(u)?;
            Some(from.checked_add(width).unwrap_or(from))
        };
        tiers.push(Tier::new(from, to, pay_rate(u, money)?));
        from = match to {
            Some(t) if u.ratio(1, 20)? => t.checked_add(Decimal::ONE).unwrap_or(t),
            Some(t) => t,
            None => from,
        };
    }
    Ok(RateTable::Tiered {
        basis,
        method,
        tiers,
    })
}

fn qualifier(u: &mut Unstructured) -> Result<Qualifier> {
    let k: u8 = u.int_in_range(0..=2)?;
    Ok(match u.int_in_range(0..=3)? {
        0 => Qualifier::Product(ProductId::new(&format!("sku{k}")).expect("valid id")),
        1 => Qualifier::ProductGroup(ProductGroupId::new(&format!("grp{k}")).expect("valid id")),
        2 => Qualifier::Account(AccountId::new(&format!("acc{k}")).expect("valid id")),
        _ => Qualifier::MeasureAtLeast {
            name: "years".into(),
            value: quantity(u)?,
        },
    })
}

fn qualifiers(u: &mut Unstructured) -> Result<Vec<Qualifier>> {
    let n = u.int_in_range(0..=2)?;
    (0..n).map(|_| qualifier(u)).collect()
}

fn period(u: &mut Unstructured) -> Result<CompPeriod> {
    Ok(match u.int_in_range(0..=2)? {
        0 => CompPeriod::Month,
        1 => CompPeriod::Quarter,
        _ => CompPeriod::Year,
    })
}

fn component(u: &mut Unstructured, i: usize) -> Result<Component> {
    let name = format!("C{}", if u.ratio(1, 16)? { 0 } else { i });
    if u.ratio(1, 8)? {
        return Ok(Component::spiff(
            name,
            usd(u)?,
            range(u)?,
            qualifiers(u)?,
            period(u)?,
        ));
    }
    let basis = measure(u)?;
    let money = basis.is_money();
    let mut c = Component::new(name, basis, period(u)?, rates(u, money)?);
    if u.arbitrary()? {
        c = c.accumulate(Accumulation::YearToDate);
    }
    if u.ratio(1, 6)? {
        let mut kinds = vec![CreditKind::Direct];
        if u.arbitrary()? {
            kinds.push(CreditKind::RollUp);
        }
        c = c.kinds(kinds);
    }
    for _ in 0..u.int_in_range(0..=2)? {
        let from = rate(u)?;
        let to = if u.arbitrary()? { Some(rate(u)?) } else { None };
        c = c.multiplier(Multiplier::new(from, to, rate(u)?));
    }
    if u.ratio(1, 4)? {
        let on = if u.arbitrary()? {
            GatePeriod::Component
        } else {
            GatePeriod::Year
        };
        let holds = if u.arbitrary()? {
            GateHolds::Everything
        } else {
            GateHolds::Accelerators
        };
        c = c.gate(Gate::new(rate(u)?, on, holds));
    }
    if u.ratio(1, 6)? {
        c = c.cliff(rate(u)?);
    }
    for _ in 0..u.int_in_range(0..=2)? {
        c = c.cap(match u.int_in_range(0..=2)? {
            0 => Cap::PerPeriod(usd(u)?),
            1 => Cap::PerYear(usd(u)?),
            _ => Cap::Attainment(rate(u)?),
        });
    }
    if u.ratio(1, 5)? {
        c = c.minimum(usd(u)?);
    }
    for _ in 0..u.int_in_range(0..=2)? {
        c = c.kicker(Kicker::new("kick", qualifiers(u)?, rate(u)?));
    }
    if u.ratio(1, 5)? {
        c = c.qualifies(qualifiers(u)?);
    }
    if u.ratio(1, 6)? {
        c = c.window(range(u)?);
    }
    Ok(c)
}

fn plan(u: &mut Unstructured) -> Result<Option<CompPlan>> {
    let year = if u.ratio(1, 32)? {
        u.int_in_range(-300_000..=300_000)?
    } else {
        2025
    };
    let mut b = CompPlan::builder(
        PlanId::new("FUZZ").expect("valid id"),
        USD,
        FiscalCalendar::gregorian(),
        year,
    );
    for i in 0..u.int_in_range(1..=3)? {
        b = b.component(component(u, i)?);
    }
    if u.ratio(1, 4)? {
        b = b.draw(if u.arbitrary()? {
            let recover_from = if u.arbitrary()? { Some(date(u)?) } else { None };
            Draw::Recoverable {
                amount: usd(u)?,
                during: range(u)?,
                recover_from,
                floor: usd(u)?,
            }
        } else {
            Draw::NonRecoverable {
                amount: usd(u)?,
                during: range(u)?,
            }
        });
    }
    let policies = RoundingPolicy::ALL;
    b = b.rounding(policies[u.choose_index(policies.len())?]);
    Ok(b.build().ok())
}

fn owners(u: &mut Unstructured) -> Result<Vec<Owner>> {
    let reps = ["r1", "r2", "lead"];
    Ok(match u.int_in_range(0..=5)? {
        0..=2 => vec![Owner::sole(pos(reps[u.choose_index(2)?]))],
        3 => {
            let share: u8 = u.int_in_range(0..=100)?;
            vec![
                Owner::new(
                    pos("r1"),
                    Percent::from_points(share.into()).expect("in range"),
                ),
                Owner::new(
                    pos("r2"),
                    Percent::from_points((100 - share).into()).expect("in range"),
                ),
            ]
        }
        4 => vec![Owner::sole(pos(reps[u.choose_index(reps.len())?]))],
        _ => {
            let share: u8 = u.int_in_range(0..=100)?;
            vec![Owner::new(
                pos("r1"),
                Percent::from_points(share.into()).expect("in range"),
            )]
        }
    })
}

fn transactions(
    u: &mut Unstructured,
    prefix: &str,
    within: Option<Period>,
) -> Result<Vec<Transaction>> {
    let mut out: Vec<Transaction> = Vec::new();
    for i in 0..u.int_in_range(0..=10)? {
        let id = TransactionId::new(&format!("{prefix}{}", if u.ratio(1, 16)? { 0 } else { i }))
            .expect("valid id");
        let mut day = date(u)?;
        if let Some(p) = within {
            let span = u64::from(p.days().saturating_sub(1));
            day = p.start() + Days::new(u.int_in_range(0..=span)?);
        }
        let account = AccountId::new(&format!("acc{}", u.int_in_range(0..=2)?)).expect("valid id");
        let sales: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].kind().is_sale())
            .collect();
        let reversal = !sales.is_empty() && u.ratio(1, 4)?;
        let unlinked = !reversal && u.ratio(1, 6)?;
        let t = if unlinked {
            // A return or credit note that refers to no sale: a negative
            // credit of its own owners.
            let kind = if u.arbitrary()? {
                TransactionKind::CreditNote
            } else {
                TransactionKind::Return
            };
            let back = usd(u)?;
            let back = if back.is_negative() {
                back
            } else {
                back.negated()
            };
            let mut t = Transaction::new(id, kind, day, account, back).with_owners(owners(u)?);
            if u.arbitrary()? {
                t = t.with_product(
                    ProductId::new(&format!("sku{}", u.int_in_range(0..=2)?)).expect("valid id"),
                );
            }
            if u.arbitrary()? {
                t = t.with_margin(back);
            }
            if u.arbitrary()? {
                t = t.with_units(-quantity(u)?.abs());
            }
            t
        } else if reversal {
            let original = &out[sales[u.choose_index(sales.len())?]];
            let kind = match u.int_in_range(0..=2)? {
                0 => TransactionKind::Return,
                1 => TransactionKind::CreditNote,
                _ => TransactionKind::Payment,
            };
            let part: u8 = u.int_in_range(0..=110)?;
            let back = original
                .amount()
                .checked_mul(Decimal::new(-i64::from(part), 2))
                .map(|m| m.round(RoundingPolicy::HalfEven))
                .unwrap_or(original.amount());
            let back = if kind == TransactionKind::Payment {
                back.negated()
            } else {
                back
            };
            Transaction::new(id, kind, day, original.account().clone(), back)
                .with_original(original.id().clone())
        } else {
            let kind = if u.arbitrary()? {
                TransactionKind::Order
            } else {
                TransactionKind::Invoice
            };
            let mut t = Transaction::new(id, kind, day, account, usd(u)?).with_owners(owners(u)?);
            if u.arbitrary()? {
                t = t.with_product(
                    ProductId::new(&format!("sku{}", u.int_in_range(0..=2)?)).expect("valid id"),
                );
            }
            if u.arbitrary()? {
                t = t.with_product_group(
                    ProductGroupId::new(&format!("grp{}", u.int_in_range(0..=2)?))
                        .expect("valid id"),
                );
            }
            if u.arbitrary()? {
                t = t.with_margin(usd(u)?);
            }
            if u.arbitrary()? {
                t = t.with_units(quantity(u)?);
            }
            if u.arbitrary()? {
                t = t.with_measure("years", quantity(u)?);
            }
            t
        };
        out.push(t);
    }
    Ok(out)
}

/// Margins and units on every transaction credited in its own right (a
/// sale, or a return or credit note that refers to no sale) that lacks
/// them, as the margin and unit measures need: zero margin and one unit
/// on a sale, its amount and minus one unit on a reversal.
fn filled(txs: &[Transaction]) -> Vec<Transaction> {
    txs.iter()
        .map(|t| {
            let mut t = t.clone();
            let sale = t.kind().is_sale();
            let own = sale || (t.kind().is_reversal() && t.original().is_none());
            if own && t.margin().is_none() {
                let margin = if sale { Money::zero(USD) } else { t.amount() };
                t = t.with_margin(margin);
            }
            if own && t.units().is_none() {
                t = t.with_units(if sale {
                    Decimal::ONE
                } else {
                    Decimal::NEGATIVE_ONE
                });
            }
            t
        })
        .collect()
}

fn runs(org: &Org, txs: &[Transaction]) -> Vec<CreditRun> {
    let txs = filled(txs);
    [
        CreditBasis::Revenue,
        CreditBasis::Margin,
        CreditBasis::DealCount,
        CreditBasis::Units,
    ]
    .into_iter()
    .filter_map(|basis| {
        Crediting::new(org, &CreditPlan::new(basis, USD))
            .run(&txs)
            .ok()
    })
    .collect()
}

fn quotas(u: &mut Unstructured, plan: &CompPlan) -> Result<Quotas> {
    let mut q = Quotas::new();
    let fy = FiscalCalendar::gregorian();
    for basis in [
        CreditBasis::Revenue,
        CreditBasis::Margin,
        CreditBasis::DealCount,
        CreditBasis::Units,
    ] {
        let periods = match u.int_in_range(0..=3)? {
            0 => continue,
            1 => fy
                .months(plan.year())
                .map(|m| m.to_vec())
                .unwrap_or_default(),
            2 => fy
                .quarters(plan.year())
                .map(|q| q.to_vec())
                .unwrap_or_default(),
            _ => fy.year(plan.year()).map(|y| vec![y]).unwrap_or_default(),
        };
        for p in periods {
            if u.ratio(1, 32)? {
                continue; // a gap
            }
            q = if basis.is_money() {
                q.money(basis.clone(), p, usd(u)?)
            } else {
                q.quantity(basis.clone(), p, quantity(u)?)
            };
        }
    }
    Ok(q)
}

fn add_up(s: &Statement) {
    let mut lines = Decimal::ZERO;
    for l in s.lines() {
        let amount = l.amount.amount();
        assert!(
            l.amount.is_rounded(),
            "line not in minor units: {}",
            l.amount
        );
        assert_eq!(l.amount.currency(), USD);
        lines = lines.checked_add(amount).expect("lines sum");
        let parts = match &l.explanation {
            Explanation::Earned(c) => {
                let mut sum = Some(Decimal::ZERO);
                for p in c
                    .slices()
                    .iter()
                    .map(|s| s.pay)
                    .chain(c.gate.iter().map(|g| g.effect))
                    .chain(c.limits().iter().map(|l| l.effect()))
                    .chain([c.rounding, -c.earned_before])
                {
                    sum = sum.and_then(|s| s.checked_add(p));
                }
                sum
            }
            Explanation::Clawback(c) => c.taken.checked_add(c.rounding),
            Explanation::Adjustment(cs) => cs.iter().try_fold(Decimal::ZERO, |acc, c| {
                acc.checked_add(c.now.amount().checked_sub(c.paid.amount())?)
            }),
            _ => None,
        };
        if let Some(parts) = parts {
            assert_eq!(
                parts, amount,
                "explanation of {} does not add up: {l:?}",
                l.component
            );
        }
    }
    let mut expected = lines;
    if let Some(d) = &s.draw {
        assert_eq!(d.earned.amount(), lines, "draw's earned is not the lines");
        expected = expected
            .checked_add(d.advanced.amount())
            .and_then(|e| e.checked_sub(d.recovered.amount()))
            .expect("total within range");
    }
    assert_eq!(
        s.total.amount(),
        expected,
        "total is not lines + advanced - recovered"
    );
    assert!(s.total.is_rounded());
}

/// The sign and cap rules (see the module's docs), per component, over a
/// year's statements of which the first `locked` were locked (and made
/// with fewer deals: a year-to-date line after one of them is not
/// compared with it).
fn signs_and_caps(plan: &CompPlan, statements: &[Statement], locked: usize) {
    for component in plan.components() {
        let name = component.name();
        let ytd = component.accumulation() == Accumulation::YearToDate;
        let period_cap = component
            .caps()
            .iter()
            .filter_map(|c| match c {
                Cap::PerPeriod(m) => Some(m.amount()),
                _ => None,
            })
            .min();
        let year_cap = component
            .caps()
            .iter()
            .filter_map(|c| match c {
                Cap::PerYear(m) => Some(m.amount()),
                _ => None,
            })
            .min()
            .filter(|_| component.minimum_amount().is_none());
        // The previous window's measure, and whether its line was locked;
        // what year-to-date periods of net returns held back (the year's
        // last period pays it, whatever its own credits).
        let mut previous = (Decimal::ZERO, false);
        let mut held = Decimal::ZERO;
        let year_end = plan.year_period().end();
        let mut year = Decimal::ZERO;
        for (i, s) in statements.iter().enumerate() {
            for l in s.lines().iter().filter(|l| l.component == name) {
                let amount = l.amount.amount();
                year = year.checked_add(amount).expect("a year's lines sum");
                match &l.explanation {
                    Explanation::Earned(c) => {
                        let own = if ytd {
                            c.measure.checked_sub(previous.0)
                        } else {
                            Some(c.measure)
                        };
                        let comparable = !ytd || !previous.1 || i < locked;
                        let release = if c.period.end() == year_end {
                            held
                        } else {
                            Decimal::ZERO
                        };
                        for limit in c.limits().iter() {
                            if let Limit::Held { effect } = limit {
                                held = held.checked_sub(*effect).expect("held sums");
                            }
                        }
                        if comparable && own.is_some_and(|own| own < Decimal::ZERO) {
                            assert!(
                                amount <= release,
                                "{name}: a period whose own net measure is {own:?} pays {amount}: {l:?}"
                            );
                        }
                        previous = (c.measure, i < locked);
                        if let Some(cap) = period_cap {
                            assert!(
                                amount <= cap,
                                "{name}: pays {amount} over its cap of {cap} per period: {l:?}"
                            );
                        }
                    }
                    Explanation::Clawback(c) => {
                        assert!(
                            amount <= Decimal::ZERO,
                            "{name}: a clawback pays {amount}: {c:?}"
                        );
                    }
                    _ => {}
                }
            }
        }
        if let Some(cap) = year_cap {
            assert!(
                year <= cap,
                "{name}: the year's lines pay {year}, over its cap of {cap} per year"
            );
        }
    }
}

fn check(
    plan: &CompPlan,
    statements: &[Statement],
    person: &PersonId,
    through: NaiveDate,
    locked: usize,
) {
    let pays = plan.pay_periods();
    let last = pays
        .iter()
        .position(|p| p.contains(through))
        .expect("through is in the year");
    assert_eq!(statements.len(), last + 1);
    for (s, p) in statements.iter().zip(pays) {
        assert_eq!(&s.period, p);
        assert_eq!(&s.person, person);
        add_up(s);
        let json = serde_json::to_string(s).expect("a statement serializes");
        let back: Statement = serde_json::from_str(&json).expect("a statement deserializes");
        assert_eq!(&back, s);
    }
    signs_and_caps(plan, statements, locked);
}

fn run(u: &mut Unstructured) -> Result<()> {
    let Some(plan) = plan(u)? else { return Ok(()) };
    let org = org();
    let txs = transactions(u, "T", None)?;
    let quotas = quotas(u, &plan)?;
    let people = ["ana", "ben", "lee", "maria"];
    let person = who(people[u.choose_index(people.len())?]);
    let through = date(u)?;

    let credit = runs(&org, &txs);
    let refs: Vec<&CreditRun> = credit.iter().collect();
    let Ok(comp) = Commissions::new(&plan, &refs) else {
        return Ok(());
    };
    let Ok(comp) = comp.with_deals(&Deals::new(&txs)) else {
        return Ok(());
    };
    let Ok(statements) = comp.statements(&person, &quotas, &[], through) else {
        return Ok(());
    };
    check(&plan, &statements, &person, through, 0);

    // Lock a prefix and add late deals dated in it: the locked statements
    // come back unchanged.
    if statements.len() < 2 {
        return Ok(());
    }
    let k = u.int_in_range(1..=statements.len() - 1)?;
    let locked = &statements[..k];
    let locked_span = Period::new(plan.pay_periods()[0].start(), locked[k - 1].period.end()).ok();
    let mut more = txs.clone();
    more.extend(transactions(u, "L", locked_span)?);
    let credit = runs(&org, &more);
    let refs: Vec<&CreditRun> = credit.iter().collect();
    let Ok(comp) = Commissions::new(&plan, &refs) else {
        return Ok(());
    };
    let Ok(comp) = comp.with_deals(&Deals::new(&more)) else {
        return Ok(());
    };
    let Ok(after) = comp.statements(&person, &quotas, locked, through) else {
        return Ok(());
    };
    check(&plan, &after, &person, through, k);
    assert_eq!(&after[..k], locked, "a locked statement changed");
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
