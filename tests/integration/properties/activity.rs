//! Activity invariants: attainment does not depend on the order of the
//! log; proration follows the documented rounding rule and never exceeds
//! the full target; the score lies between the lowest and highest
//! attainment.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::Period;
use salesplan::activity::{
    ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, ScoreWeights, review,
};
use salesplan::calendar::WorkCalendar;
use salesplan::org::Role;

use crate::common::date;
use crate::support::perf::{plain_week, rep_plan};
use crate::support::person;

const KINDS: [ActivityKind; 3] = [
    ActivityKind::ColdCall,
    ActivityKind::Meeting,
    ActivityKind::Demo,
];

proptest! {
    #[test]
    fn review_is_invariant_to_the_order_of_the_log(
        raw in proptest::collection::vec((0usize..3, 0usize..3, 0u32..14, 0i64..50), 0..40),
        seed in any::<u64>(),
    ) {
        let people = ["ana", "bo", "cy"].map(|p| (person(p), Role::SalesRep));
        let log: Vec<ActivityEntry> = raw
            .iter()
            .map(|(p, k, d, q)| {
                ActivityEntry::new(people[*p].0.clone(), KINDS[*k].clone(), date(2025, 4, 1 + d), *q)
                    .unwrap()
            })
            .collect();
        let mut shuffled = log.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let options = ReviewOptions::new();
        let a = review(&people, &rep_plan(), &log, &plain_week(), &options).unwrap();
        let b = review(&people, &rep_plan(), &shuffled, &plain_week(), &options).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn proration_rounds_half_away_from_zero_and_stays_within_the_target(
        quantity in 1i64..5000,
        away in proptest::collection::vec(any::<bool>(), 5),
        holiday in proptest::option::of(0u32..5),
    ) {
        let week = plain_week(); // Monday 7 April 2025
        let mut work = WorkCalendar::monday_to_friday();
        if let Some(h) = holiday {
            work.add_holiday(date(2025, 4, 7 + h));
        }
        let absences: Vec<Period> = away
            .iter()
            .enumerate()
            .filter(|(_, a)| **a)
            .map(|(i, _)| Period::day(date(2025, 4, 7 + i as u32)).unwrap())
            .collect();
        let available = (0..5u32)
            .filter(|i| !away[*i as usize] && holiday != Some(*i))
            .count() as i64;
        let t = ActivityTarget::new(ActivityKind::Call, Cadence::Week, quantity).unwrap();
        let p = t.over(&week, &work, &absences).unwrap();
        // round(q × a / 5), halves away from zero, in integers.
        let want = (2 * quantity * available + 5) / 10;
        prop_assert_eq!(p.quantity() as i64, want);
        prop_assert!(p.quantity() <= quantity as u64);
        prop_assert_eq!(p.available_days() as i64, available);
    }

    #[test]
    fn the_score_lies_between_the_lowest_and_highest_attainment(
        lines in proptest::collection::vec((0u64..500, 1u64..100, 0u32..5), 1..3),
    ) {
        let mut weights = ScoreWeights::only();
        let mut triples = Vec::new();
        for (i, (actual, target, w)) in lines.iter().enumerate() {
            weights = weights.with(KINDS[i].clone(), Decimal::from(*w)).unwrap();
            triples.push((KINDS[i].clone(), *actual, *target));
        }
        let score = weights.score(&triples).unwrap();
        let counted: Vec<Decimal> = lines
            .iter()
            .filter(|(_, _, w)| *w > 0)
            .map(|(a, t, _)| Decimal::from(*a) / Decimal::from(*t))
            .collect();
        match score.value() {
            None => prop_assert!(counted.is_empty()),
            Some(v) => {
                let lo = counted.iter().min().unwrap();
                let hi = counted.iter().max().unwrap();
                let eps = Decimal::new(1, 20);
                prop_assert!(v >= *lo - eps && v <= *hi + eps, "{v} not in [{lo}, {hi}]");
            }
        }
    }
}

/// Greatest common divisor.
fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Whether `num / den` has a finite decimal expansion.
fn terminates(num: u128, den: u128) -> bool {
    let mut d = den / gcd(num, den);
    for p in [2, 5] {
        while d.is_multiple_of(p) {
            d /= p;
        }
    }
    d == 1
}

const WEEKDAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

proptest! {
    /// Issue #27, defect 7: a target prorated over a cadence period is
    /// `quantity × available / scheduled`, multiplied first: whenever the
    /// division is exact, prorated × scheduled days == target × available
    /// days, whatever the week's working days, holidays and leave.
    #[test]
    fn a_prorated_target_times_the_scheduled_days_is_the_target_times_the_available_days(
        quantity in 1i64..100_000,
        mask in 1u8..128,
        holidays in proptest::collection::vec(0u32..7, 0..3),
        away in proptest::collection::vec(0u32..7, 0..4),
    ) {
        let week = plain_week(); // Monday 7 April 2025
        let weekdays: Vec<chrono::Weekday> =
            (0..7).filter(|i| mask & (1 << i) != 0).map(|i| WEEKDAYS[i]).collect();
        let work = WorkCalendar::new(weekdays.clone())
            .unwrap()
            .with_holidays(holidays.iter().map(|h| date(2025, 4, 7 + h)));
        let absences: Vec<Period> =
            away.iter().map(|a| Period::day(date(2025, 4, 7 + a)).unwrap()).collect();
        let t = ActivityTarget::new(ActivityKind::Call, Cadence::Week, quantity).unwrap();
        let p = t.over(&week, &work, &absences).unwrap();
        let scheduled = u64::from(p.scheduled_days());
        let available = u64::from(p.available_days());
        prop_assert_eq!(scheduled, weekdays.len() as u64);
        let q = quantity as u64;
        if (q * available).is_multiple_of(scheduled) {
            prop_assert_eq!(p.quantity() * scheduled, q * available);
        }
        prop_assert!(p.quantity() <= q);
    }

    /// Issue #27, defect 7: the weighted score is one fraction, so whenever
    /// `Σ w·actual·(L/target) / (L·Σ w)` terminates, the score is exactly
    /// that (L the targets' least common multiple).
    #[test]
    fn the_weighted_score_is_exact_whenever_its_fraction_terminates(
        lines in proptest::collection::vec((0u64..2_000, 1u64..300, 1u64..20, 0u32..3), 1..4),
    ) {
        let mut weights = ScoreWeights::only();
        let mut triples = Vec::new();
        for (i, (actual, target, w, scale)) in lines.iter().enumerate() {
            // Weights 1..20 at 0 to 2 decimal places.
            let weight = Decimal::new(*w as i64, *scale);
            weights = weights.with(KINDS[i].clone(), weight).unwrap();
            triples.push((KINDS[i].clone(), *actual, *target));
        }
        let score = weights.score(&triples).unwrap().value().unwrap();
        // The exact fraction in integers: weights scaled to 2 places.
        let l = lines.iter().fold(1u128, |l, x| l / gcd(l, x.1 as u128) * x.1 as u128);
        let scaled = |(_, _, w, scale): &(u64, u64, u64, u32)| {
            u128::from(*w) * 10u128.pow(2 - scale)
        };
        let num: u128 = lines.iter().map(|x| scaled(x) * x.0 as u128 * (l / x.1 as u128)).sum();
        let den: u128 = l * lines.iter().map(scaled).sum::<u128>();
        if terminates(num, den) {
            prop_assert_eq!(score * Decimal::from(den), Decimal::from(num), "{:?}", lines);
        }
    }
}

proptest! {
    #[test]
    fn week_grid_streams_add_up_like_single_adds(
        raw in proptest::collection::vec((0usize..7, 0u64..100, 0usize..3, 0u32..1000), 0..300),
        through in -20i64..110,
    ) {
        use salesplan::activity::WeekGrid;
        let start = date(2025, 1, 1);
        let entries: Vec<(usize, chrono::NaiveDate, usize, u32)> = raw
            .iter()
            .map(|(p, d, k, q)| (*p, start + chrono::Days::new(*d), *k, *q))
            .collect();
        let mut one = WeekGrid::new(start, 15, 7, 3).unwrap();
        for (p, d, k, q) in &entries {
            one.add(*p, *d, *k, *q).unwrap();
        }
        let mut many = WeekGrid::new(start, 15, 7, 3).unwrap();
        many.extend(entries.iter().copied()).unwrap();
        prop_assert_eq!(&one, &many);
        // Some days before the grid's first Monday too: nothing counts yet.
        let through = start + chrono::TimeDelta::days(through);
        let all = many.totals_through(through);
        for p in 0..7 {
            for k in 0..3 {
                let by_hand: u64 = entries
                    .iter()
                    .filter(|(ep, ed, ek, _)| *ep == p && *ek == k && many.first_monday() <= *ed
                        && many.first_monday() <= through
                        && (*ed - many.first_monday()).num_days() / 7 <= (through - many.first_monday()).num_days() / 7)
                    .map(|e| u64::from(e.3))
                    .sum();
                prop_assert_eq!(many.through(p, k, through), Some(by_hand));
                prop_assert_eq!(all[p * 3 + k], by_hand);
            }
        }
    }
}
