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
//! 5. the territory map: accounts assigned by rules, coverage, the balance
//!    report and a rebalancing proposal;
//! 6. the year's deals, booked by the reps and credited once: every
//!    figure after this chapter comes from these credits and the plan;
//! 7. Q1's sales rolled up the tree against the plan;
//! 8. activity and progress: North team 1's weekly review in Easter week,
//!    and the North region's Q1 progress report as of 17 April, with the
//!    escalations the months' attainment calls for;
//! 9. the Q1 close: two reps' commission statements in full, a dispute
//!    resolved by an approved adjustment, EUR deals converted on a
//!    statement, a plan change in mid-quarter, a rep over the quarterly
//!    cap, the payout curve and a what-if against next year's draft plan;
//! 10. bonuses and authority: the regional managers' Q1 bonus from the
//!     roll-up, a team pool, an MBO card, a new-logo contest, a
//!     discretionary bonus that needs the VP, and a pre-approved training
//!     plan;
//! 11. Q2 (a return and a late deal), the year closed in one call (every
//!     rep's pay with the capped excess carried, the regions against the
//!     plan, the managers' annual bonus from the roll-up), and a return
//!     after the year end under next year's plan.

#![allow(clippy::print_stdout, reason = "an example prints its story")]
#![allow(
    clippy::arithmetic_side_effects,
    reason = "small integers for sample data and column layout; money stays checked"
)]

use chrono::{Datelike, Month, NaiveDate};
use rust_decimal::Decimal;
use salesplan::bonus::PayoutCurve;
use salesplan::calendar::{
    DateRange, FiscalCalendar, Proration, ProrationBasis, WorkCalendar, YearNaming,
};
use salesplan::comp::{
    AssignedCommissions, Cap, Commissions, CompPeriod, CompPlan, Component, Deals, Kicker,
    Multiplier, PayRate, PlanAssignment, PlanAssignments, PlanSplit, Qualifier, Quotas,
    RateTable as CompRates, Statement, StatementDiff, Tier, TierBasis, TierMethod, carry_capped,
};
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, CreditRun, Crediting, Transaction, TransactionKind,
};
use salesplan::money::{Attainment, RateTable, parse_decimal};
use salesplan::org::{Assignment, Node, Org, OrgSnapshot, Position, ReportingLine, Role};
use salesplan::perf::period_targets;
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
    territory_chapter(&fy)?;
    let mut books = Books {
        entries: year_of_deals(&org, &targets, &eur_usd()?)?
            .into_iter()
            .map(|t| (t.booked(), t))
            .collect(),
    };
    // Nadia Aziz closes a three-year lab contract in March.
    books.enter(
        date(2025, 3, 20)?,
        Transaction::new(
            TransactionId::new("SO-s2-a-2503-9")?,
            TransactionKind::Order,
            date(2025, 3, 20)?,
            AccountId::new("new-s2-a-gulf-marine")?,
            Money::parse("260000.00", Currency::USD)?,
        )
        .with_margin(Money::parse("91000.00", Currency::USD)?)
        .with_owner(pos("s2-a")?),
    );
    // The Q1 close on 5 May credits what the books hold that day.
    let q1_books = books.on(date(2025, 5, 5)?);
    let credited = Credited::new(&org, &q1_books)?;
    deals_chapter(&fy, &books, &credited)?;
    sales_chapter(&fy, &org, &targets, &credited)?;
    activity_and_progress_chapter(&fy, &org, &targets, &credited)?;
    let q1_locked = comp_chapter(&fy, &org, &targets, &q1_books, &credited)?;
    let curve = bonus_chapter(&fy, &org, &targets, &q1_books, &credited)?;
    year_end_chapter(&fy, &org, &targets, &mut books, &q1_locked, curve)?;
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
    let rates = eur_usd()?;
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

/// Aurora's EUR to USD rates, set on the first of each month: the
/// finance team's table, used for every conversion in the story.
fn eur_usd() -> Result<RateTable, Error> {
    let monthly = [
        "1.0380", "1.0420", "1.0812", "1.1290", "1.1350", "1.1420", "1.1680", "1.1730", "1.1550",
        "1.1600", "1.1710", "1.1650", "1.1800",
    ];
    let mut rates = RateTable::new();
    for (i, rate) in (0u32..).zip(monthly) {
        let (year, month) = if i < 11 {
            (2025, i + 2)
        } else {
            (2026, i - 10)
        };
        rates = rates.with(
            Currency::EUR,
            Currency::USD,
            date(year, month, 1)?,
            parse_decimal(rate)?,
        )?;
    }
    Ok(rates)
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
        "{} positions on {}; {} people seated, {} seats vacant ({} people over the year)",
        snapshot.len(),
        snapshot.date(),
        snapshot.nodes().filter(|n| n.holder().is_some()).count(),
        snapshot.nodes().filter(|n| n.holder().is_none()).count(),
        org.people().len()
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
    println!("== 5. Territories: who covers which accounts ==");
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
    keep("5. placements", assignment.placements());
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
    keep("5. balance report", &report);
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
    keep("5. rebalancing proposal", &proposal);
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

/// The commission plan `id` of Aurora's reps for fiscal `year`, per
/// quarter, with `top_rate` above quota and new business capped at
/// 20,000.00 a quarter; FY2026's has an April SPIFF.
fn aurora_comp_plan(
    fy: &FiscalCalendar,
    year: i32,
    id: &str,
    top_rate: &str,
) -> Result<CompPlan, Error> {
    let rate = |s: &str| s.parse::<Rate>();
    let at = |s: &str| parse_decimal(s);
    let plan = CompPlan::builder(PlanId::new(id)?, Currency::USD, *fy, year)
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
            .cap(Cap::Attainment(rate("250%")?))
            .cap(Cap::PerPeriod(Money::parse("20000.00", Currency::USD)?)),
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
        );
    let plan = if year == 2026 {
        plan.component(Component::spiff(
            "April SPIFF",
            Money::parse("500.00", Currency::USD)?,
            DateRange::new(date(2025, 4, 1)?, Some(date(2025, 5, 1)?))?,
            vec![],
            CompPeriod::Quarter,
        ))
    } else {
        plan
    };
    Ok(plan.build()?)
}

