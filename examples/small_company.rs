//! The small company's year, told with the crate's own types.
//!
//! Run with `cargo run --release --example small_company`.
//!
//! Aurora Instruments sells lab equipment through three regions. Its fiscal
//! year starts on 1 February and is named by the year it ends in, so FY2026
//! runs from 1 February 2025 to 31 January 2026. The chapters:
//!
//! 1. the fiscal calendar, working days and proration;
//! 2. exact money and FX;
//! 3. the org, with a mid-year move and a new hire;
//! 4. the annual plan: the company target cascaded to regions, teams and
//!    reps, and into quarters;
//! 5. Q1's sales rolled up the tree against the plan;
//! 6. the territory map: accounts assigned by rules, coverage, the balance
//!    report and a rebalancing proposal;
//! 7. activity and progress: North team 1's weekly review in Easter week,
//!    and the North region's Q1 progress report as of 17 April;
//! 8. the Q1 quarter close: deals credited, two reps' commission
//!    statements in full, a clawback and a late deal in Q2, the payout
//!    curve and a what-if against next year's plan;
//! 9. bonuses and authority: quarterly and annual target bonuses on a
//!    payout curve, a team pool, an MBO card, a contest, a discretionary
//!    bonus that needs the VP, and a pre-approved training plan.

#![allow(clippy::print_stdout, reason = "an example prints its story")]
#![allow(
    clippy::arithmetic_side_effects,
    reason = "small integers for sample data and column layout; money stays checked"
)]

use chrono::{Month, NaiveDate};
use rust_decimal::Decimal;
use salesplan::calendar::{
    DateRange, FiscalCalendar, Proration, ProrationBasis, WorkCalendar, YearNaming,
};
use salesplan::comp::{
    Cap, Commissions, CompPeriod, CompPlan, Component, Deals, Kicker, Multiplier, PayRate,
    Qualifier, Quotas, RateTable as CompRates, Statement, StatementDiff, Tier, TierBasis,
    TierMethod,
};
use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
use salesplan::money::{Attainment, RateTable, parse_decimal};
use salesplan::org::{Assignment, Node, Org, OrgSnapshot, Position, ReportingLine, Role};
use salesplan::quota::{
    Basis, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, QuotaTargets, Ramp, Seasonality,
};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::territory::{
    Account, AccountBook, Assigner, Attribute, BalanceReport, Coverage, CoverageKind,
    CoverageSource, CoverageTable, NamedAccount, Outcome, Predicate, Rebalance, RebalanceOptions,
    Rule, RuleBook, Territory, TerritoryCoverage, TerritoryLine, TerritoryMap,
};
use salesplan::{
    AccountId, CalendarError, Currency, Error, Money, Period, PersonId, PlanId, PositionId,
    ProductGroupId, Rate, RoundingPolicy, TerritoryId, TransactionId,
};

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    Ok(
        NaiveDate::from_ymd_opt(y, m, d).ok_or(CalendarError::InvalidDate {
            year: y,
            month: m,
            day: d,
        })?,
    )
}

fn pos(id: &str) -> Result<PositionId, Error> {
    Ok(PositionId::new(id)?)
}

/// `1234567.5` as `1,234,567.50`: amounts as a person reads them.
fn amount(m: Money) -> String {
    let rounded = m.round(RoundingPolicy::HalfAwayFromZero).amount();
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if m.is_negative() { "-" } else { "" };
    format!("{sign}{grouped}.{cents}")
}

/// The example's results as JSON values, in the order they were computed:
/// the golden file `tests/golden/small_company.json` holds them, and a
/// test checks it byte for byte (see the README's reliability section).
pub(crate) mod record {
    use std::cell::RefCell;

    thread_local! {
        static KEPT: RefCell<Vec<(String, serde_json::Value)>> = const { RefCell::new(Vec::new()) };
    }

    /// Keeps `value` under `name`.
    pub(crate) fn keep<T: serde::Serialize + ?Sized>(name: &str, value: &T) {
        let json = serde_json::to_value(value)
            .unwrap_or_else(|e| serde_json::Value::String(format!("not serialisable: {e}")));
        KEPT.with(|kept| kept.borrow_mut().push((name.to_string(), json)));
    }

    /// Everything kept so far, emptied.
    #[allow(
        dead_code,
        reason = "the golden-file test calls it; the example only prints"
    )]
    pub(crate) fn take() -> Vec<(String, serde_json::Value)> {
        KEPT.with(|kept| kept.take())
    }
}

use record::keep;

fn main() -> Result<(), Error> {
    run()
}

/// Tells the whole story; every chapter [`keep`]s its results as data too.
pub(crate) fn run() -> Result<(), Error> {
    let fy = FiscalCalendar::starting(Month::February, YearNaming::ByEndYear);
    calendar_chapter(&fy)?;
    money_chapter()?;
    let org = aurora(&fy)?;
    org_chapter(&fy, &org)?;
    let plan_snapshot = org.as_of(fy.year(2026)?.start())?;
    let targets = plan_chapter(&fy, &plan_snapshot)?;
    sales_chapter(&fy, &org, &targets)?;
    territory_chapter(&fy)?;
    activity_and_progress_chapter(&fy, &org, &targets)?;
    comp_chapter(&fy, &org, &targets)?;
    bonus_chapter(&fy, &org)?;
    Ok(())
}

fn calendar_chapter(fy: &FiscalCalendar) -> Result<(), Error> {
    println!("== 1. Fiscal year 2026: starts 1 February, named by the year it ends in ==");
    let year = fy.year(2026)?;
    println!(
        "FY2026 runs {} to {} ({} days)",
        year.start(),
        year.last_day(),
        year.days()
    );
    for (n, q) in (1..).zip(fy.quarters(2026)?) {
        println!(
            "  Q{n}  {} .. {}  ({} days)",
            q.start(),
            q.last_day(),
            q.days()
        );
    }
    let work =
        WorkCalendar::monday_to_friday().with_holidays([date(2025, 4, 18)?, date(2025, 4, 21)?]);
    let q1 = fy.quarters(2026)?[0];
    keep("1. FY2026 quarters", &fy.quarters(2026)?);
    println!(
        "Q1 has {} working days (Good Friday and Easter Monday off)",
        work.working_days(&q1)
    );
    println!();
    println!(
        "A new rep joins on 1 April, the last month of Q1. Their Q1 target of 150,000.00 EUR:"
    );
    let target = Money::parse("150000.00", Currency::EUR)?;
    let from_april = Period::new(date(2025, 4, 1)?, q1.end())?;
    for basis in [
        ProrationBasis::WholeMonths,
        ProrationBasis::CalendarDays,
        ProrationBasis::WorkingDays,
    ] {
        let share = Proration::new(&q1, &from_april, basis, &work)?;
        let prorated = share.apply(target)?;
        keep(
            "1. proration of a 1 April hire's Q1 target",
            &(share, prorated),
        );
        println!(
            "  by {:<14} {:<20} -> {} EUR",
            basis.to_string(),
            share.to_string(),
            amount(prorated)
        );
    }
    println!();
    Ok(())
}

