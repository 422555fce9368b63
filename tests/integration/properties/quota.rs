//! Quota planning: every level of a year split adds up exactly, cascades
//! conserve and over-assign exactly, and nothing depends on input order.

use chrono::{Month, Weekday};
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::calendar::{
    DateRange, FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming,
};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::quota::{
    Adjustment, Basis, LevelRule, Measures, MonthSplit, PersonQuotaOptions, QuotaPlan, Seasonality,
    YearSplitter,
};
use salesplan::{Currency, Money, Period, Rate};

use crate::common::date;
use crate::support::{RandomTree, person, pos, random_tree};

static REFUSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static APPLIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn adjustment_cases_mostly_apply() {
    adjustments_are_exact_and_reproducible();
    let (applied, refused) = (
        APPLIED.load(std::sync::atomic::Ordering::Relaxed),
        REFUSED.load(std::sync::atomic::Ordering::Relaxed),
    );
    assert!(
        applied > 3 * refused,
        "applied {applied}, refused {refused}"
    );
}

fn usd(minor: i64) -> Money {
    Money::from_minor(minor.into(), Currency::USD).unwrap()
}

fn monthly_calendars() -> impl Strategy<Value = FiscalCalendar> {
    (1u32..=12, any::<bool>()).prop_map(|(m, by_end)| {
        let naming = if by_end {
            YearNaming::ByEndYear
        } else {
            YearNaming::ByStartYear
        };
        FiscalCalendar::starting(Month::try_from(m as u8).unwrap(), naming)
    })
}

fn retail_calendar() -> FiscalCalendar {
    FiscalCalendar::retail(
        RetailPattern::P445,
        RetailYearEnd {
            weekday: Weekday::Sat,
            month: Month::January,
            rule: YearEndRule::NearestMonthEnd,
        },
        YearNaming::ByStartYear,
    )
}

fn profile(len: usize) -> impl Strategy<Value = Seasonality> {
    proptest::collection::vec(0u32..1000, len)
        .prop_filter("not all zero", |w| w.iter().any(|x| *x > 0))
        .prop_map(|w| {
            Seasonality::from_weights(&w.into_iter().map(Decimal::from).collect::<Vec<_>>())
                .unwrap()
        })
}

fn month_split() -> impl Strategy<Value = MonthSplit> {
    prop_oneof![
        Just(MonthSplit::CalendarDays),
        Just(MonthSplit::EqualMonths),
        Just(MonthSplit::WorkingDays(
            salesplan::calendar::WorkCalendar::monday_to_friday()
        )),
    ]
}

/// Exact share check: |part - total·w/W| < 1 minor unit.
fn within_one_unit(part: i128, total: i128, w: i128, w_sum: i128) -> bool {
    (part * w_sum - total * w).abs() < w_sum
}