/// How each rep sells against their seat's monthly target, in percent:
/// Nadia Aziz far above, Gus Novak and Marco Rossi well below.
const FORM: &[(&str, i64)] = &[
    ("n1-a", 128),
    ("n1-b", 78),
    ("n1-c", 104),
    ("n2-a", 58),
    ("n2-b", 96),
    ("n2-c", 112),
    ("c1-a", 101),
    ("c1-b", 97),
    ("c1-c", 103),
    ("c1-d", 92),
    ("s1-a", 113),
    ("s1-b", 71),
    ("s2-a", 150),
];

/// The year's orders as the CRM books them: two a month for each rep while
/// their seat is held, sized from the seat's month target in the plan (a
/// new hire's ramped quota) and the rep's form, so every later figure
/// follows from the plan and these.
/// Julia Roth's customers are in Europe: her deals are quoted in EUR.
fn year_of_deals(
    org: &Org,
    targets: &QuotaTargets<'_>,
    rates: &RateTable,
) -> Result<Vec<Transaction>, Error> {
    // Whole fifties, as the deals are quoted.
    let quote = |d: Decimal, currency| -> Result<Money, Error> {
        let mut fifties = (d / Decimal::from(50)).round() * Decimal::from(50);
        fifties.rescale(2);
        Ok(Money::new(fifties, currency))
    };
    // A new hire sells against her ramped quota, not her seat's.
    let (ramp, hired) = priya_ramp()?;
    let priya = PersonId::new("Priya Nair")?;
    let ramped = PersonQuotaOptions::new().ramp(ramp, hired);
    let service = ProductGroupId::new("service")?;
    let mut deals = Vec::new();
    for (k, (seat, form)) in (0i64..).zip(FORM) {
        let Some(node) = targets.snapshot().node(&pos(seat)?) else {
            continue;
        };
        let split = targets.split(node.index())?;
        for (i, (month, target)) in (0i64..).zip(split.months()) {
            let pct = form + (k * 7 + i * 3) % 11 - 5;
            let target = if *seat == "n2-c" {
                if month.end() <= hired {
                    Money::zero(Currency::USD)
                } else {
                    targets.person_quota(&priya, month, &ramped)?.total
                }
            } else {
                *target
            };
            let month_sales = target.amount() * Decimal::from(pct) / Decimal::ONE_HUNDRED;
            let margin_pct = Decimal::from(35 + (k % 3) * 4) / Decimal::ONE_HUNDRED;
            for (n, (share, day)) in [(60, 4 + (k * 3) % 9), (40, 14 + (k * 5) % 12)]
                .into_iter()
                .enumerate()
            {
                let booked = date(month.start().year(), month.start().month(), day as u32)?;
                let held = org
                    .as_of(booked)?
                    .node(&pos(seat)?)
                    .is_some_and(|n| n.holder().is_some());
                if !held || month_sales.is_zero() {
                    continue;
                }
                let mut value = month_sales * Decimal::from(share) / Decimal::ONE_HUNDRED;
                let mut currency = Currency::USD;
                if *seat == "c1-b" {
                    value /= rates.rate(Currency::EUR, Currency::USD, month.start())?;
                    currency = Currency::EUR;
                }
                let value = quote(value, currency)?;
                let new_logo =
                    (k * k + 3 * i + 2 * n as i64) % 5 == 0 || (n == 1 && (k + i) % 6 == 0);
                let account = if new_logo {
                    format!("new-{seat}-{}", booked.format("%Y%m"))
                } else {
                    format!("{}-account-{}", &seat[..2], (k + i) % 3)
                };
                let mut deal = Transaction::new(
                    TransactionId::new(&format!("SO-{seat}-{}-{}", booked.format("%y%m"), n + 1))?,
                    TransactionKind::Order,
                    booked,
                    AccountId::new(&account)?,
                    value,
                )
                .with_margin(quote(value.amount() * margin_pct, currency)?)
                .with_owner(pos(seat)?);
                if n == 0 && (k + i) % 3 == 0 {
                    deal = deal.with_product_group(service.clone());
                }
                deals.push(deal);
            }
        }
    }
    Ok(deals)
}

/// The books: every order, return and credit note with the day it reached
/// the books (a deal can arrive after its booking date).
struct Books {
    entries: Vec<(NaiveDate, Transaction)>,
}

impl Books {
    /// What the books held on `day`.
    fn on(&self, day: NaiveDate) -> Vec<Transaction> {
        self.entries
            .iter()
            .filter(|(entered, _)| *entered <= day)
            .map(|(_, t)| t.clone())
            .collect()
    }

    /// Adds `t`, entered on `day`.
    fn enter(&mut self, day: NaiveDate, t: Transaction) {
        self.entries.push((day, t));
    }
}

/// A feed's credit for the plan's three measures: each is a `CreditRun`
/// that the roll-up, the progress report and the statements all read.
struct Credited {
    revenue: CreditRun,
    margin: CreditRun,
    deals: CreditRun,
}

