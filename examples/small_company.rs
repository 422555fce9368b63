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
//!    and the North region's Q1 progress report as of 17 April.

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
use salesplan::money::{Attainment, RateTable, parse_decimal};
use salesplan::org::{Assignment, Node, Org, OrgSnapshot, Position, ReportingLine, Role};
use salesplan::quota::{
    Basis, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, QuotaTargets, Ramp, Seasonality,
};
use salesplan::rollup::{Execution, NodeValues, SumOptions, sum_credits};
use salesplan::territory::{
    Account, AccountBook, Assigner, Attribute, BalanceReport, Coverage, CoverageKind,
    CoverageSource, CoverageTable, NamedAccount, Outcome, Predicate, Rebalance, RebalanceOptions,
    Rule, RuleBook, Territory, TerritoryCoverage, TerritoryLine, TerritoryMap,
};
use salesplan::{
    AccountId, CalendarError, Currency, Error, Money, Period, PersonId, PositionId, Rate,
    RoundingPolicy, TerritoryId,
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

fn main() -> Result<(), Error> {
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
    for s in org.segments(&PersonId::new("Noah Silva")?, &year)? {
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
    for row in targets.gap_report()? {
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
    let attainment = totals.attainments(&quotas, Execution::Sequential)?;
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
    for row in review(&team, &plan, &log, &week, &options)? {
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
    print!("{}", progress.report(north)?);
    if exempt {
        println!("  (Priya Nair, hired 17 March, is ramping: March's 20% triggers nothing)");
    }
    for team in ["north-1", "north-2"] {
        if let Some(node) = snapshot.node(&pos(team)?) {
            print!("{}", progress.report(node.index())?);
        }
    }
    Ok(())
}