proptest! {
    #[test]
    fn months_sum_to_their_quarter_and_quarters_to_the_year(
        cal in monthly_calendars(), year in 2000i32..2100, annual in 0i64..10_000_000_000, p in profile(12), q in profile(4), by in month_split(),
    ) {
        for profile in [p, q.months_by(by)] {
            let split = YearSplitter::new(&cal, year, &profile)?.split(usd(annual))?;
            let m = |i: usize| split.months()[i].1.to_minor().unwrap();
            for (k, (period, quarter)) in split.quarters().iter().enumerate() {
                prop_assert_eq!(quarter.to_minor()?, m(3 * k) + m(3 * k + 1) + m(3 * k + 2));
                prop_assert_eq!(period.start(), split.months()[3 * k].0.start());
            }
            let total: i128 = split.quarters().iter().map(|(_, q)| q.to_minor().unwrap()).sum();
            prop_assert_eq!(total, i128::from(annual));
            // Weeks sum to their month.
            for (period, month) in split.months() {
                let weeks: i128 = split.weeks().iter().filter(|(w, _)| period.encloses(w)).map(|(_, a)| a.to_minor().unwrap()).sum();
                prop_assert_eq!(weeks, month.to_minor()?);
            }
        }
    }

    /// Shared equally, a quarter's months differ by at most one minor unit.
    #[test]
    fn equal_months_of_a_quarter_differ_by_at_most_one_unit(
        cal in monthly_calendars(), year in 2000i32..2100, annual in 0i64..10_000_000_000, q in profile(4),
    ) {
        let split = YearSplitter::new(&cal, year, &q.months_by(MonthSplit::EqualMonths))?.split(usd(annual))?;
        for three in split.months().chunks(3) {
            let m: Vec<i128> = three.iter().map(|(_, a)| a.to_minor().unwrap()).collect();
            let (lo, hi) = (m.iter().min().unwrap(), m.iter().max().unwrap());
            prop_assert!(hi - lo <= 1, "{m:?}");
        }
    }

    /// Straight to months, or through quarters, the figures are the ones of
    /// a reference cumulative split: every boundary is round(A × C / W),
    /// halves up; every month, quarter and week is within one unit of its
    /// exact share of the year.
    #[test]
    fn splitting_through_quarters_gives_the_same_months(annual in 0i64..10_000_000_000, p in profile(12)) {
        let cal = FiscalCalendar::gregorian();
        let splitter = YearSplitter::new(&cal, 2026, &p)?;
        let split = splitter.split(usd(annual))?;
        let a = i128::from(annual);
        let w: Vec<i128> = p.weights().iter().map(|d| d.mantissa()).collect();
        let total: i128 = w.iter().sum();
        let boundary = |cum: i128| (2 * a * cum + total) / (2 * total); // round half up
        let mut cum = 0;
        let mut month_bounds = vec![0];
        for x in &w {
            cum += x;
            month_bounds.push(boundary(cum));
        }
        let months: Vec<i128> = month_bounds.windows(2).map(|b| b[1] - b[0]).collect();
        let quarters: Vec<i128> = (0..4).map(|k| month_bounds[3 * k + 3] - month_bounds[3 * k]).collect();
        let got_months: Vec<i128> = split.months().iter().map(|(_, m)| m.to_minor().unwrap()).collect();
        let got_quarters: Vec<i128> = split.quarters().iter().map(|(_, q)| q.to_minor().unwrap()).collect();
        prop_assert_eq!(&got_months, &months);
        prop_assert_eq!(&got_quarters, &quarters);
        for (m, wm) in got_months.iter().zip(&w) {
            prop_assert!(within_one_unit(*m, a, *wm, total));
        }
        for (q, k) in got_quarters.iter().zip(0..4) {
            let wq: i128 = w[3 * k..3 * k + 3].iter().sum();
            prop_assert!(within_one_unit(*q, a, wq, total));
        }
        // Weeks: within one unit of their exact share (the month's weight
        // times the week's days over the month's days).
        for (period, amount) in split.weeks() {
            let (m, month) = splitter.months().iter().enumerate().find(|(_, mp)| mp.encloses(period)).unwrap();
            let (num, den) = (w[m] * i128::from(period.days()), total * i128::from(month.days()));
            prop_assert!((amount.to_minor()? * den - a * num).abs() < den, "week {}", period);
        }
    }

    #[test]
    fn a_weekly_profile_on_a_retail_calendar_nests_weeks_in_months(annual in 0i64..1_000_000_000, seed in any::<u64>(), year in 2000i32..2100) {
        let cal = retail_calendar();
        let weeks = cal.weeks(year)?.len();
        let mut rng = crate::support::generator::Rng::new(seed);
        let w: Vec<Decimal> = (0..weeks).map(|_| Decimal::from(rng.range(1, 100))).collect();
        let split = YearSplitter::new(&cal, year, &Seasonality::from_weights(&w)?)?.split(usd(annual))?;
        prop_assert_eq!(split.weeks().len(), weeks);
        let total: i128 = split.weeks().iter().map(|(_, a)| a.to_minor().unwrap()).sum();
        prop_assert_eq!(total, i128::from(annual));
    }

    /// Every manager's reports carry exactly round(f × T); every target is
    /// within one unit of its exact share of that; zero figures get zero.
    #[test]
    fn cascades_conserve_and_over_assign_exactly(
        tree in random_tree(300), target in 0i64..100_000_000_000, f0 in 100u32..130, f1 in 100u32..130, seed in any::<u64>(),
    ) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let mut rng = crate::support::generator::Rng::new(seed);
        let sales: Vec<Decimal> = org.positions().iter().map(|_| Decimal::from(rng.range(0, 1000))).collect();
        let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target))
            .exclude_none()
            .level(0, LevelRule::new(Basis::Equal).over_assign(Rate::from_points(f0.into())?))
            .default_rule(LevelRule::new(Basis::Measure("sales".into())).over_assign(Rate::from_points(f1.into())?));
        let targets = match plan.cascade(&snapshot, &Measures::new().with("sales", sales.clone())) {
            Ok(t) => t,
            // A manager whose reports all have zero sales cannot split.
            Err(salesplan::QuotaError::Allocation { source, .. }) if *source == salesplan::AllocationError::ZeroWeights => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        for node in snapshot.nodes() {
            let reports: Vec<_> = node.children().collect();
            if reports.is_empty() { continue; }
            let own = targets.annual(node.index())?;
            let f = if node.depth() == 0 { f0 } else { f1 };
            let stretched = Rate::from_points(f.into())?.of(own)?.round(salesplan::RoundingPolicy::HalfAwayFromZero);
            let sum = Money::checked_sum(Currency::USD, reports.iter().map(|r| targets.annual(r.index()).unwrap()))?;
            prop_assert_eq!(sum, stretched);
            let weight = |r: &salesplan::org::Node<'_>| if node.depth() == 0 { 1 } else { sales[r.declared_index()].mantissa() };
            let w_sum: i128 = reports.iter().map(weight).sum();
            for r in &reports {
                let t = targets.annual(r.index())?.to_minor()?;
                prop_assert!(within_one_unit(t, stretched.to_minor()?, weight(r), w_sum));
                if weight(r) == 0 { prop_assert_eq!(t, 0); }
            }
            let e = targets.explain(reports[0].index())?;
            prop_assert_eq!(e.split_total, Some(stretched));
        }
        // The gap report shows the over-assignment achieved.
        for row in targets.gap_report()? {
            prop_assert_eq!(row.gap, row.reports.checked_sub(row.target)?);
        }
    }

    #[test]
    fn cascades_do_not_depend_on_declaration_order(tree in random_tree(200), target in 0i64..1_000_000_000, seed in any::<u64>()) {
        let mut shuffled = tree.clone();
        crate::support::generator::Rng::new(seed).shuffle(&mut shuffled.order);
        let (a, b) = (tree.org(), shuffled.org());
        let (sa, sb) = (a.as_of(date(2025, 6, 1))?, b.as_of(date(2025, 6, 1))?);
        let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target)).level(0, LevelRule::new(Basis::Equal).over_assign("105%".parse()?));
        let (ta, tb) = (plan.cascade(&sa, &Measures::new())?, plan.cascade(&sb, &Measures::new())?);
        for x in sa.nodes() {
            let y = sb.node(x.id()).unwrap();
            prop_assert_eq!(ta.split(x.index())?, tb.split(y.index())?);
        }
    }

    /// The plan after adjustments is the plan before plus the list: reliefs
    /// take exactly their amount, transfers move it, and nothing else
    /// changes.
    #[test]
    fn adjustments_are_exact_and_reproducible(tree in random_tree(60), target in 100_000_000i64..1_000_000_000, cuts in proptest::collection::vec((0usize..60, 0usize..60, 1i64..5_000, 1u32..=12), 1..6)) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target));
        let before = plan.cascade(&snapshot, &Measures::new())?;
        let n = tree.parents.len();
        let adjustments: Vec<Adjustment> = cuts
            .iter()
            .map(|(a, b, amount, month)| {
                let period = Period::month(2025, *month).unwrap();
                if a % 2 == 0 {
                    Adjustment::Relief { position: RandomTree::id(a % n), period, amount: usd(*amount), reason: "lost territory".into() }
                } else {
                    Adjustment::Transfer { from: RandomTree::id(a % n), to: RandomTree::id(b % n), period, amount: usd(*amount), reason: "account moved".into() }
                }
            })
            .collect();
        let after = match before.adjusted(&adjustments) {
            Ok(after) => after,
            // A relief larger than what is left is refused; fine, but rare.
            Err(salesplan::QuotaError::ReliefExceedsTarget { .. }) => {
                REFUSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        APPLIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // One at a time gives the same plan.
        let mut step = before.adjusted(&[])?;
        for a in &adjustments {
            step = step.adjusted(std::slice::from_ref(a))?;
        }
        let total = |t: &salesplan::quota::QuotaTargets<'_>| -> i128 {
            snapshot.nodes().map(|x| t.annual(x.index()).unwrap().to_minor().unwrap()).sum()
        };
        let relieved: i128 = adjustments.iter().map(|a| match a { Adjustment::Relief { amount, .. } => amount.to_minor().unwrap(), _ => 0 }).sum();
        prop_assert_eq!(total(&after), total(&before) - relieved);
        for x in snapshot.nodes() {
            prop_assert_eq!(after.split(x.index())?, step.split(x.index())?);
            let s = after.split(x.index())?;
            let months: i128 = s.months().iter().map(|(_, m)| m.to_minor().unwrap()).sum();
            prop_assert_eq!(months, s.year().1.to_minor()?);
        }
    }

    /// Whoever holds a seat, for however long, the people's shares of each
    /// month and the vacancy add up to the seat's target.
    #[test]
    fn person_quotas_and_vacancy_add_up_to_the_seat(stints in proptest::collection::vec((0u64..40, 1u64..90), 1..5), annual in 0i64..10_000_000_000) {
        let day = |n: u64| date(2025, 1, 1).checked_add_days(chrono::Days::new(n)).unwrap();
        let mut b = Org::builder()
            .position(Position::new(pos("seat"), Role::SalesRep))
            .line(ReportingLine::top(pos("seat"), DateRange::starting(day(0))));
        let mut t = 0;
        let mut people = Vec::new();
        for (i, (gap, len)) in stints.iter().enumerate() {
            t += gap;
            b = b.assignment(Assignment::new(person(&format!("p{i}")), pos("seat"), DateRange::new(day(t), Some(day(t + len))).unwrap()));
            people.push(person(&format!("p{i}")));
            t += len;
        }
        let org = b.build()?;
        let snapshot = org.as_of(day(0))?;
        let targets = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(annual)).cascade(&snapshot, &Measures::new())?;
        let year = Period::year(2025)?;
        let seat_year = targets.annual(snapshot.root().index())?.to_minor()?;
        let mut carried = 0i128;
        for p in &people {
            carried += targets.person_quota(p, &year, &PersonQuotaOptions::new())?.total.to_minor()?;
        }
        // Vacant days: the rest of each month.
        let mut vacant = 0i128;
        for (m, month) in targets.splitter().months().iter().enumerate() {
            let held: u32 = org.holders_during(&pos("seat"), month)?.iter().map(|(_, p)| p.days()).sum();
            let target = targets.month(snapshot.root().index(), m)?.to_minor()?;
            if held == 0 { vacant += target; continue; }
            let exact_vacant = target * i128::from(month.days() - held);
            // The vacancy's share is within one unit of exact.
            let people_part: i128 = people.iter().map(|p| {
                targets.person_quota(p, month, &PersonQuotaOptions::new()).unwrap().total.to_minor().unwrap()
            }).sum();
            let v = target - people_part;
            prop_assert!((v * i128::from(month.days()) - exact_vacant).abs() < i128::from(month.days()));
            vacant += v;
        }
        prop_assert_eq!(carried + vacant, seat_year);
    }
}