impl Credited {
    /// Credits `feed` in USD, converting EUR deals at the rate of their
    /// booking date (the plan's rate date).
    fn new(org: &Org, feed: &[Transaction]) -> Result<Credited, Error> {
        let rates = eur_usd()?;
        let run = |basis| {
            Crediting::new(org, &CreditPlan::new(basis, Currency::USD))
                .with_rates(&rates)
                .run(feed)
        };
        Ok(Credited {
            revenue: run(CreditBasis::Revenue)?,
            margin: run(CreditBasis::Margin)?,
            deals: run(CreditBasis::DealCount)?,
        })
    }

    /// The revenue credited to each seat (direct and overlay lines), as
    /// the roll-up engine takes it: it adds the managers' roll-up itself.
    fn revenue_credits(&self) -> Vec<(PositionId, NaiveDate, Money)> {
        let currency = self.revenue.currency();
        self.revenue
            .lines()
            .iter()
            .filter(|l| l.kind() != CreditKind::RollUp)
            .map(|l| {
                (
                    l.position().clone(),
                    l.date(),
                    Money::new(l.amount(), currency),
                )
            })
            .collect()
    }

    /// `person`'s direct revenue credit in `period`.
    fn sold_by(&self, person: &PersonId, period: Period) -> Result<Decimal, Error> {
        let mut sold = Money::zero(self.revenue.currency());
        for line in self.revenue.lines_in(period) {
            if line.kind() == CreditKind::Direct && line.person() == Some(person) {
                sold = sold.checked_add(Money::new(line.amount(), sold.currency()))?;
            }
        }
        Ok(sold.amount())
    }
}

/// Each seat's target for `period` from the plan, on `snapshot`.
fn seat_targets<'s>(
    snapshot: &'s OrgSnapshot,
    targets: &QuotaTargets<'_>,
    period: &Period,
) -> Result<NodeValues<'s, Money>, Error> {
    let in_plan = period_targets(targets, period)?;
    let plan_snapshot = targets.snapshot();
    Ok(NodeValues::from_fn(snapshot, |n| {
        plan_snapshot
            .node(n.id())
            .and_then(|p| in_plan.get(p.index()).copied())
            .unwrap_or(Money::zero(Currency::USD))
    }))
}

/// Priya Nair was hired on 17 March on a 0/25/50/75% ramp.
fn priya_ramp() -> Result<(Ramp, NaiveDate), Error> {
    let steps = ["0%", "25%", "50%", "75%"]
        .map(str::parse)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Ramp::new(steps), date(2025, 3, 17)?))
}

/// A person's revenue quota per quarter of `year`, from the plan (ramped
/// for a new hire).
fn quotas_of(
    fy: &FiscalCalendar,
    targets: &QuotaTargets<'_>,
    person: &PersonId,
) -> Result<Quotas, Error> {
    let mut options = PersonQuotaOptions::new();
    if person.as_str() == "Priya Nair" {
        let (ramp, hired) = priya_ramp()?;
        options = options.ramp(ramp, hired);
    }
    let mut quotas = Quotas::new();
    for quarter in fy.quarters(2026)? {
        quotas = quotas.revenue(
            quarter,
            targets.person_quota(person, &quarter, &options)?.total,
        );
    }
    Ok(quotas)
}

fn deals_chapter(fy: &FiscalCalendar, books: &Books, credited: &Credited) -> Result<(), Error> {
    println!();
    println!("== 6. The year's deals, credited once ==");
    let all = books.on(fy.year(2026)?.last_day());
    println!(
        "{} orders booked in FY2026, two a month per rep while the seat is held, each sized",
        all.len()
    );
    println!(
        "from the seat's month target and the rep's form (Nadia far above, Gus and Marco below)."
    );
    let erik = pos("n1-b")?;
    let q1 = fy.quarters(2026)?[0];
    println!("Erik Lund's Q1 orders:");
    let mut kept = Vec::new();
    for t in all
        .iter()
        .filter(|t| t.owners().iter().any(|o| o.position() == &erik) && q1.contains(t.booked()))
    {
        kept.push((t.id().clone(), t.booked(), t.amount()));
        println!(
            "  {:<18} {}  {:>10}  margin {:>9}{}",
            t.id().to_string(),
            t.booked(),
            amount(t.amount()),
            t.margin().map(amount).unwrap_or_default(),
            if t.product_group().is_some() {
                "  service contract"
            } else {
                ""
            }
        );
    }
    keep("6. Erik Lund's Q1 orders", &kept);
    println!(
        "Julia Roth sells in EUR; each deal is credited in USD at the rate of its booking date:"
    );
    let julia = pos("c1-b")?;
    let mut converted = Vec::new();
    for t in all
        .iter()
        .filter(|t| t.owners().iter().any(|o| o.position() == &julia) && q1.contains(t.booked()))
    {
        if let Some(c) = credited.revenue.conversion(t.id()) {
            converted.push(c.clone());
            println!("  {c}");
        }
    }
    keep("6. Julia Roth's Q1 conversions", &converted);
    Ok(())
}

