//! The forecast's status: the projected attainment of a coverage is
//! `(attained + weighted) / quota`, and more weighted pipeline never makes
//! the status worse.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::perf::{Ratio, Status, StatusBands};
use salesplan::pipeline::Coverage;
use salesplan::{Currency, Money};

fn usd(minor: i64) -> Money {
    Money::from_minor(minor.into(), Currency::USD).unwrap()
}

proptest! {
    #[test]
    fn projected_attainment_is_attained_plus_weighted_over_quota(
        open in 0i64..1_000_000_000, share in 0i64..=100, quota in 0i64..1_000_000_000, attained in -1_000_000i64..1_000_000_000, more in 0i64..1_000_000,
    ) {
        let weighted = open * share / 100;
        let c = Coverage::of(usd(open), usd(weighted), usd(quota), usd(attained))?;
        let expected = Ratio::of(usd(attained + weighted).amount(), usd(quota).amount())?;
        prop_assert_eq!(c.projected().value().map(|v| v.normalize()), expected.value().map(|v| v.normalize()));
        if quota == 0 {
            prop_assert_eq!(c.projected().value(), None);
        }
        let bands = StatusBands::default();
        let better = Coverage::of(usd(open + more), usd(weighted + more), usd(quota), usd(attained))?;
        prop_assert!(bands.band(&better.projected()) >= bands.band(&c.projected()));
        // Read beside the run rate: the worse of the two.
        let pace = Ratio::Value(Decimal::new(9, 1));
        let both = bands.band(&pace).min(bands.band(&c.projected()));
        prop_assert!(both <= Status::AtRisk);
    }
}
