//! The small company's year, told with the crate's own types.
//!
//! Run with `cargo run --release --example small_company`.
//!
//! This first chapter lays out the fiscal year, shows exact money and FX,
//! and prorates a quarterly target for a rep who joins mid-quarter. Later
//! chapters add the org, quota cascade, territories, statements and reviews.

#![allow(clippy::print_stdout, reason = "an example prints its story")]

use chrono::{Month, NaiveDate};
use salesplan::calendar::{FiscalCalendar, Proration, ProrationBasis, WorkCalendar, YearNaming};
use salesplan::money::{RateTable, parse_decimal};
use salesplan::{Currency, Error, Money, Rate, RoundingPolicy};

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    Ok(
        NaiveDate::from_ymd_opt(y, m, d).ok_or(salesplan::CalendarError::InvalidDate {
            year: y,
            month: m,
            day: d,
        })?,
    )
}

fn main() -> Result<(), Error> {
    println!("== Fiscal year 2026 (starts 1 February, named by the year it ends in) ==");
    let fy = FiscalCalendar::starting(Month::February, YearNaming::ByEndYear);
    let year = fy.year(2026)?;
    println!(
        "FY2026 runs {} to {} ({} days)",
        year.start(),
        year.last_day(),
        year.days()
    );
    for (n, q) in (1..).zip(fy.quarters(2026)?) {
        println!(
            "  Q{}  {} .. {}  ({} days)",
            n,
            q.start(),
            q.last_day(),
            q.days()
        );
    }

    println!();
    println!("== Working days in Q1, with two public holidays ==");
    let work =
        WorkCalendar::monday_to_friday().with_holidays([date(2025, 4, 18)?, date(2025, 4, 21)?]);
    let q1 = fy.quarters(2026)?[0];
    println!("Q1 has {} working days", work.working_days(&q1));

    println!();
    println!("== A new rep joins on 1 April, the last month of Q1 ==");
    let target = Money::parse("150000.00", Currency::EUR)?;
    let from_april = salesplan::Period::new(date(2025, 4, 1)?, q1.end())?;
    for basis in [
        ProrationBasis::WholeMonths,
        ProrationBasis::CalendarDays,
        ProrationBasis::WorkingDays,
    ] {
        let share = Proration::new(&q1, &from_april, basis, &work)?;
        let prorated = share.apply(target)?.round(RoundingPolicy::HalfAwayFromZero);
        println!(
            "  by {:<14} {:<20} -> Q1 target {prorated}",
            basis.to_string(),
            share.to_string()
        );
    }

    println!();
    println!("== Exact money ==");
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
    Ok(())
}