fn money_chapter() -> Result<(), Error> {
    println!("== 2. Exact money ==");
    let deal = Money::parse("48250.00", Currency::EUR)?;
    let rate: Rate = "7.5%".parse()?;
    let commission = rate.of(deal)?;
    println!(
        "7.5% of {deal} is {commission} exactly, paid as {}",
        commission.round(RoundingPolicy::HalfEven)
    );
    let rates = RateTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 4, 1)?,
            parse_decimal("1.0812")?,
        )?
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 5, 1)?,
            parse_decimal("1.1290")?,
        )?;
    let on = date(2025, 4, 30)?;
    let in_usd = rates.convert(deal, Currency::USD, on, RoundingPolicy::HalfEven)?;
    keep("2. commission and FX", &(commission, in_usd));
    println!(
        "{deal} on {on} is {in_usd} (rate {})",
        rates.rate(Currency::EUR, Currency::USD, on)?
    );
    match deal.checked_add(in_usd) {
        Ok(sum) => println!("unexpected: {sum}"),
        Err(e) => println!("adding them is refused: {e}"),
    }
    println!();
    Ok(())
}

/// The company: a VP, three regions, their teams and reps. On 1 August
/// rep Noah Silva moves from Central to South, and South's second team
/// has a vacant seat.
fn aurora(fy: &FiscalCalendar) -> Result<Org, Error> {
    let start = DateRange::starting(fy.year(2026)?.start());
    let reorg = date(2025, 8, 1)?;
    let seats: &[(&str, Role, &str, Option<&str>, &str)] = &[
        // (position, role, title, reports to, holder)
        ("vp", Role::Executive, "VP Sales", None, "Grace Okafor"),
        (
            "north",
            Role::RegionalManager,
            "North region",
            Some("vp"),
            "Lars Berg",
        ),
        (
            "central",
            Role::RegionalManager,
            "Central region",
            Some("vp"),
            "Mei Chen",
        ),
        (
            "south",
            Role::RegionalManager,
            "South region",
            Some("vp"),
            "Omar Haddad",
        ),
        (
            "central-ops",
            Role::SalesAdministrator,
            "Central sales admin",
            Some("central"),
            "Rosa Lima",
        ),
        (
            "north-1",
            Role::TeamLead,
            "North team 1",
            Some("north"),
            "Ines Duarte",
        ),
        (
            "north-2",
            Role::TeamLead,
            "North team 2",
            Some("north"),
            "Tom Reid",
        ),
        (
            "central-1",
            Role::TeamLead,
            "Central team 1",
            Some("central"),
            "Aiko Sato",
        ),
        (
            "south-1",
            Role::TeamLead,
            "South team 1",
            Some("south"),
            "Ben Adler",
        ),
        (
            "south-2",
            Role::TeamLead,
            "South team 2",
            Some("south"),
            "Chloe Martin",
        ),
        ("n1-a", Role::SalesRep, "Rep", Some("north-1"), "Ana Costa"),
        ("n1-b", Role::SalesRep, "Rep", Some("north-1"), "Erik Lund"),
        (
            "n1-c",
            Role::SalesRep,
            "Rep",
            Some("north-1"),
            "Fatima Khan",
        ),
        ("n2-a", Role::SalesRep, "Rep", Some("north-2"), "Gus Novak"),
        ("n2-b", Role::SalesRep, "Rep", Some("north-2"), "Hana Ito"),
        (
            "c1-a",
            Role::SalesRep,
            "Rep",
            Some("central-1"),
            "Ivan Petrov",
        ),
        (
            "c1-b",
            Role::SalesRep,
            "Rep",
            Some("central-1"),
            "Julia Roth",
        ),
        (
            "c1-c",
            Role::SalesRep,
            "Rep",
            Some("central-1"),
            "Kofi Mensah",
        ),
        ("s1-a", Role::SalesRep, "Rep", Some("south-1"), "Lena Vogel"),
        (
            "s1-b",
            Role::SalesRep,
            "Rep",
            Some("south-1"),
            "Marco Rossi",
        ),
        ("s2-a", Role::SalesRep, "Rep", Some("south-2"), "Nadia Aziz"),
        ("s2-b", Role::SalesRep, "Rep", Some("south-2"), ""),
    ];
    let mut org = Org::builder();
    for (id, role, title, parent, holder) in seats {
        org = org
            .position(Position::new(pos(id)?, role.clone()).with_title(*title))
            .line(match parent {
                Some(p) => ReportingLine::new(pos(id)?, pos(p)?, start),
                None => ReportingLine::top(pos(id)?, start),
            });
        if !holder.is_empty() {
            org = org.assignment(Assignment::new(PersonId::new(holder)?, pos(id)?, start));
        }
    }
    // Noah's seat reports to Central until the reorganisation, then to South.
    let before = DateRange::new(start.from(), Some(reorg))?;
    // A new seat in North team 2, filled on 17 March.
    let org = org
        .position(Position::new(pos("n2-c")?, Role::SalesRep).with_title("Rep"))
        .line(ReportingLine::new(pos("n2-c")?, pos("north-2")?, start))
        .assignment(Assignment::new(
            PersonId::new("Priya Nair")?,
            pos("n2-c")?,
            DateRange::starting(date(2025, 3, 17)?),
        ));
    Ok(org
        .position(Position::new(pos("c1-d")?, Role::SalesRep).with_title("Rep"))
        .line(ReportingLine::new(pos("c1-d")?, pos("central-1")?, before))
        .line(ReportingLine::new(
            pos("c1-d")?,
            pos("south-2")?,
            DateRange::starting(reorg),
        ))
        .assignment(Assignment::new(
            PersonId::new("Noah Silva")?,
            pos("c1-d")?,
            start,
        ))
        .build()?)
}

fn org_chapter(fy: &FiscalCalendar, org: &Org) -> Result<(), Error> {
    println!("== 3. The org ==");
    let snapshot = org.as_of(fy.year(2026)?.start())?;
    println!(
        "{} positions on {}; {} people; {} seats vacant",
        snapshot.len(),
        snapshot.date(),
        org.people().len(),
        snapshot.nodes().filter(|n| n.holder().is_none()).count()
    );
    let after = org.as_of(date(2025, 8, 1)?)?;
    if let Some(noah) = after.node(&pos("c1-d")?) {
        let chain: Vec<&str> = noah
            .chain_to_top()
            .map(|n| n.position().title().unwrap_or("?"))
            .collect();
        println!(
            "On 1 August Noah Silva's seat moves: {}",
            chain.join(" -> ")
        );
    }
    let year = fy.year(2026)?;
    let segments = org.segments(&PersonId::new("Noah Silva")?, &year)?;
    keep("3. Noah Silva's segments", &segments);
    for s in segments {
        println!(
            "  {} .. {}: reports to {} (manager {}), {} days",
            s.period().start(),
            s.period().last_day(),
            s.reports_to().map_or("nobody", |p| p.as_str()),
            s.manager().map_or("vacant", |m| m.as_str()),
            s.period().days()
        );
    }
    println!();
    Ok(())
}

