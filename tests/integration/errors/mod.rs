//! One table of bad inputs per area.
//!
//! The hardening issue's list, case by case, and the test that asserts the
//! variant and the ids or values it names (`area::test`):
//!
//! | area | case | test |
//! |---|---|---|
//! | org | duplicate id | `org::duplicate_ids` |
//! | org | unknown parent, unknown role | `org::unknown_role_position_and_parent` |
//! | org | self-parent | `org::self_parent` |
//! | org | cycle of any length (2 to 1,000) | `org::cycles_of_any_length_name_their_positions` |
//! | org | a 1,000,000-deep chain, accepted | `org::a_million_deep_chain_is_accepted_without_recursion` |
//! | org | zero or several roots | `org::zero_or_several_roots` |
//! | org | two managers on one day | `org::two_managers_on_one_day_are_overlapping_lines` |
//! | org | overlapping assignments | `org::overlapping_assignments` |
//! | territory | two territories at equal priority (reported, not an error) | `territory::an_account_claimed_at_equal_priority_is_a_reported_conflict_not_an_error` |
//! | territory | hierarchy cycle | `territory::hierarchy_shape_on_a_date` |
//! | territory | inverted or empty date ranges | `territory::hierarchy_declarations`, `territory::inverted_and_empty_numeric_ranges` |
//! | territory | coverage shares not summing to 100% | `territory::coverage_shares_not_summing_to_100_percent` |
//! | calendar | end before start | `calendar::a_period_must_end_after_it_starts` |
//! | calendar | 29 February in a common year | `calendar::dates_that_do_not_exist`, `calendar::the_29th_of_february_of_a_common_year_is_rejected_when_read` |
//! | calendar | proration across a leap day, month-end hires | `calendar::leap_days_and_month_end_hires_prorate_exactly` |
//! | calendar | dates near the limits of `NaiveDate` | `calendar::dates_at_the_limits_of_chrono_are_errors_not_panics` |
//! | money | currency mismatch | `money::adding_two_currencies_is_a_mismatch_naming_both` |
//! | credit | a deal in another currency without a rate on its rate date, a return in another currency than its sale | `currency::a_missing_rate_names_the_sale_the_pair_and_the_date`, `currency::a_return_in_another_currency_than_its_sale_is_refused` |
//! | credit | a stored run with a conversion into another currency than the run's | `currency::a_stored_run_with_a_conversion_into_another_currency_is_refused` |
//! | close | a bonus for a seat vacant on the close date; a bad feed | `close::a_bonus_of_a_vacant_seat_and_a_bad_feed_are_errors` |
//! | money | missing or non-positive FX rate | `money::fx_missing_non_positive_duplicate_and_same_currency_rates` |
//! | money | wrong minor units | `money::unknown_malformed_and_mis_declared_currencies`, `money::unrounded_amounts_have_no_minor_unit_count` |
//! | money | summing 1,000,000 amounts of 10^23 | `money::summing_a_million_amounts_of_ten_to_the_23_overflows_cleanly` |
//! | money | repeated division | `money::repeated_division_stays_within_28_places_and_rounds_only_when_asked` |
//! | money | `"1e3"`, `"1_000"`, > 28 decimals, `NaN`, empty | `money::bad_decimal_text_is_rejected_with_its_problem`, `money::bad_money_text_is_rejected` |
//! | quota | negative quota | `quota::negative_quota` |
//! | quota | zero or negative weights | `quota::zero_negative_unknown_and_short_weights` |
//! | quota | declared percentages not summing to 100% | `quota::percentages_that_do_not_add_up_to_100` |
//! | quota | seasonality with 11 or 13 months | `quota::seasonality_with_11_or_13_months_negative_or_all_zero` |
//! | quota | hire outside the period | `quota::person_quotas_for_unknown_people_and_hires_outside_the_period` |
//! | quota | leave outside the period (zero quota, not an error) | `quota::a_leaver_outside_the_period_has_no_quota_lines_not_an_error` |
//! | quota | infeasible floors and caps | `quota::infeasible_floors_and_caps_and_a_floor_in_another_currency` |
//! | comp | unsorted, overlapping, gapped tiers, not from zero | `comp::bad_tiers` |
//! | comp | negative rates | `comp::negative_rates`, `comp::negative_rate_in_json_is_rejected` |
//! | comp | a cap below a threshold | `comp::cap_below_a_threshold` |
//! | comp | a negative draw | `comp::negative_draw` |
//! | comp | clawback of an unknown deal, of more than it, dated before it | `comp::feeds_the_crediting_rejects_never_reach_a_statement` (crediting), `comp::clawbacks_of_unknown_deals_of_more_than_the_deal_or_dated_before_it` (stored runs) |
//! | comp | duplicate transaction ids | `comp::feeds_the_crediting_rejects_never_reach_a_statement`, `credit::duplicate_transaction_ids` |
//! | comp | overlapping plan versions | `comp::overlapping_plan_versions` |
//! | comp | a late deal into a locked period (an adjustment) | `comp::a_late_deal_into_a_locked_period_is_an_adjustment_never_a_change` |
//! | perf | a person measured on their own figures without a seat, leading a team, with a quota of another period or figures in another currency; a target without a rate into the reporting currency | `progress::a_person_without_a_seat_on_the_date_is_named`, `progress::a_team_lead_is_measured_as_a_team`, `progress::a_quota_of_another_period_is_refused`, `progress::a_credit_in_another_currency_is_refused`, `progress::a_target_without_a_rate_into_the_reporting_currency_names_its_position` |
//! | perf | zero activity target | `activity::zero_or_negative_targets_are_rejected`, `perf::negative_targets_are_rejected` |
//! | perf | negative counts | `activity::negative_activity_counts_are_rejected` |
//! | perf | thresholds out of order | `perf::thresholds_out_of_order_are_rejected` |
//! | perf | as-of outside the period | `perf::an_as_of_date_outside_the_period_is_rejected` |
//! | bonus | curve points unsorted | `bonus::unsorted_curve_points` |
//! | bonus | MBO weights not summing to 100% | `bonus::mbo_weights_not_summing_to_100_percent` |
//!
//! Issue #27 ("pay is never silently wrong"), case by case (its defects,
//! each reproduced as found, are in `regressions.rs`):
//!
//! | area | case | test |
//! |---|---|---|
//! | credit | a credit run or line from outside: more decimals than its scale, a roll-up from itself or from an owner's share, an org date after the credit date, two org dates for one sale, one credit twice, a scale that is not the currency's | `credit_runs::lines_that_do_not_hold_together_are_refused_naming_them`, `credit_runs::a_runs_scale_is_its_currencys_for_money_and_bounded_for_quantities`, `credit_runs::a_money_run_read_with_another_scale_is_refused` |
//! | credit | an invoice without its invoice date, on invoice timing | `regressions::an_invoice_without_its_invoice_date_is_an_error_under_invoice_timing` |
//! | credit | running and period totals past 128 bits, owners past 32-bit offsets | `credit::checked_figures_name_their_ids_and_values` |
//! | comp | a return in a later plan year without the earlier year's statement | `regressions::a_return_in_the_next_plan_year_is_clawed_back_at_last_years_rate` |
//! | comp | a return of an earlier year's deal paid by an adjustment (its period's line does not show its rate) | `regressions::a_return_of_a_deal_paid_by_an_adjustment_last_year_asks_for_its_rate` |
//! | comp | a credited deal missing from the deals a qualifying component is given | `regressions::a_credited_deal_missing_from_the_deals_is_an_error` |
//! | comp | retroactive tiers whose rate falls | `regressions::retroactive_tiers_whose_rate_falls_are_refused` |
//! | comp | overlapping plan assignments | `comp_close::overlapping_plan_assignments_name_both_plans_and_the_day` |
//! | comp | a person with no plan in force (on a credit's date, or all year) | `comp_close::a_person_with_no_plan_in_force_is_named_with_the_date` |
//! | comp | an assignment to a plan not given; plans of two years | `comp_close::an_assignment_to_a_plan_not_given_and_plans_of_two_years` |
//! | comp | a year-to-date plan taking over mid-year | `comp_close::a_year_to_date_plan_taking_over_mid_year_is_refused` |
//! | comp | an adjustment by someone without authority, over the limit, self-approved or out of line | `comp_close::an_adjustment_by_someone_without_authority_or_over_the_limit_is_refused` |
//! | comp | an adjustment on the wrong statement; a dispute on a missing line | `comp_close::an_adjustment_on_the_wrong_statement_and_a_dispute_on_a_missing_line` |
//! | comp | a release of a hold that does not exist (never held, or released twice) | `comp_close::a_release_of_a_hold_that_does_not_exist` |
//! | comp | a carry forfeited at a plan's end whose last statement is locked, with no later statement of the person | `carry_plan_change::a_forfeit_at_a_plans_end_with_nowhere_to_show_it_names_person_plan_and_amount` |
//! | org | an org that is only a cycle | `regressions::an_org_that_is_only_a_cycle_names_the_cycle` |
//! | every area | an unknown field, at any depth of any input type | `contract::every_input_type_refuses_an_unknown_field_at_any_depth`, and one test per area (`*::unknown_fields_are_refused_*`) |
//! | every area | saturating arithmetic on a figure | `meta::every_saturating_operation_in_the_library_says_why_it_cannot_saturate` |
//!
//! `fuzz` replays the inputs the fuzz targets in `fuzz/` found.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod carry_plan_change;
mod close;
mod comp;
mod comp_close;
mod credit;
mod credit_columns;
mod credit_runs;
mod currency;
mod fuzz;
mod ids;
mod money;
mod org;
mod perf;
mod progress;
mod quota;
mod quota_versions;
mod rollup;
mod territory;