fn sales_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
    credited: &Credited,
) -> Result<(), Error> {
    println!();
    println!("== 7. Q1 sales rolled up against the plan ==");
    let q1 = fy.quarters(2026)?[0];
    let snapshot = org.as_of(q1.last_day())?;
    let quotas = seat_targets(&snapshot, targets, &q1)?;
    let credits = credited.revenue_credits();
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
    keep("7. Q1 subtree totals, quotas and attainment", &rows);
    println!(
        "Q1 FY2026 ({} .. {}), org as of {}, {} credit lines",
        q1.start(),
        q1.last_day(),
        snapshot.date(),
        credited.revenue.lines_in(q1).count()
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

/// Chapter 8: a team's weekly activity review, and the region's quarter
/// progress report as its manager reads it, from the credited deals.
fn activity_and_progress_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
    credited: &Credited,
) -> Result<(), Error> {
    use salesplan::activity::{
        ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, ScoreWeights,
        TargetPlan, review,
    };
    use salesplan::perf::{
        EscalationPolicy, KindTotals, PaceCurve, PeriodKind, PeriodResult, ProgressOptions, Ratio,
        TeamProgress,
    };

    println!();
    println!("== 8. Activity and progress ==");
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
    keep("8. North team 1 weekly review", &rows);
    for row in rows {
        println!("  {row}");
    }

    // The region's quarter, as of Thursday 17 April.
    let q1 = fy.quarters(2026)?[0];
    let as_of = date(2025, 4, 17)?;
    let snapshot = org.as_of(as_of)?;
    let quarter_target = seat_targets(&snapshot, targets, &q1)?;
    let plan_snapshot = targets.snapshot();
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
    // What the books held that morning: the deals booked through 17 April.
    let credits = credited.revenue_credits();
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
    // Each month's attainment, from the credits and the person's month
    // quota: Gus Novak has been below 70% twice; Priya Nair, hired on 17
    // March, is ramping, so her March triggers nothing.
    let month = |who: &PersonId, m: u32| -> Result<PeriodResult, Error> {
        let period = Period::month(2025, m)?;
        let quota = targets.person_quota(who, &period, &PersonQuotaOptions::new())?;
        let sold = credited.sold_by(who, period)?;
        Ok(PeriodResult {
            kind: PeriodKind::Month,
            period,
            attainment: Ratio::of(sold, quota.total.amount())?,
        })
    };
    let policy = EscalationPolicy::standard();
    let (gus, priya) = (person("Gus Novak")?, person("Priya Nair")?);
    let mut actions = policy.evaluate(&gus, &[month(&gus, 2)?, month(&gus, 3)?], as_of, None)?;
    let (ramp, hired) = priya_ramp()?;
    let priya_actions =
        policy.evaluate(&priya, &[month(&priya, 3)?], as_of, Some((&ramp, hired)))?;
    let exempt = priya_actions.is_empty();
    actions.extend(priya_actions);
    let months = targets.split(plan_snapshot.root().index())?;
    let curve = PaceCurve::from_months(months.months(), &q1, work)?;
    let options = ProgressOptions::new(as_of, curve).activity(vec![
        (ActivityKind::ColdCall, Decimal::ONE),
        (ActivityKind::Meeting, Decimal::from(2)),
    ])?;
    // Priya Nair is measured as a person: against her own ramped quota for
    // the days she has held her seat, and her own credit.
    let (ramp, hired) = priya_ramp()?;
    let priya_quota =
        targets.person_quota(&priya, &q1, &PersonQuotaOptions::new().ramp(ramp, hired))?;
    let priya_sold = Money::new(credited.sold_by(&priya, to_date)?, Currency::USD);
    let progress = TeamProgress::new(&quarter_target, &actual, options)?
        .with_activity(activity)?
        .with_actions(actions)
        .measure_person(&priya_quota, priya_sold)?;
    println!();
    println!(
        "Q1 progress, North region, as of {as_of} ({}% of the quarter expected by the plan's seasonality)",
        (progress.expected_fraction() * Decimal::ONE_HUNDRED).round_dp(1)
    );
    keep("8. North region progress", &progress.report(north)?);
    print!("{}", progress.report(north)?);
    if exempt {
        println!("  (Priya Nair, hired 17 March, is ramping: her March triggers nothing)");
    }
    for team in ["north-1", "north-2"] {
        if let Some(node) = snapshot.node(&pos(team)?) {
            keep(
                &format!("8. {team} progress"),
                &progress.report(node.index())?,
            );
            print!("{}", progress.report(node.index())?);
        }
    }
    Ok(())
}

/// The two reps whose statements the story prints in full.
fn north_one_reps() -> Result<[PersonId; 2], Error> {
    Ok([PersonId::new("Ana Costa")?, PersonId::new("Erik Lund")?])
}

/// Each person's statements through `through` under `plan`, from `credited`
/// and their own locked statements.
fn close(
    plan: &CompPlan,
    credited: &Credited,
    feed: &[Transaction],
    quotas: &[(PersonId, Quotas)],
    locked: &[Statement],
    through: NaiveDate,
) -> Result<Vec<Vec<Statement>>, Error> {
    let deals = Deals::new(feed);
    let comp = Commissions::new(
        plan,
        &[&credited.revenue, &credited.margin, &credited.deals],
    )?
    .with_deals(&deals)?;
    let mut out = Vec::new();
    for (person, quota) in quotas {
        let mine: Vec<Statement> = locked
            .iter()
            .filter(|s| &s.person == person)
            .cloned()
            .collect();
        out.push(comp.statements(person, quota, &mine, through)?);
    }
    Ok(out)
}

/// FY2026's plans: every rep on REP-FY2026, except that Lena Vogel moves
/// to the senior plan (an 11% top tier) on 16 March. Both cap a quarter's
/// new business, which the days of a split quarter cannot prorate, so
/// Aurora's policy is that the plan in force at a quarter's end pays the
/// quarter.
struct Fy2026Plans {
    rep: CompPlan,
    senior: CompPlan,
    assignments: PlanAssignments,
}

impl Fy2026Plans {
    fn new(fy: &FiscalCalendar, org: &Org) -> Result<Fy2026Plans, Error> {
        let rep = aurora_comp_plan(fy, 2026, "REP-FY2026", "9%")?;
        let senior = aurora_comp_plan(fy, 2026, "REP-SENIOR-FY2026", "11%")?;
        let year = fy.year(2026)?;
        let lena = PersonId::new("Lena Vogel")?;
        let promoted = date(2025, 3, 16)?;
        let mut assignments = Vec::new();
        for person in org.people() {
            if person == &lena {
                assignments.push(PlanAssignment {
                    person: person.clone(),
                    plan: rep.id().clone(),
                    during: DateRange::new(year.start(), Some(promoted))?,
                });
                assignments.push(PlanAssignment {
                    person: person.clone(),
                    plan: senior.id().clone(),
                    during: DateRange::starting(promoted),
                });
            } else {
                assignments.push(PlanAssignment {
                    person: person.clone(),
                    plan: rep.id().clone(),
                    during: DateRange::starting(year.start()),
                });
            }
        }
        Ok(Fy2026Plans {
            rep,
            senior,
            assignments: PlanAssignments::new(assignments)?,
        })
    }

    /// Each person's statements through `through` under the plans in
    /// force, from `credited` and their own locked statements; new
    /// business capped in a quarter is carried to later quarters with
    /// room.
    fn close(
        &self,
        credited: &Credited,
        feed: &[Transaction],
        quotas: &[(PersonId, Quotas)],
        locked: &[Statement],
        through: NaiveDate,
    ) -> Result<Vec<Vec<Statement>>, Error> {
        let deals = Deals::new(feed);
        let runs = [&credited.revenue, &credited.margin, &credited.deals];
        let comp = AssignedCommissions::new(&[&self.rep, &self.senior], &self.assignments, &runs)?
            .with_deals(&deals)
            .split(PlanSplit::PeriodEnd);
        let mut out = Vec::new();
        for (person, quota) in quotas {
            let mine: Vec<Statement> = locked
                .iter()
                .filter(|s| &s.person == person)
                .cloned()
                .collect();
            let all = comp.statements(person, quota, &mine, through)?;
            let (on_rep, other): (Vec<Statement>, Vec<Statement>) =
                all.into_iter().partition(|s| &s.plan == self.rep.id());
            let mut statements = carry_capped(&self.rep, &on_rep)?;
            statements.extend(other);
            statements.sort_by_key(|s| s.period.start());
            out.push(statements);
        }
        Ok(out)
    }
}

fn comp_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
    q1_books: &[Transaction],
    credited: &Credited,
) -> Result<Vec<Statement>, Error> {
    use salesplan::bonus::Authority;
    use salesplan::comp::{Adjustment, Dispute};
    println!();
    println!("== 9. Q1 close: commission statements ==");
    let q1 = fy.quarters(2026)?[0];
    let plans = Fy2026Plans::new(fy, org)?;
    let plan = &plans.rep;
    let who = |s: &str| PersonId::new(s);
    let mut quotas = Vec::new();
    for p in north_one_reps()? {
        let q = quotas_of(fy, targets, &p)?;
        quotas.push((p, q));
    }
    let q1_close = plans.close(credited, q1_books, &quotas, &[], q1.last_day())?;
    keep("9. Q1 statements", &q1_close);
    for statements in &q1_close {
        for s in statements {
            println!();
            println!("{s}");
        }
    }
    let mut locked: Vec<Statement> = q1_close.iter().flatten().cloned().collect();

    // Before Q1 is locked, Erik disputes his margin line: SO-n1-b-2503-2
    // was a service contract the CRM booked without its product group, so
    // its kicker was missed. Ines proposes the missing 25% of 2% on
    // 5,150.00 as an adjustment of Q1 (dated its last day); she may not
    // approve it herself, and her regional manager may.
    let erik = who("Erik Lund")?;
    if let Some(at) = locked.iter().position(|s| s.person == erik) {
        let statement = locked.remove(at);
        let line = statement
            .lines()
            .iter()
            .position(|l| l.component.as_str() == "Margin")
            .unwrap_or_default();
        let dispute = Dispute::new(
            &statement,
            line,
            erik.clone(),
            date(2025, 5, 7)?,
            "SO-n1-b-2503-2 is a three-year service contract: the kicker is missing",
        )?;
        let proposal = Adjustment::resolving(
            dispute,
            Money::parse("25.75", Currency::USD)?,
            q1.last_day(),
            "service kicker on SO-n1-b-2503-2 (25% of 2% of 5,150.00)",
            who("Ines Duarte")?,
        );
        let policy = authority_policy()?;
        let snapshot = org.as_of(date(2025, 5, 8)?)?;
        let authority = Authority::new(&policy, &snapshot)?;
        println!();
        if let Err(e) = authority.approve_adjustment(proposal.clone(), &who("Ines Duarte")?) {
            println!("Ines Duarte tries to approve her own proposal: {e}");
        }
        let approved = authority.approve_adjustment(proposal, &who("Lars Berg")?)?;
        let adjusted = statement.adjust(&approved)?;
        keep("9. Erik Lund's adjusted Q1 statement", &adjusted);
        println!("{adjusted}");
        locked.push(adjusted);
    }

    // Julia Roth's statement shows how each EUR deal was converted. Lena
    // Vogel moved to the senior plan on 16 March: the plan in force at the
    // quarter's end pays her quarter. Nadia Aziz's March contract takes
    // her past the cap.
    for name in ["Julia Roth", "Lena Vogel", "Nadia Aziz"] {
        let person = who(name)?;
        let quota = [(person.clone(), quotas_of(fy, targets, &person)?)];
        let statements = plans.close(credited, q1_books, &quota, &[], q1.last_day())?;
        keep(&format!("9. {name}'s Q1 statements"), &statements);
        for s in statements.iter().flatten() {
            println!();
            println!("{s}");
        }
        locked.extend(statements.into_iter().flatten());
    }

    // What-if: the plan over attainment, and next year's draft with a 10%
    // top tier on the same credits.
    println!();
    println!("Payout curve of \"New business\" on a 100,000.00 quota:");
    let quota = Money::parse("100000.00", Currency::USD)?;
    let points: Vec<Rate> = (0..=8)
        .map(|i| Rate::from_points(Decimal::from(i * 25)))
        .collect::<Result<_, _>>()?;
    let curve = plan.payout_curve("New business", quota, &points)?;
    keep("9. payout curve", &curve);
    for p in curve {
        println!(
            "  {:>5} -> {:>10}",
            p.attainment.to_string(),
            amount(p.payout)
        );
    }
    let draft = aurora_comp_plan(fy, 2026, "REP-FY2027-draft", "10%")?;
    let before: Vec<Statement> = q1_close.iter().flatten().cloned().collect();
    let after: Vec<Statement> = close(&draft, credited, q1_books, &quotas, &[], q1.last_day())?
        .into_iter()
        .flatten()
        .collect();
    println!("Q1 under next year's draft, with a 10% top tier:");
    let diff = StatementDiff::between(&before, &after)?;
    keep("9. draft plan diff", &diff);
    for row in diff {
        println!(
            "  {:<10} {:>10} -> {:>10} ({})",
            row.person.to_string(),
            row.before.map(amount).unwrap_or_default(),
            row.after.map(amount).unwrap_or_default(),
            amount(row.change)
        );
    }
    Ok(locked)
}