/// Last year's sales and market potential per position, in declaration
/// order: what the plan splits by.
fn measures(snapshot: &OrgSnapshot) -> Measures {
    let figures: &[(&str, i64, i64)] = &[
        // (position, prior-year sales in thousands, potential index)
        ("north", 2_300, 40),
        ("central", 1_900, 45),
        ("south", 1_500, 60),
        ("north-1", 1_250, 0),
        ("north-2", 1_050, 0),
        ("central-1", 1_900, 0),
        ("south-1", 900, 0),
        ("south-2", 600, 0),
    ];
    let column = |pick: fn(&(&str, i64, i64)) -> i64| -> Vec<Decimal> {
        snapshot
            .org()
            .positions()
            .iter()
            .map(|p| {
                figures
                    .iter()
                    .find(|f| f.0 == p.id().as_str())
                    .map_or(Decimal::ZERO, |f| Decimal::from(pick(f)))
            })
            .collect()
    };
    Measures::new()
        .with("prior_year_sales", column(|f| f.1))
        .with("market_potential", column(|f| f.2))
}

fn plan_chapter<'s>(
    fy: &FiscalCalendar,
    snapshot: &'s OrgSnapshot,
) -> Result<QuotaTargets<'s>, Error> {
    println!("== 4. The FY2026 plan: 8,000,000.00 USD cascaded down the org ==");
    let half = "50%".parse()?;
    // Quieter spring, busy autumn, a big year-end (January closes the year).
    let profile = Seasonality::monthly([7, 7, 8, 8, 8, 8, 7, 8, 9, 9, 10, 11].map(Decimal::from))?;
    let plan = QuotaPlan::new(2026, *fy, Money::parse("8000000.00", Currency::USD)?)
        .seasonality(profile)
        .level(
            0,
            LevelRule::new(Basis::Blend(vec![
                (half, "prior_year_sales".into()),
                (half, "market_potential".into()),
            ]))
            .over_assign("105%".parse()?),
        )
        .level(1, LevelRule::new(Basis::Measure("prior_year_sales".into())))
        .default_rule(LevelRule::new(Basis::Equal).over_assign("110%".parse()?));
    let targets = plan.cascade(snapshot, &measures(snapshot))?;
    println!(
        "{:<40} {:>14} {:>13} {:>13} {:>13} {:>13}",
        "position (holder)", "FY2026", "Q1", "Q2", "Q3", "Q4"
    );
    for node in snapshot.nodes() {
        if !targets.carries_quota(node.index()) {
            continue;
        }
        let split = targets.split(node.index())?;
        keep(
            &format!("4. targets of {}", node.id()),
            &(targets.annual(node.index())?, split.quarters()),
        );
        let quarters: Vec<String> = split
            .quarters()
            .iter()
            .map(|(_, q)| format!("{:>13}", amount(*q)))
            .collect();
        println!(
            "{:<40} {:>14} {}",
            label(&node),
            amount(targets.annual(node.index())?),
            quarters.join(" ")
        );
    }
    println!();
    println!("How two targets were derived:");
    for id in ["south", "s2-a"] {
        if let Some(n) = snapshot.node(&pos(id)?) {
            println!("  {}", targets.explain(n.index())?);
        }
    }
    println!();
    println!("Gap report (what each manager's reports carry against the manager's own target):");
    println!(
        "{:<22} {:>14} {:>14} {:>8} {:>14}",
        "manager", "target", "reports carry", "over", "uncovered"
    );
    let gaps = targets.gap_report()?;
    keep("4. gap report", &gaps);
    for row in gaps {
        let over = row
            .over_assignment
            .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
            .map_or("-".to_string(), |p| format!("{:.1}%", p.round_dp(1)));
        println!(
            "{:<22} {:>14} {:>14} {:>8} {:>14}",
            row.position.as_str(),
            amount(row.target),
            amount(row.reports),
            over,
            amount(row.uncovered)
        );
    }
    println!();
    let year = fy.year(2026)?;
    let q1 = fy.quarters(2026)?[0];
    let noah = targets.person_quota(
        &PersonId::new("Noah Silva")?,
        &year,
        &PersonQuotaOptions::new(),
    )?;
    println!(
        "Noah Silva's FY2026 quota: {} (one seat all year, whoever his manager)",
        amount(noah.total)
    );
    let ramp = Ramp::new(
        ["0%", "25%", "50%", "75%"]
            .map(str::parse)
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?,
    );
    let options = PersonQuotaOptions::new().ramp(ramp, date(2025, 3, 17)?);
    let priya = targets.person_quota(&PersonId::new("Priya Nair")?, &q1, &options)?;
    keep("4. person quotas", &[&noah, &priya]);
    println!(
        "Priya Nair, hired 17 March on a 0/25/50/75% ramp, carries {} in Q1 (ramp relief {}):",
        amount(priya.total),
        amount(priya.ramp_relief)
    );
    for line in &priya.lines {
        println!("  {line}");
    }
    println!();
    Ok(targets)
}

fn sales_chapter(fy: &FiscalCalendar, org: &Org, targets: &QuotaTargets<'_>) -> Result<(), Error> {
    println!("== 5. Q1 sales rolled up against the plan ==");
    let q1 = fy.quarters(2026)?[0];
    let snapshot = org.as_of(q1.last_day())?;

    // Q1 deals: a few per rep, in USD, one of them returned.
    let reps: Vec<_> = snapshot
        .nodes()
        .filter(|n| *n.role() == Role::SalesRep && n.holder().is_some())
        .map(|n| n.id().clone())
        .collect();
    let mut credits = Vec::new();
    for (k, rep) in (0i64..).zip(&reps) {
        for deal in 0..3i64 {
            let cents = 2_650_000 + 730_000 * ((k * 7 + deal * 3) % 11) - 95_000 * deal;
            let day = q1
                .start()
                .checked_add_days(chrono::Days::new((k * 11 + deal * 29) as u64 % 89));
            let day = day.ok_or(CalendarError::DateOutOfRange {
                what: "deal date",
                from: q1.start(),
            })?;
            credits.push((
                rep.clone(),
                day,
                Money::from_minor(cents.into(), Currency::USD)?,
            ));
        }
    }
    credits.push((
        pos("n1-b")?,
        date(2025, 4, 28)?,
        Money::parse("-12000.00", Currency::USD)?,
    ));

    // Each position's Q1 target from the plan, lined up with this snapshot.
    let plan_snapshot = targets.snapshot();
    let q1_target = |n: Node<'_>| -> Money {
        plan_snapshot
            .node(n.id())
            .and_then(|p| targets.split(p.index()).ok())
            .and_then(|s| s.quarters().first().map(|(_, m)| *m))
            .unwrap_or(Money::zero(Currency::USD))
    };
    let quotas = NodeValues::from_fn(&snapshot, q1_target);
    let totals = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1),
    )?;
    let attainment = totals.attainments(&quotas)?;
    let rows: Vec<_> = snapshot
        .nodes()
        .map(|n| {
            let i = n.index();
            (
                n.id().clone(),
                totals.subtree(i).ok(),
                quotas.get(i).copied(),
                attainment.get(i.index()).cloned(),
            )
        })
        .collect();
    keep("5. Q1 subtree totals, quotas and attainment", &rows);
    println!(
        "Q1 FY2026 ({} .. {}), org as of {}, {} deals credited",
        q1.start(),
        q1.last_day(),
        snapshot.date(),
        credits.len()
    );
    print_tree(&snapshot, |n| {
        let i = n.index();
        let quota = quotas.get(i).copied().unwrap_or(Money::zero(Currency::USD));
        let sold = totals.subtree(i).map(amount).unwrap_or_default();
        let att = attainment.get(i.index()).map(|a| match a {
            Attainment::ZeroTarget { .. } => "-".to_string(),
            a => a.to_string(),
        });
        format!(
            "{sold:>14} {:>14} {:>8}",
            amount(quota),
            att.unwrap_or_default()
        )
    });
    Ok(())
}

