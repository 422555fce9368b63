//! Regression tests for inputs the fuzz targets in `fuzz/` found: each one
//! is replayed here as a typed error (or a correct result), never a panic.

use rust_decimal::Decimal;
use salesplan::{MoneyError, Rate};

use crate::common::dec;

/// `money_parse`: `Rate::new` took any non-negative fraction, but a rate
/// prints (and serializes) as its percentage points, and above
/// `Decimal::MAX / 100` the points do not fit: the rate printed its bare
/// fraction with a `%` and read back as a rate 100 times smaller.
#[test]
fn a_rate_too_large_to_print_in_points_is_out_of_range() {
    let huge = dec("21108091336537194828087048744");
    assert_eq!(
        Rate::new(huge),
        Err(MoneyError::OutOfRange {
            value: huge,
            min: Decimal::ZERO,
            max: dec("792281625142643375935439503.35"),
        })
    );
    assert!(Rate::new(Decimal::MAX).is_err());
    // The largest rate that prints round-trips exactly.
    let max = Rate::new(dec("792281625142643375935439503.35")).unwrap();
    assert_eq!(max.to_string().parse::<Rate>().unwrap(), max);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&max).unwrap();
        assert_eq!(serde_json::from_str::<Rate>(&json).unwrap(), max);
    }
}