/// Aurora's authority policy: team leads coach and warn; regional
/// managers approve bonuses and commission adjustments up to 1,000.00 and
/// open improvement plans; the VP approves up to 25,000.00 and approves
/// action plans in advance.
fn authority_policy() -> Result<salesplan::bonus::AuthorityPolicy, Error> {
    use salesplan::bonus::{ActionPlan, AuthorityPolicy, Grant, Power, Qualification, Scope};
    let usd = |s: &str| Money::parse(s, Currency::USD);
    let rate = |s: &str| -> Result<Rate, Error> { Ok(s.parse()?) };
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
        .grant(Grant::new(
            Role::RegionalManager,
            Power::ApproveAdjustment {
                up_to: Some(usd("1000.00")?),
            },
        ))
        .grant(Grant::new(
            Role::Executive,
            Power::ApproveAdjustment {
                up_to: Some(usd("25000.00")?),
            },
        ))
        .grant(Grant::new(Role::Executive, Power::ApproveActionPlan))
        .grant(Grant::new(Role::Executive, Power::DeployActionPlan))
        .plan(ActionPlan::new(
            PlanId::new("sales-training")?,
            "two-day sales training",
            PersonId::new("Grace Okafor")?,
            pos("vp")?,
            date(2025, 2, 3)?,
            Qualification::below_for(rate("60%")?, 2).roles([Role::SalesRep]),
        ));
    Ok(policy)
}