fn label(node: &Node<'_>) -> String {
    let indent = "  ".repeat(node.depth() as usize);
    let holder = node.holder().map_or("vacant", |p| p.as_str());
    format!(
        "{indent}{} ({holder})",
        node.position().title().unwrap_or(node.id().as_str())
    )
}

/// Prints the snapshot as an indented tree, one line per position, with
/// `columns` after the name.
fn print_tree(snapshot: &OrgSnapshot, columns: impl Fn(&Node<'_>) -> String) {
    println!(
        "{:<40} {:>14} {:>14} {:>8}",
        "position (holder)", "credited USD", "Q1 target", "attain"
    );
    for node in snapshot.nodes() {
        println!("{:<40} {}", label(&node), columns(&node));
    }
}

fn tid(id: &str) -> Result<TerritoryId, Error> {
    Ok(TerritoryId::new(id)?)
}

/// Aurora's territories: one per team, under the three regions, drawn by
/// postal-code prefix; pharma labs in the north go to North team 1.
fn territory_chapter(fy: &FiscalCalendar) -> Result<(), Error> {
    println!();
    println!("== 6. Territories: who covers which accounts ==");
    let start = DateRange::starting(fy.year(2026)?.start());
    let tree_of: &[(&str, Option<&str>, &str)] = &[
        ("aurora", None, "Aurora Instruments"),
        ("north", Some("aurora"), "North region"),
        ("central", Some("aurora"), "Central region"),
        ("south", Some("aurora"), "South region"),
        ("t-north-1", Some("north"), "North 1: New England"),
        ("t-north-2", Some("north"), "North 2: New York"),
        ("t-central-1", Some("central"), "Central 1: Midwest"),
        ("t-south-1", Some("south"), "South 1: Texas"),
        ("t-south-2", Some("south"), "South 2: Southeast"),
    ];
    let mut map = TerritoryMap::builder();
    for (id, parent, name) in tree_of {
        map = map
            .territory(Territory::new(tid(id)?).with_name(*name))
            .line(match parent {
                Some(p) => TerritoryLine::new(tid(id)?, tid(p)?, start),
                None => TerritoryLine::top(tid(id)?, start),
            });
    }
    let map = map.build()?;
    let tree = map.as_of(fy.year(2026)?.start())?;

    let prefix = |t: &str, p: &str| -> Result<Rule, Error> {
        Ok(Rule::new(
            tid(t)?,
            10,
            Predicate::prefix(Attribute::PostalCode, p),
        ))
    };
    let rules = RuleBook::builder()
        .rule(prefix("t-north-1", "0")?)
        .rule(prefix("t-north-2", "1")?)
        .rule(prefix("t-central-1", "4")?)
        .rule(prefix("t-central-1", "6")?)
        .rule(prefix("t-south-1", "7")?)
        .rule(prefix("t-south-2", "3")?)
        .rule(Rule::new(
            tid("t-north-1")?,
            20,
            Predicate::all([
                Predicate::is(Attribute::Industry, "3254"),
                Predicate::any([
                    Predicate::prefix(Attribute::PostalCode, "0"),
                    Predicate::prefix(Attribute::PostalCode, "1"),
                ]),
            ]),
        ))
        .named(NamedAccount::new(
            AccountId::new("helix-pharma")?,
            tid("t-central-1")?,
        ))
        .build()?;

    // (id, postal code, industry, potential, last year's sales) in USD.
    let rows: &[(&str, &str, &str, &str, &str)] = &[
        ("boston-bio", "02139", "3254", "420000", "150000"),
        ("harbor-labs", "02110", "5417", "180000", "60000"),
        ("hudson-chem", "10001", "3251", "260000", "90000"),
        ("brooklyn-dx", "11201", "3254", "150000", "40000"),
        ("empire-clinic", "12207", "6215", "120000", "35000"),
        ("lakeside-u", "60601", "6113", "300000", "110000"),
        ("prairie-ag", "46204", "1151", "90000", "30000"),
        ("helix-pharma", "07030", "3254", "510000", "210000"),
        ("lone-star-oil", "77002", "2111", "200000", "70000"),
        ("austin-semis", "78701", "3344", "340000", "120000"),
        ("peach-health", "30303", "6221", "160000", "50000"),
        ("gulf-marine", "33101", "4883", "110000", "25000"),
        ("denali-geo", "99501", "5413", "70000", "10000"),
    ];
    let mut accounts = Vec::new();
    for (id, zip, industry, potential, sales) in rows {
        accounts.push(
            Account::new(AccountId::new(id)?)
                .with_country("US")
                .with_postal_code(*zip)
                .with_industry(*industry)
                .with_named(*id == "helix-pharma")
                .with_potential(Money::parse(potential, Currency::USD)?)
                .with_last_year_sales(Money::parse(sales, Currency::USD)?),
        );
    }
    let book = AccountBook::new(Currency::USD, accounts)?;
    let assignment = Assigner::new(&tree, &rules)?.assign(&book)?;
    keep("6. placements", assignment.placements());
    for (territory, depth) in tree.territories() {
        let ids: Vec<&str> = assignment
            .placements()
            .iter()
            .filter(|p| p.territory() == Some(territory.id()))
            .map(|p| p.account().as_str())
            .collect();
        let name = territory.name().unwrap_or(territory.id().as_str());
        let indent = "  ".repeat(depth as usize);
        println!(
            "{indent}{name:<width$} {}",
            ids.join(", "),
            width = 26 - 2 * depth as usize
        );
    }
    for p in assignment.placements() {
        match p.outcome() {
            Outcome::Unassigned => println!("unassigned: {} (no rule covers Alaska)", p.account()),
            Outcome::Conflict { territories, .. } => {
                println!("conflict: {} claimed by {territories:?}", p.account());
            }
            _ => {}
        }
    }

    // Each team lead's reps cover their territory; North 1 shares 50/30/20
    // and has a lab-automation specialist as overlay.
    let share = |s: &str| -> Result<salesplan::Percent, Error> { Ok(s.parse()?) };
    let primary = |t: &str, p: &str, s: &str| -> Result<Coverage, Error> {
        Ok(Coverage::new(
            tid(t)?,
            pos(p)?,
            CoverageKind::Primary,
            share(s)?,
            start,
        ))
    };
    let coverage = CoverageTable::new(vec![
        primary("t-north-1", "n1-a", "50%")?,
        primary("t-north-1", "n1-b", "30%")?,
        primary("t-north-1", "n1-c", "20%")?,
        Coverage::new(
            tid("t-north-1")?,
            pos("north-1")?,
            CoverageKind::Overlay,
            share("10%")?,
            start,
        ),
        primary("t-north-2", "n2-a", "50%")?,
        primary("t-north-2", "n2-b", "50%")?,
        primary("t-central-1", "c1-a", "100%")?,
        primary("t-south-1", "s1-a", "60%")?,
        primary("t-south-1", "s1-b", "40%")?,
        primary("t-south-2", "s2-a", "100%")?,
    ])?;
    let source = TerritoryCoverage::new(assignment.alignment(), coverage);
    let deal_day = date(2025, 5, 12)?;
    let credited: Vec<String> = source
        .coverage(&AccountId::new("boston-bio")?, deal_day)?
        .iter()
        .map(|c| format!("{} {} {:?}", c.position(), c.share(), c.kind()))
        .collect();
    println!(
        "A deal with boston-bio on {deal_day} credits: {}",
        credited.join(", ")
    );

    let leaves = tree.leaves();
    let report = BalanceReport::new(&book, &assignment.alignment(), &leaves)?;
    keep("6. balance report", &report);
    println!();
    println!(
        "{:<14} {:>8} {:>14} {:>14} {:>10}",
        "territory", "accounts", "potential USD", "last year USD", "vs mean"
    );
    let deviations = report.potential().deviations();
    for (load, dev) in report.loads().iter().zip(deviations) {
        let vs_mean = dev.fraction().map_or("-".to_string(), |d| {
            format!("{:+.1}%", d * Decimal::ONE_HUNDRED)
        });
        println!(
            "{:<14} {:>8} {:>14} {:>14} {:>10}",
            load.territory().as_str(),
            load.accounts(),
            amount(load.potential()),
            amount(load.last_year_sales()),
            vs_mean
        );
    }
    let p = report.potential();
    let ratio = |d: Option<Decimal>| d.map_or("undefined".to_string(), |d| format!("{:.2}", d));
    println!(
        "potential: mean {} USD, max/min {}, coefficient of variation {}",
        amount(Money::new(p.mean(), Currency::USD)),
        ratio(p.max_min_ratio()),
        ratio(p.coefficient_of_variation())
    );

    let proposal = Rebalance::propose(
        &book,
        &assignment.alignment(),
        &leaves,
        &RebalanceOptions::new(share("25%")?),
    )?;
    keep("6. rebalancing proposal", &proposal);
    println!(
        "Rebalancing to within ±25% of the mean (helix-pharma is named, so locked): {} moves",
        proposal.moves().len()
    );
    for m in proposal.moves() {
        println!(
            "  move {:<14} {} -> {}  potential {} USD",
            m.account().as_str(),
            m.from().map_or("-", |t| t.as_str()),
            m.to().map_or("-", |t| t.as_str()),
            amount(m.potential())
        );
    }
    println!(
        "  worst deviation {} -> {}; within tolerance: {}",
        ratio(proposal.worst_before()),
        ratio(proposal.worst_after()),
        proposal.within_tolerance()
    );
    Ok(())
}

/// The commission plan of Aurora's reps for FY2026, per quarter.
fn aurora_comp_plan(fy: &FiscalCalendar, top_rate: &str) -> Result<CompPlan, Error> {
    let rate = |s: &str| s.parse::<Rate>();
    let at = |s: &str| parse_decimal(s);
    Ok(
        CompPlan::builder(PlanId::new("REP-FY2026")?, Currency::USD, *fy, 2026)
            .component(
                Component::new(
                    "New business",
                    CreditBasis::Revenue,
                    CompPeriod::Quarter,
                    CompRates::Tiered {
                        basis: TierBasis::Attainment,
                        method: TierMethod::Marginal,
                        tiers: vec![
                            Tier::new(at("0")?, Some(at("1")?), PayRate::Percent(rate("6%")?)),
                            Tier::new(at("1")?, None, PayRate::Percent(rate(top_rate)?)),
                        ],
                    },
                )
                .multiplier(Multiplier::above(rate("120%")?, rate("150%")?))
                .cap(Cap::Attainment(rate("250%")?)),
            )
            .component(
                Component::new(
                    "Margin",
                    CreditBasis::Margin,
                    CompPeriod::Quarter,
                    CompRates::Flat(PayRate::Percent(rate("2%")?)),
                )
                .kicker(Kicker::new(
                    "multi-year service contracts",
                    vec![Qualifier::ProductGroup(ProductGroupId::new("service")?)],
                    rate("125%")?,
                )),
            )
            .component(Component::spiff(
                "April SPIFF",
                Money::parse("500.00", Currency::USD)?,
                DateRange::new(date(2025, 4, 1)?, Some(date(2025, 5, 1)?))?,
                vec![],
                CompPeriod::Quarter,
            ))
            .build()?,
    )
}

fn comp_chapter(fy: &FiscalCalendar, org: &Org, targets: &QuotaTargets<'_>) -> Result<(), Error> {
    println!();
    println!("== 8. Q1 close: commission statements ==");
    let [q1, q2, ..] = fy.quarters(2026)?;
    let usd = |s: &str| Money::parse(s, Currency::USD);
    let tx = |id: &str,
              day: NaiveDate,
              amount: &str,
              margin: &str,
              rep: &str|
     -> Result<Transaction, Error> {
        Ok(Transaction::new(
            TransactionId::new(id)?,
            TransactionKind::Order,
            day,
            AccountId::new("acme-labs")?,
            usd(amount)?,
        )
        .with_margin(usd(margin)?)
        .with_owner(pos(rep)?))
    };
    let service = ProductGroupId::new("service")?;
    let mut txs = vec![
        tx(
            "SO-1001",
            date(2025, 2, 12)?,
            "48000.00",
            "19200.00",
            "n1-a",
        )?,
        tx("SO-1002", date(2025, 3, 3)?, "36500.00", "12775.00", "n1-a")?
            .with_product_group(service.clone()),
        tx("SO-1003", date(2025, 4, 9)?, "61000.00", "21350.00", "n1-a")?,
        tx("SO-1004", date(2025, 4, 22)?, "22750.00", "9100.00", "n1-a")?,
        tx(
            "SO-2001",
            date(2025, 2, 20)?,
            "31000.00",
            "10850.00",
            "n1-b",
        )?,
        tx(
            "SO-2002",
            date(2025, 4, 15)?,
            "27400.00",
            "10960.00",
            "n1-b",
        )?
        .with_product_group(service),
        tx("SO-2003", date(2025, 4, 29)?, "18900.00", "6615.00", "n1-b")?,
    ];
    let people = [PersonId::new("Ana Costa")?, PersonId::new("Erik Lund")?];
    let options = PersonQuotaOptions::new();
    let quotas_of = |p: &PersonId| -> Result<Quotas, Error> {
        let mut q = Quotas::new();
        for quarter in fy.quarters(2026)? {
            q = q.revenue(quarter, targets.person_quota(p, &quarter, &options)?.total);
        }
        Ok(q)
    };
    let plan = aurora_comp_plan(fy, "9%")?;
    let close = |txs: &[Transaction],
                 locked: &[Statement],
                 through: NaiveDate|
     -> Result<Vec<Vec<Statement>>, Error> {
        let run = |basis| Crediting::new(org, &CreditPlan::new(basis, Currency::USD)).run(txs);
        let (revenue, margin, deals) = (
            run(CreditBasis::Revenue)?,
            run(CreditBasis::Margin)?,
            run(CreditBasis::DealCount)?,
        );
        let comp =
            Commissions::new(&plan, &[&revenue, &margin, &deals])?.with_deals(&Deals::new(txs))?;
        let mut out = Vec::new();
        for p in &people {
            let mine: Vec<Statement> = locked.iter().filter(|s| &s.person == p).cloned().collect();
            out.push(comp.statements(p, &quotas_of(p)?, &mine, through)?);
        }
        Ok(out)
    };
    let q1_close = close(&txs, &[], q1.last_day())?;
    keep("8. Q1 statements", &q1_close);
    let q1_txs = txs.clone();
    for statements in &q1_close {
        for s in statements {
            println!();
            println!("{s}");
        }
    }

    // Q2: a return of one of Erik's Q1 deals, and a Q1 deal that reached
    // the books late. Q1 is locked: it is not recomputed.
    println!();
    println!("Q2: SO-2001 is returned in May, and SO-2004 (booked 30 April) arrives late.");
    txs.push(
        Transaction::new(
            TransactionId::new("CN-2001")?,
            TransactionKind::CreditNote,
            date(2025, 5, 14)?,
            AccountId::new("acme-labs")?,
            usd("-31000.00")?,
        )
        .with_original(TransactionId::new("SO-2001")?),
    );
    txs.push(tx(
        "SO-2004",
        date(2025, 4, 30)?,
        "12000.00",
        "4200.00",
        "n1-b",
    )?);
    txs.push(tx(
        "SO-2005",
        date(2025, 6, 2)?,
        "41000.00",
        "14350.00",
        "n1-b",
    )?);
    let locked: Vec<Statement> = q1_close.iter().flatten().cloned().collect();
    let q2_close = close(&txs, &locked, q2.last_day())?;
    keep("8. Q2 statements", &q2_close);
    if let Some(erik_q2) = q2_close.get(1).and_then(|s| s.get(1)) {
        println!();
        println!("{erik_q2}");
    }

    // What-if: the same plan over attainment, and next year's draft with a
    // 10% top tier on the same credits.
    println!();
    println!("Payout curve of \"New business\" on a 100,000.00 quota:");
    let quota = usd("100000.00")?;
    let points: Vec<Rate> = (0..=8)
        .map(|i| Rate::from_points(Decimal::from(i * 25)))
        .collect::<Result<_, _>>()?;
    let curve = plan.payout_curve("New business", quota, &points)?;
    keep("8. payout curve", &curve);
    for p in curve {
        println!(
            "  {:>5} -> {:>10}",
            p.attainment.to_string(),
            amount(p.payout)
        );
    }
    let draft = aurora_comp_plan(fy, "10%")?;
    let before: Vec<Statement> = q1_close.iter().flatten().cloned().collect();
    let run = |basis| Crediting::new(org, &CreditPlan::new(basis, Currency::USD)).run(&q1_txs);
    let (revenue, margin, deals) = (
        run(CreditBasis::Revenue)?,
        run(CreditBasis::Margin)?,
        run(CreditBasis::DealCount)?,
    );
    let draft_deals = Deals::new(&q1_txs);
    let comp = Commissions::new(&draft, &[&revenue, &margin, &deals])?.with_deals(&draft_deals)?;
    let mut after = Vec::new();
    for p in &people {
        after.extend(comp.statements(p, &quotas_of(p)?, &[], q1.last_day())?);
    }
    println!("Q1 under the draft with a 10% top tier:");
    let diff = StatementDiff::between(&before, &after)?;
    keep("8. draft plan diff", &diff);
    for row in diff {
        println!(
            "  {:<10} {:>10} -> {:>10} ({})",
            row.person.to_string(),
            row.before.map(amount).unwrap_or_default(),
            row.after.map(amount).unwrap_or_default(),
            amount(row.change)
        );
    }
    Ok(())
}

fn bonus_chapter(fy: &FiscalCalendar, org: &Org) -> Result<(), Error> {
    use salesplan::bonus::{
        Action, ActionPlan, Authority, AuthorityPolicy, Award, BonusInputs, BonusLedger, Budget,
        Contest, ContestEvent, ContestMeasure, DiscretionaryBonus, Gate, Grant, Objective,
        PayoutCurve, Power, Qualification, Request, Scope, Scorecard, TargetBonus, TeamBonus,
        TeamInputs, TeamMember, TeamSplit,
    };
    use salesplan::{Percent, PlanId};

    println!();
    println!("== 9. Bonuses and authority ==");
    let rate = |s: &str| -> Result<Rate, Error> { Ok(s.parse()?) };
    let share = |s: &str| -> Result<Percent, Error> { Ok(s.parse()?) };
    let usd = |s: &str| -> Result<Money, Error> { Ok(Money::parse(s, Currency::USD)?) };
    let who = |s: &str| -> Result<PersonId, Error> { Ok(PersonId::new(s)?) };
    let id = |s: &str| -> Result<PlanId, Error> { Ok(PlanId::new(s)?) };

    // Managers' curve: nothing below 80%, 50% at 80% rising to 100% at
    // 100%, 200% at 150%, capped there.
    let curve = PayoutCurve::new(
        [
            (rate("80%")?, rate("50%")?),
            (rate("100%")?, rate("100%")?),
            (rate("150%")?, rate("200%")?),
        ],
        rate("200%")?,
    )?;
    println!("Managers' payout curve: {curve}");
    let q1 = fy.quarters(2026)?[0];
    let quarterly = TargetBonus::new(id("rsm-q1-fy26")?, q1, curve.clone());
    let year = fy.year(2026)?;
    let annual = TargetBonus::new(id("rsm-fy26")?, year, curve.clone())
        .gate(Gate::new("annual quota", rate("100%")?));
    println!();
    println!("Regional managers' Q1 bonus (target 12,000.00 USD a quarter):");
    for (name, attainment) in [
        ("Lars Berg", "112%"),
        ("Mei Chen", "79%"),
        ("Omar Haddad", "93.5%"),
    ] {
        let inputs = BonusInputs::new(who(name)?, usd("12000")?, rate(attainment)?.fraction());
        let bonus = quarterly.compute(&inputs)?;
        keep(&format!("9. {name}'s Q1 bonus"), &bonus);
        println!(
            "  {name:<12} at {attainment:>6}: {:>10} USD ({})",
            amount(bonus.amount()),
            bonus.reading().segment()
        );
    }
    // The annual bonus is gated on the annual quota; Mei joined her seat's
    // plan on 1 May, so hers is prorated.
    let mei = BonusInputs::new(who("Mei Chen")?, usd("30000")?, rate("104%")?.fraction())
        .figure("annual quota", rate("104%")?.fraction())
        .employed(DateRange::starting(date(2025, 5, 1)?));
    println!();
    let mei_annual = annual.compute(&mei)?;
    keep("9. Mei Chen's annual bonus", &mei_annual);
    println!("{mei_annual}");

    // The North 1 team pool: 15,000 at 100% of the team's Q1 quota, split
    // by each rep's attainment.
    let snapshot = org.as_of(q1.last_day())?;
    let sold = [
        ("n1-a", "410000.00"),
        ("n1-b", "265000.00"),
        ("n1-c", "340000.00"),
    ];
    let mut credits = Vec::new();
    for (rep, total) in sold {
        credits.push((pos(rep)?, date(2025, 3, 14)?, usd(total)?));
    }
    let totals = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1),
    )?;
    let members = [
        TeamMember::new(pos("n1-a")?).quota(usd("350000")?),
        TeamMember::new(pos("n1-b")?).quota(usd("300000")?),
        TeamMember::new(pos("n1-c")?).quota(usd("320000")?),
    ];
    let team = TeamBonus::new(id("north-1-q1")?, curve, TeamSplit::ByAttainment).compute(
        &totals,
        &TeamInputs::new(pos("north-1")?, usd("15000")?, usd("970000")?).members(members),
    )?;
    keep("9. North 1 team pool", &team);
    println!();
    println!("{team}");

    // Lars's MBO card for the year.
    let card = Scorecard::new([
        Objective::new("pipeline coverage 3x", share("50%")?).cap(rate("120%")?),
        Objective::new("two new team leads hired", share("30%")?),
        Objective::new("forecast within 5%", share("20%")?),
    ])?;
    let scored = card.evaluate(&[
        ("pipeline coverage 3x", rate("135%")?),
        ("two new team leads hired", rate("50%")?),
        ("forecast within 5%", rate("100%")?),
    ])?;
    println!();
    println!("Lars Berg's MBO card:");
    keep("9. Lars Berg's MBO card", &scored);
    println!("{scored}");
    println!(
        "  on a target of 8,000.00 USD: {} USD",
        amount(scored.bonus(usd("8000")?, RoundingPolicy::HalfAwayFromZero)?)
    );

    // A Q1 new-logo contest: 3,000 / 1,500 / 500; a tie for first.
    let contest = Contest::new(
        id("q1-new-logos")?,
        q1,
        ContestMeasure::NewLogos,
        Award::TopN {
            prizes: vec![usd("3000.00")?, usd("1500.00")?, usd("500.00")?],
        },
    )?;
    let mut events = Vec::new();
    for (name, logos) in [
        ("Ana Costa", 4),
        ("Ivan Petrov", 4),
        ("Lena Vogel", 3),
        ("Gus Novak", 1),
    ] {
        events.push(ContestEvent::new(
            who(name)?,
            date(2025, 3, 3)?,
            Decimal::from(logos),
        ));
    }
    println!();
    let contest_result = contest.run(&events)?;
    keep("9. new-logo contest", &contest_result);
    println!("{contest_result}");

    // Authority: team leads coach and warn; regional managers approve
    // bonuses up to 1,000 and open improvement plans; the VP approves up
    // to 25,000 and approves action plans in advance.
    let policy = AuthorityPolicy::new()
        .grant(Grant::new(Role::TeamLead, Power::Coaching).scope(Scope::DirectReports))
        .grant(Grant::new(Role::TeamLead, Power::IssueWarning))
        .grant(Grant::new(
            Role::RegionalManager,
            Power::ApproveDiscretionaryBonus {
                up_to: Some(usd("1000.00")?),
            },
        ))
        .grant(Grant::new(
            Role::RegionalManager,
            Power::OpenImprovementPlan,
        ))
        .grant(Grant::new(
            Role::Executive,
            Power::ApproveDiscretionaryBonus {
                up_to: Some(usd("25000.00")?),
            },
        ))
        .grant(Grant::new(Role::Executive, Power::ApproveActionPlan))
        .grant(Grant::new(Role::Executive, Power::DeployActionPlan))
        .plan(ActionPlan::new(
            id("sales-training")?,
            "two-day sales training",
            who("Grace Okafor")?,
            pos("vp")?,
            date(2025, 2, 3)?,
            Qualification::below_for(rate("60%")?, 2).roles([Role::SalesRep]),
        ));
    let day = date(2025, 4, 30)?;
    let snapshot = org.as_of(day)?;
    let authority = Authority::new(&policy, &snapshot)?;
    println!();
    let q1_budget = Period::new(date(2025, 4, 1)?, date(2025, 7, 1)?)?;
    let mut ledger =
        BonusLedger::new().budget(who("Lars Berg")?, Budget::new(usd("3000.00")?, q1_budget))?;
    ledger.propose(DiscretionaryBonus::propose(
        id("db-2025-041")?,
        who("Lars Berg")?,
        who("Ana Costa")?,
        usd("2500.00")?,
        "rescued the Nordlab renewal",
        date(2025, 4, 29)?,
    ))?;
    match ledger.approve(&id("db-2025-041")?, &who("Lars Berg")?, &authority) {
        Err(e) => println!("Lars tries to approve it himself: {e}"),
        Ok(b) => println!("approved: {b}"),
    }
    let approved = ledger.approve(&id("db-2025-041")?, &who("Grace Okafor")?, &authority)?;
    keep("9. discretionary bonus approved", &approved);
    println!("{approved}");
    println!(
        "Lars's Q2 budget left: {} USD",
        amount(ledger.remaining(&who("Lars Berg")?, day)?)
    );

    // This week's escalations, checked in one call.
    let deploy = |recent: &[&str]| -> Result<Action, Error> {
        let mut attainment = Vec::new();
        for r in recent {
            attainment.push(rate(r)?.fraction());
        }
        Ok(Action::DeployActionPlan {
            plan: id("sales-training")?,
            recent_attainment: attainment,
        })
    };
    let requests = [
        Request::new(
            who("Ines Duarte")?,
            deploy(&["58%", "51%"])?,
            who("Erik Lund")?,
        ),
        Request::new(
            who("Ines Duarte")?,
            deploy(&["72%", "51%"])?,
            who("Fatima Khan")?,
        ),
        Request::new(who("Ines Duarte")?, Action::Coaching, who("Fatima Khan")?),
        Request::new(
            who("Ines Duarte")?,
            Action::OpenImprovementPlan,
            who("Erik Lund")?,
        ),
        Request::new(who("Tom Reid")?, Action::IssueWarning, who("Ana Costa")?),
    ];
    println!();
    println!("This week's escalations:");
    for result in authority.authorize_all(&requests) {
        keep(
            "9. escalation",
            &result.as_ref().map_err(ToString::to_string),
        );
        match result {
            Ok(decision) => println!("  {decision}"),
            Err(e) => println!("  refused: {e}"),
        }
    }
    Ok(())
}

