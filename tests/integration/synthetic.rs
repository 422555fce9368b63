//! The library's synthetic org generator (`testing::synthetic`, feature
//! `proptest`) builds, position for position, the org the benches build,
//! and its credit feeds are deterministic and well formed.

use proptest::prelude::*;
use salesplan::rollup::KeyedCredit;
use salesplan::testing::synthetic::{SyntheticError, SyntheticOrg};

use crate::support::generator;

fn same_org(reps: usize, seed: u64) -> Result<(), TestCaseError> {
    let lib = SyntheticOrg::generate(reps, seed).unwrap();
    let bench = generator::org(reps, seed);
    prop_assert_eq!(lib.ids(), &bench.ids[..]);
    prop_assert_eq!(lib.quota_cents(), &bench.quota_cents[..]);
    prop_assert_eq!(lib.reps(), &bench.reps[..]);
    for i in 0..lib.len() {
        let parent = bench.parent[i];
        prop_assert_eq!(
            lib.parent(i),
            (parent != u32::MAX).then_some(parent as usize)
        );
        prop_assert_eq!(lib.role(i), Some(generator::role_of(bench.roles[i])));
    }
    Ok(())
}

#[test]
fn the_library_generator_builds_the_benches_org() {
    same_org(90_000, 20_250_101).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    /// (The benches' generator needs two levels of managers above the
    /// reps, so at least a few hundred reps; the library's takes 21.)
    #[test]
    fn the_generators_agree_on_any_seed(reps in 400usize..3_000, seed in any::<u64>()) {
        same_org(reps, seed)?;
    }

    #[test]
    fn feeds_are_deterministic_sorted_and_in_the_year(reps in 21usize..2_000, seed in any::<u64>(), count in 0usize..5_000) {
        let synth = SyntheticOrg::generate(reps, seed).unwrap();
        let credits = synth.credits(count, seed ^ 1).unwrap();
        prop_assert_eq!(&credits, &synth.credits(count, seed ^ 1).unwrap());
        prop_assert_eq!(credits.len(), count);
        prop_assert!(credits.windows(2).all(|w| w[0].day() <= w[1].day()));
        for c in &credits {
            prop_assert!(synth.reps().contains(&c.rep()));
            prop_assert_eq!(chrono::Datelike::year(&c.date()), 2025);
            prop_assert_eq!(c.amount().to_minor().unwrap(), c.cents());
            prop_assert!(c.cents() != 0);
        }
        let org = synth.builder().build().unwrap();
        prop_assert_eq!(org.as_of(SyntheticOrg::year_start()).unwrap().len(), synth.len());
    }
}

#[test]
fn too_few_reps() {
    assert_eq!(
        SyntheticOrg::generate(20, 1).unwrap_err(),
        SyntheticError::TooFewReps { reps: 20 }
    );
}

proptest! {
    /// The measure-plan strategy yields plans the crate cascades, each
    /// exact in its own unit, over orgs from the org strategy.
    #[test]
    fn measure_plans_cascade_in_whole_steps(
        org in salesplan::testing::org(1..=40, crate::common::date(2025, 1, 1)),
        plan in salesplan::testing::measure_plan(2025, 0..=1_000_000),
    ) {
        let snapshot = org.as_of(crate::common::date(2025, 1, 1)).unwrap();
        let targets = plan.cascade(&snapshot, &salesplan::quota::Measures::new()).unwrap();
        let step = plan.rounding_unit().unwrap().step();
        prop_assert_eq!(targets.annual(snapshot.root().index()).unwrap(), plan.target());
        for node in snapshot.nodes() {
            let annual = targets.annual(node.index()).unwrap();
            prop_assert!((annual / step).fract().is_zero());
            let months = targets.months(node.index()).unwrap();
            prop_assert_eq!(months.iter().copied().sum::<rust_decimal::Decimal>(), annual);
        }
    }
}
