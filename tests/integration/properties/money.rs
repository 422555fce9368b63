//! Money: exact, checked arithmetic and strict text.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::money::parse_decimal;
use salesplan::{Currency, Money, MoneyError, Percent, Rate, RoundingPolicy};

use crate::common::{any_currency, any_decimal, exact_decimal};

proptest! {
    #[test]
    fn addition_is_commutative_and_associative_within_a_currency(
        a in exact_decimal(), b in exact_decimal(), c in exact_decimal(), cur in any_currency()
    ) {
        let (a, b, c) = (Money::new(a, cur), Money::new(b, cur), Money::new(c, cur));
        prop_assert_eq!(a.checked_add(b)?, b.checked_add(a)?);
        let left = a.checked_add(b)?.checked_add(c)?;
        let right = a.checked_add(b.checked_add(c)?)?;
        prop_assert_eq!(left, right);
        prop_assert_eq!(Money::checked_sum(cur, [a, b, c])?, left);
    }

    #[test]
    fn arithmetic_on_any_pair_of_decimals_never_panics(a in any_decimal(), b in any_decimal()) {
        let (x, y) = (Money::new(a, Currency::USD), Money::new(b, Currency::USD));
        match x.checked_add(y) {
            Ok(sum) => prop_assert_eq!(sum.amount(), a.checked_add(b).unwrap()),
            Err(e) => prop_assert!(matches!(e, MoneyError::Overflow { .. }), "{e:?}"),
        }
        for result in [x.checked_sub(y), x.checked_mul(b), x.checked_div(b)] {
            if let Err(e) = result {
                prop_assert!(
                    matches!(e, MoneyError::Overflow { .. } | MoneyError::DivisionByZero { .. }),
                    "{e:?}"
                );
            }
        }
        let _ = x.compare(&y)?;
        for policy in RoundingPolicy::ALL {
            let rounded = x.round(policy);
            prop_assert!(rounded.is_rounded());
            prop_assert!((rounded.amount() - a).abs() < Decimal::ONE);
        }
    }

    #[test]
    fn subtraction_undoes_addition(a in exact_decimal(), b in exact_decimal()) {
        let (x, y) = (Money::new(a, Currency::EUR), Money::new(b, Currency::EUR));
        prop_assert_eq!(x.checked_add(y)?.checked_sub(y)?, x);
        prop_assert_eq!(x.checked_add(x.negated())?, Money::zero(Currency::EUR));
    }

    #[test]
    fn decimal_text_round_trips_with_its_scale(d in any_decimal()) {
        let parsed = parse_decimal(&d.to_string())?;
        prop_assert_eq!(parsed, d);
        prop_assert_eq!(parsed.scale(), d.scale());
    }

    #[test]
    fn money_text_round_trips(d in any_decimal(), cur in any_currency()) {
        let m = Money::new(d, cur);
        let back: Money = m.to_string().parse()?;
        prop_assert_eq!(back, m);
        prop_assert_eq!(back.amount().scale(), d.scale());
    }

    #[test]
    fn currency_text_round_trips(cur in any_currency()) {
        prop_assert_eq!(cur.to_string().parse::<Currency>()?, cur);
    }

    #[test]
    fn percent_and_rate_text_round_trip(points in (0i64..=10_000, 0u32..=6)) {
        let points = Decimal::try_from_i128_with_scale(i128::from(points.0), points.1).unwrap();
        let rate = Rate::from_points(points)?;
        prop_assert_eq!(rate.to_string().parse::<Rate>()?, rate);
        prop_assert_eq!(rate.points(), points);
        if points <= Decimal::ONE_HUNDRED {
            let pct = Percent::from_points(points)?;
            prop_assert_eq!(pct.to_string().parse::<Percent>()?, pct);
        }
    }

    #[test]
    fn minor_units_round_trip(minor in any::<i64>(), cur in any_currency()) {
        let m = Money::from_minor(i128::from(minor), cur)?;
        prop_assert!(m.is_rounded());
        prop_assert_eq!(m.to_minor()?, i128::from(minor));
    }
}