/// Chapter 7: a team's weekly activity review, and the region's quarter
/// progress report as its manager reads it.
fn activity_and_progress_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
) -> Result<(), Error> {
    use salesplan::activity::{
        ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, ScoreWeights,
        TargetPlan, review,
    };
    use salesplan::perf::{
        EscalationPolicy, KindTotals, PaceCurve, PeriodKind, PeriodResult, ProgressOptions, Ratio,
        TeamProgress, period_targets,
    };

    println!();
    println!("== 7. Activity and progress ==");
    let person = |name: &str| PersonId::new(name);
    let calls = ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100)?;
    let meetings = ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5)?;
    let plan = TargetPlan::new()
        .role(Role::SalesRep, calls.clone())
        .role(Role::SalesRep, meetings.clone());
    let good_friday = date(2025, 4, 18)?;
    let work = WorkCalendar::monday_to_friday().with_holidays([good_friday]);
    let week = Period::new(date(2025, 4, 14)?, date(2025, 4, 21)?)?;
    let weights = ScoreWeights::equal().with(ActivityKind::Meeting, Decimal::from(2))?;
    let options = ReviewOptions::new()
        .work_calendar(work.clone())
        .absence(person("Erik Lund")?, Period::day(date(2025, 4, 14)?)?)
        .weights(weights.clone());
    let team: Vec<(PersonId, Role)> = ["Ana Costa", "Erik Lund", "Fatima Khan"]
        .iter()
        .map(|n| Ok((person(n)?, Role::SalesRep)))
        .collect::<Result<_, Error>>()?;
    let log = [
        ("Ana Costa", ActivityKind::ColdCall, 14, 35),
        ("Ana Costa", ActivityKind::ColdCall, 16, 45),
        ("Ana Costa", ActivityKind::Meeting, 15, 4),
        ("Ana Costa", ActivityKind::Meeting, 17, 2),
        ("Erik Lund", ActivityKind::ColdCall, 15, 48),
        ("Erik Lund", ActivityKind::Meeting, 16, 2),
    ]
    .iter()
    .map(|(who, kind, day, qty)| {
        Ok(ActivityEntry::new(
            person(who)?,
            kind.clone(),
            date(2025, 4, *day)?,
            *qty,
        )?)
    })
    .collect::<Result<Vec<_>, Error>>()?;
    println!(
        "Weekly review, North team 1 (Ines Duarte), week of {} (Good Friday off; Erik on leave Monday)",
        week.start()
    );
    println!(
        "targets: {calls_t} cold calls and {meetings_t} meetings a week; meetings weigh double",
        calls_t = calls.quantity(),
        meetings_t = meetings.quantity()
    );
    let rows = review(&team, &plan, &log, &week, &options)?;
    keep("7. North team 1 weekly review", &rows);
    for row in rows {
        println!("  {row}");
    }

    // The region's quarter, as of Thursday 17 April.
    let q1 = fy.quarters(2026)?[0];
    let as_of = date(2025, 4, 17)?;
    let snapshot = org.as_of(as_of)?;
    let plan_targets = period_targets(targets, &q1)?;
    let plan_snapshot = targets.snapshot();
    let quarter_target = NodeValues::from_fn(&snapshot, |n| {
        plan_snapshot
            .node(n.id())
            .and_then(|p| plan_targets.get(p.index()).copied())
            .unwrap_or(Money::zero(Currency::USD))
    });
    let north = snapshot.node(&pos("north")?).map(|n| n.index());
    let north = north.ok_or(CalendarError::DateOutOfRange {
        what: "north region",
        from: as_of,
    })?;
    let reps: Vec<(PositionId, Option<PersonId>)> = snapshot
        .nodes()
        .filter(|n| *n.role() == Role::SalesRep)
        .map(|n| (n.id().clone(), n.holder().cloned()))
        .collect();
    let mut credits = Vec::new();
    for (k, (rep, holder)) in (0i64..).zip(&reps) {
        if holder.is_none() {
            continue;
        }
        for deal in 0..3i64 {
            let mut cents = 1_400_000 + 560_000 * ((k * 5 + deal * 7) % 9) - 80_000 * deal;
            if holder.as_ref().is_some_and(|h| h.as_str() == "Gus Novak") {
                cents /= 2;
            }
            let day = q1
                .start()
                .checked_add_days(chrono::Days::new((k * 13 + deal * 23) as u64 % 75))
                .ok_or(CalendarError::DateOutOfRange {
                    what: "deal date",
                    from: q1.start(),
                })?;
            credits.push((
                rep.clone(),
                day,
                Money::from_minor(cents.into(), Currency::USD)?,
            ));
        }
    }
    let to_date = Period::new(q1.start(), date(2025, 4, 18)?)?;
    let actual = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(to_date),
    )?;
    // Activity to date against the prorated weekly targets.
    let so_far = to_date;
    let mut activity = NodeValues::<KindTotals>::new(&snapshot);
    for (k, (rep, holder)) in (0u64..).zip(&reps) {
        let Some(holder) = holder else { continue };
        let mut t = KindTotals::new();
        let away: Vec<Period> = if holder.as_str() == "Priya Nair" {
            vec![Period::new(q1.start(), date(2025, 3, 17)?)?]
        } else {
            Vec::new()
        };
        let call_target = calls.over(&so_far, &work, &away)?.quantity();
        let meeting_target = meetings.over(&so_far, &work, &away)?.quantity();
        // Gus's calls have dropped off; everyone else is near target.
        let pct = if holder.as_str() == "Gus Novak" {
            55
        } else {
            88 + (k * 7) % 20
        };
        t.add(0, call_target * pct / 100, call_target)?;
        t.add(1, meeting_target * (pct + 5) / 100, meeting_target)?;
        activity.add(rep, &t)?;
    }
    // Gus missed February and March; Priya, hired on 17 March, is ramping.
    let month = |m: u32, pct: i64| -> Result<PeriodResult, Error> {
        Ok(PeriodResult {
            kind: PeriodKind::Month,
            period: Period::month(2025, m)?,
            attainment: Ratio::Value(Decimal::from(pct) / Decimal::ONE_HUNDRED),
        })
    };
    let policy = EscalationPolicy::standard();
    let ramp =
        Ramp::new(["25%", "50%", "75%"].map(|p| p.parse().unwrap_or(salesplan::Percent::HUNDRED)));
    let mut actions = policy.evaluate(
        &person("Gus Novak")?,
        &[month(2, 55)?, month(3, 62)?],
        as_of,
        None,
    )?;
    let priya = policy.evaluate(
        &person("Priya Nair")?,
        &[month(3, 20)?],
        as_of,
        Some((&ramp, date(2025, 3, 17)?)),
    )?;
    let exempt = priya.is_empty();
    actions.extend(priya);
    let months = targets.split(plan_snapshot.root().index())?;
    let curve = PaceCurve::from_months(months.months(), &q1, work)?;
    let options = ProgressOptions::new(as_of, curve).activity(vec![
        (ActivityKind::ColdCall, Decimal::ONE),
        (ActivityKind::Meeting, Decimal::from(2)),
    ])?;
    let progress = TeamProgress::new(&quarter_target, &actual, options)?
        .with_activity(activity)?
        .with_actions(actions);
    println!();
    println!(
        "Q1 progress, North region, as of {as_of} ({}% of the quarter expected by the plan's seasonality)",
        (progress.expected_fraction() * Decimal::ONE_HUNDRED).round_dp(1)
    );
    keep("7. North region progress", &progress.report(north)?);
    print!("{}", progress.report(north)?);
    if exempt {
        println!("  (Priya Nair, hired 17 March, is ramping: March's 20% triggers nothing)");
    }
    for team in ["north-1", "north-2"] {
        if let Some(node) = snapshot.node(&pos(team)?) {
            keep(
                &format!("7. {team} progress"),
                &progress.report(node.index())?,
            );
            print!("{}", progress.report(node.index())?);
        }
    }
    Ok(())
}