fn bonus_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
    q1_books: &[Transaction],
    credited: &Credited,
) -> Result<PayoutCurve, Error> {
    use salesplan::bonus::{
        Action, Authority, Award, BonusInputs, BonusLedger, Budget, Contest, ContestEvent,
        ContestMeasure, DiscretionaryBonus, Objective, Request, Scorecard, TargetBonus, TeamBonus,
        TeamInputs, TeamMember, TeamSplit,
    };
    use salesplan::{Percent, PlanId};

    println!();
    println!("== 10. Bonuses and authority ==");
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
    // Q1's roll-up, as chapter 7 printed it: each manager's attainment is
    // their subtree's credit over their seat's Q1 target.
    let snapshot = org.as_of(q1.last_day())?;
    let quotas = seat_targets(&snapshot, targets, &q1)?;
    let credits = credited.revenue_credits();
    let totals = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1),
    )?;
    let attainment_of = |seat: &str| -> Result<(Rate, Money), Error> {
        let node = snapshot.node(&pos(seat)?).map(|n| n.index());
        let quota = node
            .and_then(|i| quotas.get(i).copied())
            .unwrap_or(Money::zero(Currency::USD));
        let ratio = totals
            .attainment(&pos(seat)?, quota)?
            .ratio()
            .unwrap_or(Decimal::ZERO);
        Ok((Rate::new(ratio.round_dp(4))?, quota))
    };
    println!();
    println!(
        "Regional managers' Q1 bonus (target 12,000.00 USD a quarter), attainment from the roll-up:"
    );
    for (name, seat) in [
        ("Lars Berg", "north"),
        ("Mei Chen", "central"),
        ("Omar Haddad", "south"),
    ] {
        let (attainment, _) = attainment_of(seat)?;
        let inputs = BonusInputs::new(who(name)?, usd("12000")?, attainment.fraction());
        let bonus = quarterly.compute(&inputs)?;
        keep(&format!("10. {name}'s Q1 bonus"), &bonus);
        println!(
            "  {name:<12} at {:>8}: {:>10} USD ({})",
            attainment.to_string(),
            amount(bonus.amount()),
            bonus.reading().segment()
        );
    }

    // The North 1 team pool: 15,000 at 100% of the team's Q1 target, split
    // by each rep's attainment of their seat's Q1 target.
    let mut members = Vec::new();
    for seat in ["n1-a", "n1-b", "n1-c"] {
        let (_, quota) = attainment_of(seat)?;
        members.push(TeamMember::new(pos(seat)?).quota(quota));
    }
    let (_, team_target) = attainment_of("north-1")?;
    let team = TeamBonus::new(id("north-1-q1")?, curve.clone(), TeamSplit::ByAttainment).compute(
        &totals,
        &TeamInputs::new(pos("north-1")?, usd("15000")?, team_target).members(members),
    )?;
    keep("10. North 1 team pool", &team);
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
    keep("10. Lars Berg's MBO card", &scored);
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
    // A new logo is an order from an account never sold to before.
    let mut events = Vec::new();
    for t in q1_books
        .iter()
        .filter(|t| t.account().as_str().starts_with("new-"))
    {
        for owner in t.owners() {
            if let Some(holder) = snapshot
                .node(owner.position())
                .and_then(|n| n.holder().cloned())
            {
                events.push(ContestEvent::new(holder, t.booked(), Decimal::ONE));
            }
        }
    }
    println!();
    let contest_result = contest.run(&events)?;
    keep("10. new-logo contest", &contest_result);
    println!("{contest_result}");

    // Authority: team leads coach and warn; regional managers approve
    // bonuses up to 1,000 and open improvement plans; the VP approves up
    // to 25,000 and approves action plans in advance.
    let policy = authority_policy()?;
    let day = date(2025, 4, 30)?;
    let snapshot = org.as_of(day)?;
    let authority = Authority::new(&policy, &snapshot)?;
    println!();
    let mut ledger =
        BonusLedger::new().budget(who("Lars Berg")?, Budget::new(usd("3000.00")?, q1))?;
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
    keep("10. discretionary bonus approved", &approved);
    println!("{approved}");
    println!(
        "Lars's Q1 budget left: {} USD",
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
            "10. escalation",
            &result.as_ref().map_err(ToString::to_string),
        );
        match result {
            Ok(decision) => println!("  {decision}"),
            Err(e) => println!("  refused: {e}"),
        }
    }
    Ok(curve)
}

