//! The allocation core: every bad input and its error.

use rust_decimal::Decimal;
use salesplan::allocation::{Recipient, Split, allocate, blend};
use salesplan::{AllocationError, Currency, Money, MoneyError, Percent};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

fn r(key: &'static str, w: i64) -> Recipient<&'static str> {
    Recipient::new(key, Decimal::from(w))
}

#[test]
fn empty_negative_zero_and_duplicate_recipients() {
    let none: [Recipient<&str>; 0] = [];
    assert_eq!(
        allocate(usd("10"), &none),
        Err(AllocationError::NoRecipients)
    );
    assert_eq!(
        allocate(usd("10"), &[r("a", 1), r("b", -5)]),
        Err(AllocationError::NegativeWeight {
            index: 1,
            weight: Decimal::from(-5)
        })
    );
    assert_eq!(
        allocate(usd("10"), &[r("a", 0), r("b", 0)]),
        Err(AllocationError::ZeroWeights)
    );
    assert_eq!(
        allocate(usd("0"), &[r("a", 0)]),
        Err(AllocationError::ZeroWeights)
    );
    assert_eq!(
        allocate(usd("10"), &[r("a", 1), r("b", 1), r("a", 2)]),
        Err(AllocationError::DuplicateRecipient {
            first: 0,
            second: 2
        })
    );
    assert_eq!(Split::equal::<u8>(&[]), Err(AllocationError::NoRecipients));
    assert_eq!(
        Split::equal(&[3, 1, 3]),
        Err(AllocationError::DuplicateRecipient {
            first: 0,
            second: 2
        })
    );
}

#[test]
fn floors_above_the_total_and_caps_below_it() {
    assert_eq!(
        allocate(
            usd("100"),
            &[
                r("a", 1).with_floor(usd("60")),
                r("b", 1).with_floor(usd("50"))
            ]
        ),
        Err(AllocationError::FloorsExceedTotal {
            floors: usd("110.00"),
            total: usd("100")
        })
    );
    assert_eq!(
        allocate(
            usd("100"),
            &[r("a", 1).with_cap(usd("30")), r("b", 1).with_cap(usd("40"))]
        ),
        Err(AllocationError::CapsBelowTotal {
            caps: usd("70.00"),
            total: usd("100")
        })
    );
    // A zero weight takes only its floor, so the others' caps must hold the rest.
    assert_eq!(
        allocate(usd("100"), &[r("a", 1).with_cap(usd("30")), r("b", 0)]),
        Err(AllocationError::CapsBelowTotal {
            caps: usd("30.00"),
            total: usd("100")
        })
    );
    assert_eq!(
        allocate(
            usd("100"),
            &[
                r("a", 1).with_floor(usd("50")).with_cap(usd("40")),
                r("b", 1)
            ]
        ),
        Err(AllocationError::FloorAboveCap {
            index: 0,
            floor: usd("50"),
            cap: usd("40")
        })
    );
}

#[test]
fn bounds_must_be_whole_non_negative_and_in_the_totals_currency() {
    assert_eq!(
        allocate(
            usd("100"),
            &[
                r("a", 1).with_cap(Money::parse("50", Currency::EUR).unwrap()),
                r("b", 1)
            ]
        ),
        Err(AllocationError::Bound {
            index: 0,
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        })
    );
    assert!(matches!(
        allocate(usd("100"), &[r("a", 1), r("b", 1).with_floor(usd("0.001"))]),
        Err(AllocationError::Bound {
            index: 1,
            source: MoneyError::NotInMinorUnits { .. }
        })
    ));
    assert_eq!(
        allocate(usd("100"), &[r("a", 1).with_floor(usd("-1")), r("b", 1)]),
        Err(AllocationError::NegativeBound {
            index: 0,
            bound: usd("-1")
        })
    );
}

#[test]
fn totals_with_fractions_of_a_unit_and_weights_out_of_range() {
    assert!(matches!(
        allocate(usd("10.005"), &[r("a", 1)]),
        Err(AllocationError::Total {
            source: MoneyError::NotInMinorUnits { .. }
        })
    ));
    let tiny = Decimal::try_from_i128_with_scale(1, 28).unwrap();
    let huge =
        Decimal::try_from_i128_with_scale(79_228_162_514_264_337_593_543_950_335, 0).unwrap();
    assert!(matches!(
        allocate(
            usd("10"),
            &[Recipient::new(0, tiny), Recipient::new(1, huge)]
        ),
        Err(AllocationError::WeightsOutOfRange { index: 1, .. })
    ));
}

#[test]
fn blends_must_mix_to_one_over_bases_of_one_length() {
    let a = [Decimal::ONE, Decimal::TWO];
    let b = [Decimal::ONE];
    let sixty: Percent = "60%".parse().unwrap();
    let thirty: Percent = "30%".parse().unwrap();
    assert_eq!(
        blend(&[(sixty, &a), (thirty, &a)]),
        Err(AllocationError::BlendNotWhole {
            sum: Decimal::new(90, 2)
        })
    );
    let half: Percent = "50%".parse().unwrap();
    assert_eq!(
        blend(&[(half, &a), (half, &b)]),
        Err(AllocationError::BlendLengths {
            expected: 2,
            found: 1
        })
    );
    let zeros = [Decimal::ZERO, Decimal::ZERO];
    assert_eq!(
        blend(&[(half, &a), (half, &zeros)]),
        Err(AllocationError::ZeroWeights)
    );
}

#[test]
fn weights_whose_sum_overflows_name_the_recipient() {
    let max = Decimal::MAX;
    let tiny = Decimal::try_from_i128_with_scale(1, 9).unwrap();
    let rs: Vec<Recipient<usize>> = (0..5)
        .map(|i| Recipient::new(i, max))
        .chain([Recipient::new(5, tiny)])
        .collect();
    assert!(matches!(
        allocate(usd("100"), &rs),
        Err(AllocationError::WeightsOutOfRange { .. })
    ));
}

#[test]
fn a_negative_figure_in_a_blend_names_its_basis() {
    let half: Percent = "50%".parse().unwrap();
    let a = [Decimal::ONE, Decimal::TWO];
    let b = [Decimal::ONE, Decimal::from(-3)];
    assert_eq!(
        blend(&[(half, &a), (half, &b)]),
        Err(AllocationError::NegativeFigure {
            basis: 1,
            index: 1,
            figure: Decimal::from(-3)
        })
    );
}

/// Issue #27, defect 8: floors that add up past what a `Money` holds are
/// an error naming the recipient that took the sum over. Failed before:
/// the overflowing sum fell back to the total itself, so the error said
/// the floors added up to the total.
#[test]
fn floors_adding_up_past_money_name_the_recipient() {
    // The most a USD amount in cents holds is about 7.9 × 10^26 USD.
    let huge = usd("500000000000000000000000000");
    let e = allocate(
        usd("1.00"),
        &[
            r("a", 1).with_floor(huge),
            r("b", 1).with_floor(huge),
            r("c", 1),
        ],
    )
    .unwrap_err();
    assert_eq!(e, AllocationError::BoundsOverflow { index: 1 });
    assert_eq!(
        AllocationError::try_from(salesplan::Error::from(e.clone())).unwrap(),
        e
    );
    assert_eq!(e.to_string(), "the floors or caps overflow at recipient 1");
    // One such floor alone is a plain excess over the total.
    assert_eq!(
        allocate(usd("1.00"), &[r("a", 1).with_floor(huge), r("c", 1)]),
        Err(AllocationError::FloorsExceedTotal {
            floors: huge,
            total: usd("1.00")
        })
    );
    // Caps that add up past a `Money` hold any total.
    let shares = allocate(
        usd("1.00"),
        &[r("a", 1).with_cap(huge), r("b", 1).with_cap(huge)],
    )
    .unwrap();
    assert_eq!(shares[0].amount(), usd("0.50"));
}

/// Issue #27, defect 2: a share read from JSON refuses a field it does not
/// know.
#[cfg(feature = "serde")]
#[test]
fn a_share_refuses_unknown_fields() {
    let shares = allocate(usd("100.00"), &[r("a", 1), r("b", 2).with_cap(usd("50"))]).unwrap();
    for share in &shares {
        super::calendar::refuses_an_unknown_field(share);
    }
}