fn cohorts() -> impl Strategy<Value = Vec<salesplan::quota::Cohort>> {
    proptest::collection::vec((0i64..700, 0u32..50), 0..6).prop_map(|c| {
        c.into_iter()
            .map(|(day, reps)| {
                // From a year before the plan to its end.
                let hired = date(2024, 1, 1) + chrono::Days::new(day.unsigned_abs());
                salesplan::quota::Cohort::new(hired, reps)
            })
            .collect()
    })
}

proptest! {
    /// Capacity against a target: quarters and the year are the sums of
    /// their months, every gap is target minus capacity, and more
    /// attrition never raises a month's capacity.
    #[test]
    fn capacity_nests_and_falls_with_attrition(
        team in cohorts(), quota in 0i64..10_000_000, attainment in 0u32..200, attrition in 0u32..=100, more in 0u32..=100, annual in 0i64..10_000_000_000,
    ) {
        use salesplan::quota::CapacityModel;
        let rate = Rate::from_points(Decimal::from(attainment))?;
        let ramp = salesplan::quota::Ramp::new(["0%", "50%"].map(|p| p.parse().unwrap()));
        let model = |a: u32| -> CapacityModel {
            CapacityModel::new(usd(quota), rate).unwrap()
                .attrition(salesplan::Percent::from_points(Decimal::from(a)).unwrap())
                .ramp(ramp.clone())
        };
        let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &Seasonality::flat())?.split(usd(annual))?;
        let gap = model(attrition).against(&split, &team)?;
        for line in gap.months().iter().chain(gap.quarters()).chain([&gap.year()]) {
            prop_assert_eq!(line.gap(), line.target().checked_sub(line.capacity())?);
        }
        for q in gap.quarters() {
            let months: i128 = gap.months().iter().filter(|m| q.period().encloses(&m.period())).map(|m| m.capacity().to_minor().unwrap()).sum();
            prop_assert_eq!(months, q.capacity().to_minor()?);
        }
        let year: i128 = gap.months().iter().map(|m| m.capacity().to_minor().unwrap()).sum();
        prop_assert_eq!(year, gap.year().capacity().to_minor()?);
        let higher = model(attrition.max(more)).against(&split, &team)?;
        for (a, b) in gap.months().iter().zip(higher.months()) {
            prop_assert!(b.capacity().to_minor()? <= a.capacity().to_minor()?, "{:?} > {:?}", b, a);
        }
    }
}