fn year_end_chapter(
    fy: &FiscalCalendar,
    org: &Org,
    targets: &QuotaTargets<'_>,
    books: &mut Books,
    q1_locked: &[Statement],
    curve: PayoutCurve,
) -> Result<(), Error> {
    use salesplan::bonus::TargetBonus;
    use salesplan::close::Close;
    use salesplan::perf::PaceCurve;
    println!();
    println!("== 11. Q2, the year end and after ==");
    let [_, q2, ..] = fy.quarters(2026)?;
    let year = fy.year(2026)?;
    let usd = |s: &str| Money::parse(s, Currency::USD);
    // Erik's first February order is returned in May; an order he booked
    // on 30 April reached the books only on 6 May, after the Q1 close.
    let first = TransactionId::new("SO-n1-b-2502-1")?;
    let returned = books
        .on(year.last_day())
        .into_iter()
        .find(|t| t.id() == &first)
        .map(|t| t.amount());
    let returned = returned.ok_or(CalendarError::DateOutOfRange {
        what: "Erik's first order",
        from: year.start(),
    })?;
    books.enter(
        date(2025, 5, 14)?,
        Transaction::new(
            TransactionId::new("CN-n1-b-1")?,
            TransactionKind::CreditNote,
            date(2025, 5, 14)?,
            AccountId::new("n1-account-1")?,
            Money::zero(Currency::USD).checked_sub(returned)?,
        )
        .with_original(first.clone()),
    );
    books.enter(
        date(2025, 5, 6)?,
        Transaction::new(
            TransactionId::new("SO-n1-b-2504-9")?,
            TransactionKind::Order,
            date(2025, 4, 30)?,
            AccountId::new("n1-account-2")?,
            usd("12000.00")?,
        )
        .with_margin(usd("4200.00")?)
        .with_owner(pos("n1-b")?),
    );
    println!(
        "{first} ({}) is returned on 14 May; SO-n1-b-2504-9 (12,000.00, booked 30 April) reaches the books on 6 May.",
        amount(returned)
    );
    let plans = Fy2026Plans::new(fy, org)?;
    let feed = books.on(year.last_day());
    let credited = Credited::new(org, &feed)?;
    let erik = PersonId::new("Erik Lund")?;
    let erik_quotas = [(erik.clone(), quotas_of(fy, targets, &erik)?)];
    let q2_close = plans.close(&credited, &feed, &erik_quotas, q1_locked, q2.last_day())?;
    keep("11. Erik Lund's Q2 statement", &q2_close);
    if let Some(erik_q2) = q2_close.first().and_then(|s| s.get(1)) {
        println!();
        println!("{erik_q2}");
    }

    // The year close, as one call: the feed credited (revenue, margin and
    // deal count, EUR converted), the year's roll-up against the plan (each
    // sale by the chain in force on its booking date: Noah Silva's to
    // Central until 31 July, to South from 1 August), every rep's pay under
    // the plans in force with Q1 as it was locked and capped pay carried,
    // and the regional managers' annual bonus on the payout curve, their
    // attainment taken from the roll-up.
    let rates = eur_usd()?;
    let revenue = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let margin = CreditPlan::new(CreditBasis::Margin, Currency::USD);
    let deal_count = CreditPlan::new(CreditBasis::DealCount, Currency::USD);
    let both = [&plans.rep, &plans.senior];
    let annual = TargetBonus::new(PlanId::new("rsm-fy26")?, year, curve);
    let snapshot = org.as_of(year.last_day())?;
    let mut people = Vec::new();
    for node in snapshot.nodes().filter(|n| *n.role() == Role::SalesRep) {
        if let Some(holder) = node.holder() {
            let locked: Vec<Statement> = q1_locked
                .iter()
                .filter(|s| &s.person == holder)
                .cloned()
                .collect();
            people.push((holder.clone(), quotas_of(fy, targets, holder)?, locked));
        }
    }
    let mut year_close = Close::new(org, year, year.last_day())
        .credit(&revenue, Some(&rates), &feed)
        .also_credit(&margin)
        .also_credit(&deal_count)
        .quotas(
            targets,
            PaceCurve::working_days(year, WorkCalendar::monday_to_friday()),
        )
        .assignments(&both, &plans.assignments)
        .plan_split(PlanSplit::PeriodEnd)
        .carry_capped();
    for (person, quotas, locked) in &people {
        year_close = year_close.person(person.clone(), quotas.clone(), locked);
    }
    for region in ["north", "central", "south"] {
        year_close = year_close.bonus(pos(region)?, &annual, usd("30000")?);
    }
    let closed = year_close.run()?;
    println!();
    println!("FY2026 close: commissions per rep (USD):");
    println!(
        "{:<14} {:>10} {:>10} {:>10} {:>10} {:>11}",
        "rep", "Q1", "Q2", "Q3", "Q4", "year"
    );
    let mut pay_rows = Vec::new();
    for (person, _, _) in &people {
        // A quarter under two plans (Lena's Q1) is paid by both.
        let mut year_total = Money::zero(Currency::USD);
        let mut cells = Vec::new();
        for quarter in fy.quarters(2026)? {
            let mut paid = Money::zero(Currency::USD);
            for s in closed
                .statements
                .iter()
                .filter(|s| &s.person == person && s.period == quarter)
            {
                paid = paid.checked_add(s.total)?;
            }
            year_total = year_total.checked_add(paid)?;
            cells.push(format!("{:>10}", amount(paid)));
        }
        pay_rows.push((person.clone(), year_total));
        println!(
            "{:<14} {} {:>11}",
            person.to_string(),
            cells.join(" "),
            amount(year_total)
        );
    }
    keep("11. FY2026 pay per rep", &pay_rows);
    println!();
    println!(
        "FY2026 against the plan, and the regional managers' annual bonus (target 30,000.00 USD):"
    );
    let mut rows = Vec::new();
    for (region, bonus) in ["north", "central", "south"].iter().zip(&closed.bonuses) {
        let Some(row) = closed
            .rollup
            .iter()
            .find(|r| r.position.as_str() == *region)
        else {
            continue;
        };
        rows.push((
            row.position.clone(),
            row.credited,
            row.target,
            bonus.amount(),
        ));
        println!(
            "  {:<16} {:>14} of {:>14} ({}): bonus {:>10} USD",
            row.holder.as_ref().map_or("vacant", |h| h.as_str()),
            amount(row.credited),
            amount(row.target),
            row.attainment,
            amount(bonus.amount())
        );
    }
    keep("11. FY2026 regions and annual bonuses", &rows);
    let pending = &closed.pending;
    println!(
        "pending: {} missing rates, {} sales waiting, {} reps without activity logs (none were given to this close)",
        pending.missing_rates.len(),
        pending.transactions.len(),
        pending.missing_logs.len()
    );
    let fy_close: Vec<Vec<Statement>> = people
        .iter()
        .map(|(p, _, _)| {
            closed
                .statements
                .iter()
                .filter(|s| &s.person == p)
                .cloned()
                .collect()
        })
        .collect();

    // After the year end: half of Erik's first November order comes back
    // in February 2026, under FY2027's plan. FY2026 is closed, so the
    // return is taken back at the rate FY2026 paid the deal.
    let november = TransactionId::new("SO-n1-b-2511-1")?;
    let sold = feed
        .iter()
        .find(|t| t.id() == &november)
        .map(|t| t.amount());
    let sold = sold.ok_or(CalendarError::DateOutOfRange {
        what: "Erik's November order",
        from: year.start(),
    })?;
    let half = Money::zero(Currency::USD).checked_sub(sold.checked_mul(parse_decimal("0.5")?)?)?;
    let half = half.round(RoundingPolicy::HalfAwayFromZero);
    let back = date(2026, 2, 10)?;
    books.enter(
        back,
        Transaction::new(
            TransactionId::new("RT-n1-b-1")?,
            TransactionKind::Return,
            back,
            AccountId::new("n1-account-1")?,
            half,
        )
        .with_original(november.clone()),
    );
    let feed = books.on(back);
    let credited = Credited::new(org, &feed)?;
    let next = aurora_comp_plan(fy, 2027, "REP-FY2027", "10%")?;
    let next_q1 = fy.quarters(2027)?[0];
    // FY2027's plan is not cascaded yet: Erik's Q1 quota is this year's
    // Q1 quota and 10%.
    let this_q1 =
        targets.person_quota(&erik, &fy.quarters(2026)?[0], &PersonQuotaOptions::new())?;
    let next_quota = this_q1
        .total
        .checked_mul(parse_decimal("1.1")?)?
        .round(RoundingPolicy::HalfAwayFromZero);
    let locked: Vec<Statement> = fy_close
        .iter()
        .flatten()
        .filter(|s| s.person == erik)
        .cloned()
        .collect();
    let quotas = [(erik.clone(), Quotas::new().revenue(next_q1, next_quota))];
    let next_close = close(
        &next,
        &credited,
        &feed,
        &quotas,
        &locked,
        next_q1.last_day(),
    )?;
    keep("11. Erik Lund's FY2027 Q1 statement", &next_close);
    println!();
    println!(
        "{november} ({}) is half returned on {back}, in FY2027:",
        amount(sold)
    );
    if let Some(s) = next_close.first().and_then(|s| s.first()) {
        println!("{s}");
    }
    Ok(())
}
