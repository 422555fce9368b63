//! Compile-time trait assertions: every public type is thread-safe, and data
//! types serialize.

use salesplan::calendar::{FiscalCalendar, Proration, ProrationBasis, WorkCalendar};
use salesplan::money::{FxQuote, RateTable};
use salesplan::*;

const fn assert_thread_safe<T: Send + Sync + Unpin + std::fmt::Debug>() {}

#[cfg(feature = "serde")]
const fn assert_serde<T: serde::Serialize + serde::de::DeserializeOwned>() {}

macro_rules! check_all {
    ($($ty:ty),* $(,)?) => {
        const _: () = {
            $(assert_thread_safe::<$ty>();)*
        };
        #[cfg(feature = "serde")]
        const _: () = {
            $(assert_serde::<$ty>();)*
        };
    };
}

check_all!(
    Money,
    Currency,
    Percent,
    Rate,
    RoundingPolicy,
    RateTable,
    FxQuote,
    Period,
    FiscalCalendar,
    WorkCalendar,
    Proration,
    ProrationBasis,
    PersonId,
    PositionId,
    UnitId,
    TerritoryId,
    AccountId,
    PlanId,
    TransactionId,
    RoleId,
    ProductId,
    ProductGroupId,
    credit::Transaction,
    credit::CreditPlan,
    credit::CreditLine,
    credit::CreditRun,
    comp::ComponentName,
    comp::Statement,
    territory::CoverageShare,
);

const _: () = {
    assert_thread_safe::<credit::CreditTotals>();
    assert_thread_safe::<CreditError>();
};

const _: () = {
    assert_thread_safe::<Error>();
    assert_thread_safe::<MoneyError>();
    assert_thread_safe::<CalendarError>();
    assert_thread_safe::<IdError>();
};

#[test]
fn errors_are_std_errors() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>() {}
    is_error::<Error>();
    is_error::<MoneyError>();
    is_error::<CalendarError>();
    is_error::<IdError>();
    is_error::<CreditError>();
}