/// A random territory tree: territory `i > 0` under one of `0..i`.
fn territory_tree(
    parents: &[usize],
) -> (
    salesplan::territory::TerritoryTree,
    Vec<salesplan::TerritoryId>,
) {
    use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    let id = |i: usize| salesplan::TerritoryId::new(&format!("T{i}")).unwrap();
    let always = DateRange::starting(date(2025, 1, 1));
    let mut b = TerritoryMap::builder()
        .territory(Territory::new(id(0)))
        .line(TerritoryLine::top(id(0), always));
    for (i, p) in parents.iter().enumerate() {
        let child = i + 1;
        b = b
            .territory(Territory::new(id(child)))
            .line(TerritoryLine::new(id(child), id(p % child), always));
    }
    let ids = (0..=parents.len()).map(id).collect();
    (b.build().unwrap().as_of(date(2025, 1, 1)).unwrap(), ids)
}

proptest! {
    /// Every territory's children sum to it exactly, under equal shares
    /// and under a leaf measure, and the primaries' quotas plus the
    /// uncovered leaves sum to the whole target.
    #[test]
    fn territory_quotas_sum_to_their_parent(
        parents in proptest::collection::vec(0usize..1000, 0..40),
        measure in proptest::collection::vec(0u32..1000, 41),
        covered in proptest::collection::vec((any::<bool>(), 1u32..100), 41),
        target in 0i64..10_000_000_000,
    ) {
        use salesplan::quota::{TerritoryBasis, TerritoryTargets};
        use salesplan::territory::{Coverage, CoverageKind, CoverageTable};
        let (tree, ids) = territory_tree(&parents);
        let leaf_measure: std::collections::BTreeMap<_, _> = tree.leaves().into_iter().map(|l| {
            let i: usize = l.as_str()[1..].parse().unwrap();
            (l, Decimal::from(measure[i] + 1))
        }).collect();
        for basis in [TerritoryBasis::Equal, TerritoryBasis::LeafMeasure(leaf_measure)] {
            let targets = TerritoryTargets::cascade(&tree, usd(target), &basis)?;
            prop_assert_eq!(targets.target(&ids[0]), Some(usd(target)));
            for parent in &ids {
                let kids: Vec<_> = tree.children(parent).collect();
                if kids.is_empty() { continue; }
                let sum: i128 = kids.iter().map(|k| targets.target(k).unwrap().to_minor().unwrap()).sum();
                prop_assert_eq!(sum, targets.target(parent).unwrap().to_minor()?);
            }
            // Two primaries on some leaves (split by a random share).
            let always = DateRange::starting(date(2025, 1, 1));
            let mut records = Vec::new();
            for leaf in tree.leaves() {
                let i: usize = leaf.as_str()[1..].parse().unwrap();
                let (on, share) = covered[i];
                if !on { continue; }
                let a = salesplan::Percent::from_points(Decimal::from(share)).unwrap();
                let b = salesplan::Percent::from_points(Decimal::from(100 - share)).unwrap();
                records.push(Coverage::new(leaf.clone(), pos(&format!("r{}", i % 5)), CoverageKind::Primary, a, always));
                if share < 100 {
                    records.push(Coverage::new(leaf.clone(), pos(&format!("s{i}")), CoverageKind::Primary, b, always));
                }
            }
            let quotas = targets.positions(&CoverageTable::new(records)?, date(2025, 3, 1))?;
            let carried: i128 = quotas.primary().values().map(|m| m.to_minor().unwrap()).sum::<i128>()
                + quotas.uncovered().iter().map(|(_, m)| m.to_minor().unwrap()).sum::<i128>();
            prop_assert_eq!(carried, i128::from(target));
        }
    }
}
