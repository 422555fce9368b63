//! The engine on credited lines held as columns
//! ([`CreditLineColumns`]): the same rules as on a [`CreditRun`]'s rows,
//! reading each person's lines from one short run of memory.
//!
//! A person's credits of a component are summed from their lines (in
//! whole units of the scale when no kicker or qualifier weighs them, with
//! the digits the row path's sums have), then the periods are evaluated
//! and paid by the very functions that evaluate and pay the rows'
//! ([`Commissions::earned_lines`], [`Commissions::pay`]). The people who
//! reverse deals (returns, credit notes) are worked out on the row path
//! itself: before the people are spread, their lines are made into a
//! small [`CreditRun`], and the engine of the call reads it for them.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    BATCH, Commissions, Credits, Key, Layout, MAX_PERIODS, PersonCtx, PersonInput, PersonQuotas,
    Scratch, add_to, add_uplift, clear_lines, kicked, settle, sum_totals, year_period_index,
};
use crate::comp::payouts::Payouts;
use crate::comp::plan::{CompPlan, Component};
use crate::comp::statement::{ComponentName, Statement};
use crate::comp::{CompError, QuotaColumns};
use crate::credit::{CreditLineColumns, CreditRun};
use crate::execution::Execution;
use crate::ids::{PersonId, TransactionId};
use crate::kernel::hash::FxHashMap;

/// What one call on columns works from: per columns, the run of the
/// people who reverse deals.
struct Prepared {
    runs: Vec<CreditRun>,
}

/// The plan's calendar as days, per component, for summing lines.
struct Days {
    /// The plan year's first day and the day after its last.
    year: (i32, i32),
    /// Per component: the day after each of its periods.
    ends: Vec<Vec<i32>>,
    /// Per component: whether its credits are the lines' amounts as they
    /// are (no kicker, no qualifier, no booking window), summed as
    /// integers.
    plain: Vec<bool>,
}

impl<'a> Commissions<'a> {
    /// Statements under `plan` from credited lines held as columns, one
    /// [`CreditLineColumns`] per measure the plan's components use (others
    /// are ignored). Worked out with
    /// [`payouts_from_columns`](Self::payouts_from_columns),
    /// [`statements_from_columns`](Self::statements_from_columns) and
    /// [`statements_of_key`](Self::statements_of_key), by the same rules
    /// as an engine made [`new`](Self::new) from the same lines as a
    /// [`CreditRun`].
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new): [`CompError::MissingMeasure`],
    /// [`CompError::DuplicateMeasure`], [`CompError::CreditCurrency`],
    /// [`CompError::OutsideYear`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, PersonInput};
    /// use salesplan::comp::{Quotas, RateTable};
    /// use salesplan::credit::{CreditBasis, CreditLineColumns};
    /// use salesplan::{Currency, Execution, PersonId, PlanId};
    ///
    /// // Days from 1970-01-01: 20,098 is 10 January 2025, 20,129 10 February.
    /// let lines = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
    ///     .person_keys(&[0, 0, 1])
    ///     .positions(&[7, 7, 8])
    ///     .transactions(&[1, 2, 3])
    ///     .amounts_minor(&[400_000, 600_000, 100_000])
    ///     .days(&[20_098, 20_129, 20_129])
    ///     .build()?;
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let comp = Commissions::from_columns(&plan, &[&lines])?.execution(Execution::Parallel);
    /// let (ann, bob, quotas) = (PersonId::new("ann")?, PersonId::new("bob")?, Quotas::new());
    /// // Person key i is the i-th person given.
    /// let people = [
    ///     PersonInput { person: &ann, quotas: &quotas, locked: &[] },
    ///     PersonInput { person: &bob, quotas: &quotas, locked: &[] },
    /// ];
    /// let feb = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
    /// let payouts = comp.payouts_from_columns(&people, feb)?;
    /// assert_eq!(payouts.person_total(0).unwrap().to_string(), "1000.00 USD");
    /// assert_eq!(payouts.total(1, 1).unwrap().to_string(), "100.00 USD");
    /// // Bob's statements, explained, on demand.
    /// let bobs = comp.statements_of_key(1, &people[1], feb)?;
    /// assert_eq!(bobs[1].total, payouts.total(1, 1).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_columns(
        plan: &'a CompPlan,
        columns: &[&'a CreditLineColumns],
    ) -> Result<Commissions<'a>, CompError> {
        for (i, c) in columns.iter().enumerate() {
            if columns.iter().take(i).any(|o| o.basis() == c.basis()) {
                return Err(CompError::DuplicateMeasure {
                    measure: c.basis().clone(),
                });
            }
        }
        let mut used: Vec<&'a CreditLineColumns> = Vec::new();
        let mut layouts = Vec::with_capacity(plan.components().len());
        for c in plan.components() {
            let col = super::source_for(plan, c, columns, |l| (l.basis(), l.currency()))?;
            let slot = match used.iter().position(|u| std::ptr::eq(*u, col)) {
                Some(s) => s,
                None => {
                    used.push(col);
                    // bound: one slot per columns given.
                    used.len().saturating_sub(1)
                }
            };
            layouts.push(Layout::new(plan, c, slot)?);
        }
        Ok(Commissions {
            plan,
            execution: Execution::Sequential,
            runs: Vec::new(),
            indexes: OnceLock::new(),
            layouts,
            qualified: Vec::new(),
            columns: used,
            quota_columns: None,
        })
    }

    /// [`payouts_for`](Self::payouts_for) on an engine made
    /// [`from_columns`](Self::from_columns): what each person is paid per
    /// pay period and component, without explanations. `people[i]` is
    /// the person of key `i`: there are as many as the columns key, each
    /// with an id of their own (it names them on their statements and in
    /// errors).
    ///
    /// # Errors
    ///
    /// As [`payouts_for`](Self::payouts_for); [`CompError::ColumnPeople`]
    /// when `people` are not as many as the columns' people;
    /// [`CompError::DuplicatePersonKeys`] for one person id given for two
    /// keys that both reverse deals; [`CompError::WrongLines`] on an
    /// engine made from runs.
    ///
    /// # Examples
    ///
    /// See [`from_columns`](Self::from_columns).
    pub fn payouts_from_columns(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
    ) -> Result<Payouts, CompError> {
        let prepared = self.prepare(people, None)?;
        let engine = self.for_call(&prepared);
        let days = engine.days()?;
        engine.column_payouts(people, through, &days)
    }

    /// [`statements_for`](Self::statements_for) on an engine made
    /// [`from_columns`](Self::from_columns): every person's explained
    /// statements. `people[i]` is the person of key `i`.
    ///
    /// # Errors
    ///
    /// As [`payouts_from_columns`](Self::payouts_from_columns).
    pub fn statements_from_columns(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
    ) -> Result<Vec<Vec<Statement>>, CompError> {
        let prepared = self.prepare(people, None)?;
        let engine = self.for_call(&prepared);
        let days = engine.days()?;
        engine.column_statements(people, through, &days)
    }

    /// [`statements`](Self::statements) on an engine made
    /// [`from_columns`](Self::from_columns): the explained statements of
    /// the person of key `key`, whose inputs are `person`.
    ///
    /// # Errors
    ///
    /// As [`statements`](Self::statements); [`CompError::ColumnPeople`]
    /// for a key past the columns' people; [`CompError::WrongLines`] on
    /// an engine made from runs.
    pub fn statements_of_key(
        &self,
        key: u32,
        person: &PersonInput<'_>,
        through: NaiveDate,
    ) -> Result<Vec<Statement>, CompError> {
        let prepared = self.prepare(std::slice::from_ref(person), Some(key))?;
        let engine = self.for_call(&prepared);
        let days = engine.days()?;
        let mut scratch = Scratch::default();
        let mut out = engine.column_person(key, person, through, &mut scratch, None, &days)?;
        settle(&mut scratch, std::slice::from_mut(&mut out));
        Ok(out)
    }

    /// The same engine, reading each person's quotas from `quotas` too
    /// (person key `i` its value `i` of each column) in
    /// [`payouts_from_columns`](Self::payouts_from_columns),
    /// [`statements_from_columns`](Self::statements_from_columns) and
    /// [`statements_of_key`](Self::statements_of_key): a person's entries
    /// there count as if added to their [`Quotas`](crate::comp::Quotas). For
    /// many people, far cheaper than a [`Quotas`](crate::comp::Quotas) each.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, PersonInput};
    /// use salesplan::comp::{QuotaColumns, Quotas, RateTable, Tier, TierBasis, TierMethod};
    /// use salesplan::credit::{CreditBasis, CreditLineColumns};
    /// use salesplan::{Currency, Period, PersonId, PlanId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // 20,098 is 10 January 2025 (days from 1970-01-01).
    /// let lines = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
    ///     .person_keys(&[0, 1])
    ///     .positions(&[7, 8])
    ///     .transactions(&[1, 2])
    ///     .amounts_minor(&[1_000_000, 1_000_000])
    ///     .days(&[20_098, 20_098])
    ///     .build()?;
    /// // 5% to 100% of quota, 10% above.
    /// let tiers = vec![
    ///     Tier::new("0".parse()?, Some("1".parse()?), PayRate::Percent("5%".parse()?)),
    ///     Tier::new("1".parse()?, None, PayRate::Percent("10%".parse()?)),
    /// ];
    /// let rates = RateTable::Tiered { basis: TierBasis::Attainment, method: TierMethod::Marginal, tiers };
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, rates))
    ///     .build()?;
    /// // Q1 quotas: Ann 10,000.00, Bob 5,000.00.
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let quotas = QuotaColumns::new(Currency::USD, 2).revenue_minor(q1, &[1_000_000, 500_000])?;
    /// let comp = Commissions::from_columns(&plan, &[&lines])?.quota_columns(&quotas);
    /// let (ann, bob, none) = (PersonId::new("ann")?, PersonId::new("bob")?, Quotas::new());
    /// let people = [
    ///     PersonInput { person: &ann, quotas: &none, locked: &[] },
    ///     PersonInput { person: &bob, quotas: &none, locked: &[] },
    /// ];
    /// let payouts = comp.payouts_from_columns(&people, d(3, 31))?;
    /// assert_eq!(payouts.person_total(0).unwrap().to_string(), "500.00 USD");
    /// assert_eq!(payouts.person_total(1).unwrap().to_string(), "750.00 USD"); // 250 + 500
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn quota_columns(mut self, quotas: &'a QuotaColumns) -> Commissions<'a> {
        self.quota_columns = Some(quotas);
        self
    }

    /// An error unless the quota columns (if any) key `people` people
    /// (`one`: only the person of that key) in the plan's currency.
    fn check_quota_columns(&self, people: usize, one: Option<u32>) -> Result<(), CompError> {
        let Some(q) = self.quota_columns else {
            return Ok(());
        };
        if q.currency() != self.plan.currency() {
            return Err(CompError::QuotaColumnCurrency {
                quotas: q.currency(),
                plan: self.plan.currency(),
            });
        }
        let fits = match one {
            Some(key) => (key as usize) < q.people(),
            None => people == q.people(),
        };
        if fits {
            Ok(())
        } else {
            Err(CompError::QuotaColumnPeople {
                quotas: q.people(),
                people,
            })
        }
    }

    /// An error unless the engine was made from columns.
    fn reads_columns(&self) -> Result<(), CompError> {
        if self.columns.is_empty() {
            return Err(CompError::WrongLines {
                built: "runs",
                instead: "payouts_for, statements_for or statements",
            });
        }
        Ok(())
    }

    /// An error unless the engine was made from runs.
    pub(super) fn reads_runs(&self) -> Result<(), CompError> {
        if !self.columns.is_empty() || self.quota_columns.is_some() {
            return Err(CompError::WrongLines {
                built: "columns",
                instead: "payouts_from_columns, statements_from_columns or statements_of_key",
            });
        }
        Ok(())
    }

    /// The runs of the people who reverse deals among `people` (all the
    /// columns' people, or only the person of key `one`).
    fn prepare(&self, people: &[PersonInput<'_>], one: Option<u32>) -> Result<Prepared, CompError> {
        self.reads_columns()?;
        self.check_quota_columns(people.len(), one)?;
        let mut prepared = Prepared {
            runs: Vec::with_capacity(self.columns.len()),
        };
        for cols in &self.columns {
            let wrong = CompError::ColumnPeople {
                measure: cols.basis().clone(),
                keys: cols.people(),
                people: people.len(),
            };
            let keyed: Vec<(u32, &PersonInput<'_>)> = match one {
                Some(key) if (key as usize) < cols.people() => {
                    people.first().map(|p| (key, p)).into_iter().collect()
                }
                Some(_) => return Err(wrong),
                None if people.len() != cols.people() => return Err(wrong),
                // bound: the keys of the columns' people fit a `u32`.
                None => (0..=u32::MAX).zip(people).collect(),
            };
            let reversing: Vec<(u32, &PersonId)> = keyed
                .iter()
                .filter(|(k, _)| cols.has_reversal(*k))
                .map(|(k, p)| (*k, p.person))
                .collect();
            // Their run holds the lines by person id: two keys of one id
            // would each be paid on both's lines.
            let mut ids: FxHashMap<&PersonId, u32> = FxHashMap::default();
            for (key, person) in &reversing {
                if let Some(first) = ids.insert(*person, *key) {
                    return Err(CompError::DuplicatePersonKeys {
                        person: (*person).clone(),
                        keys: (first, *key),
                    });
                }
            }
            prepared.runs.push(cols.run_of(reversing.into_iter())?);
        }
        Ok(prepared)
    }

    /// This engine for one call: reading `prepared`'s runs for the people
    /// who reverse deals.
    fn for_call<'r>(&'r self, prepared: &'r Prepared) -> Commissions<'r> {
        Commissions {
            plan: self.plan,
            execution: self.execution,
            runs: prepared.runs.iter().collect(),
            indexes: OnceLock::new(),
            layouts: self.layouts.clone(),
            qualified: self.qualified.clone(),
            columns: self.columns.clone(),
            quota_columns: self.quota_columns,
        }
    }

    /// The plan's calendar as days.
    fn days(&self) -> Result<Days, CompError> {
        let plan = self.plan;
        let day = |d: NaiveDate| {
            crate::credit::line_columns_day(d).ok_or(CompError::OutsideYear {
                date: d,
                year: plan.year_period(),
            })
        };
        let year = plan.year_period();
        let mut ends = Vec::with_capacity(self.layouts.len());
        for layout in &self.layouts {
            ends.push(
                layout
                    .periods
                    .iter()
                    .map(|p| day(p.end()))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        let plain = plan
            .components()
            .iter()
            .zip(&self.layouts)
            .map(|(c, l)| {
                !c.needs_deals()
                    && c.booking_window().is_none()
                    && l.kick.scale() == 0
                    && l.kick.mantissa() == 1
            })
            .collect();
        Ok(Days {
            year: (day(year.start())?, day(year.end())?),
            ends,
            plain,
        })
    }

    /// One person's statements (see [`statements_with`](Self::statements_with)),
    /// their lines read from the columns, or from the call's runs when
    /// they reverse deals.
    fn column_person(
        &self,
        key: u32,
        p: &PersonInput<'_>,
        through: NaiveDate,
        scratch: &mut Scratch<'a>,
        sums: Option<&mut [Decimal]>,
        days: &Days,
    ) -> Result<Vec<Statement>, CompError> {
        let person = Key::new(p.person);
        let quotas = PersonQuotas {
            own: p.quotas,
            columns: self.quota_columns.map(|q| (q, key as usize)),
        };
        let inputs = (quotas, p.locked);
        self.statements_with(
            &person,
            inputs,
            through,
            scratch,
            sums,
            |ctx, n, scratch| {
                clear_lines(scratch, n);
                for (ci, component) in self.plan.components().iter().enumerate() {
                    let Some(layout) = self.layouts.get(ci) else {
                        continue;
                    };
                    let Some(cols) = self.columns.get(layout.run) else {
                        continue;
                    };
                    if cols.has_reversal(key) {
                        let Some(index) = self.indexes().get(layout.run) else {
                            continue;
                        };
                        self.component_lines(ctx, (ci, component), (layout, index), scratch)?;
                    } else {
                        let lines = (*cols, key);
                        self.column_lines(ctx, (ci, component), lines, days, scratch)?;
                    }
                }
                Ok(())
            },
        )
    }

    /// One component's earned lines for a person who reverses no deal,
    /// from their lines in `cols`.
    fn column_lines(
        &self,
        ctx: &PersonCtx<'_>,
        (ci, component): (usize, &Component),
        (cols, key): (&CreditLineColumns, u32),
        days: &Days,
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        let Some(layout) = self.layouts.get(ci) else {
            return Ok(());
        };
        let lines = cols.group(key);
        scratch.txs.clear();
        scratch.ytd.clear();
        let mut credits = no_credits();
        let ends = days.ends.get(ci).map_or(&[][..], Vec::as_slice);
        let summed = days.plain.get(ci).copied().unwrap_or(false)
            && sum_plain(
                component,
                lines,
                (days.year, ends),
                cols.scale(),
                &mut credits,
            );
        if summed {
            if ctx.explain {
                push_txs(lines, (days.year, ends), component, scratch);
            }
        } else {
            credits = no_credits();
            let lines = (lines, ctx.explain, cols.scale());
            self.sum_exact((ci, component), layout, lines, &mut credits, scratch)?;
        }
        self.earned_lines(ctx, component, layout, &credits, scratch)
    }

    /// A person's credits of one component, line by line as the row
    /// path's `gather` sums them (kickers and qualifiers applied), for a
    /// person who reverses no deal.
    fn sum_exact(
        &self,
        (ci, component): (usize, &Component),
        layout: &Layout,
        (lines, explain, scale): (&[crate::credit::ColumnLine], bool, u32),
        credits: &mut Credits<'a>,
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        let year = self.plan.year_period();
        for l in lines {
            let (Some(date), Some(as_of)) = (day_date(l.date), day_date(l.as_of)) else {
                continue;
            };
            let amount = crate::credit::line_columns_decimal(l.amount, scale)?;
            if !year.contains(date)
                || !component.counts(l.kind)
                || amount.is_zero()
                || component
                    .booking_window()
                    .is_some_and(|w| !w.contains(as_of))
            {
                continue;
            }
            let Some(kick) = self.kick(ci, component, &TransactionId::from(l.sale))? else {
                continue;
            };
            let credit = kicked(amount, kick)?;
            let k = year_period_index(&layout.periods, date);
            add_to(&mut credits.measure, k, credit)?;
            if credit > Decimal::ZERO {
                add_to(&mut credits.sold, k, credit)?;
            }
            add_uplift(&mut credits.uplift, k, credit, amount)?;
            if explain {
                scratch
                    .txs
                    .push((k, Cow::Owned(TransactionId::from(l.transaction))));
            }
        }
        Ok(())
    }

    /// [`payouts_from_columns`](Self::payouts_from_columns) on the call's
    /// engine.
    fn column_payouts(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
        days: &Days,
    ) -> Result<Payouts, CompError> {
        let plan = self.plan;
        let (periods, per_person, stride) = self.payout_shape(people.len(), through)?;
        // bound: `payout_shape` checked that the product does not overflow.
        let mut amounts = vec![Decimal::ZERO; people.len().saturating_mul(per_person)];
        // bound: as in `payouts_for`.
        let batch_len = BATCH.saturating_mul(per_person).max(1);
        let mut person_totals = vec![Decimal::ZERO; people.len()];
        let fill = |scratch: &mut Scratch<'a>,
                    (b, (batch, (out, totals))): NumberedRows<'_, '_>| {
            let mut rows = out.chunks_mut(per_person).zip(totals.iter_mut());
            for (key, p) in keys_of(b, batch) {
                let Some((row, total)) = rows.next() else {
                    break;
                };
                let made = self.column_person(key, p, through, scratch, Some(&mut *row), days);
                let made = made.inspect_err(|_| *scratch = Scratch::default())?;
                for s in made.into_iter().rev() {
                    scratch.kept_lines.take_back(s.lines);
                }
                *total = sum_totals(row, stride)?;
            }
            Ok::<(), CompError>(())
        };
        let _ = self.indexes();
        let parts = people.chunks(BATCH).zip(
            amounts
                .chunks_mut(batch_len)
                .zip(person_totals.chunks_mut(BATCH)),
        );
        self.spread(parts, people.len(), fill)?;
        let components = plan
            .components()
            .iter()
            .map(|c| ComponentName::new(c.name()))
            .collect();
        Ok(Payouts::new(
            plan.currency(),
            periods,
            components,
            amounts,
            person_totals,
        ))
    }

    /// [`statements_from_columns`](Self::statements_from_columns) on the
    /// call's engine.
    fn column_statements(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
        days: &Days,
    ) -> Result<Vec<Vec<Statement>>, CompError> {
        let fill =
            |scratch: &mut Scratch<'a>,
             (b, (batch, out)): (usize, (&[PersonInput<'_>], &mut [Vec<Statement>]))| {
                let mut slots = out.iter_mut();
                for (key, p) in keys_of(b, batch) {
                    let made = self.column_person(key, p, through, scratch, None, days);
                    let made = made.inspect_err(|_| *scratch = Scratch::default())?;
                    if let Some(slot) = slots.next() {
                        *slot = made;
                    }
                }
                settle(scratch, out);
                Ok::<(), CompError>(())
            };
        let mut all: Vec<Vec<Statement>> = Vec::new();
        all.resize_with(people.len(), Vec::new);
        let _ = self.indexes();
        let parts = people.chunks(BATCH).zip(all.chunks_mut(BATCH));
        self.spread(parts, people.len(), fill)?;
        Ok(all)
    }

    /// Runs `fill` on each numbered part (on rayon's threads with
    /// [`Execution::Parallel`], for more than 64 people), each with its
    /// thread's scratch; the first failure of the earliest failing part.
    fn spread<P: Send, I>(
        &self,
        parts: I,
        people: usize,
        fill: impl Fn(&mut Scratch<'a>, (usize, P)) -> Result<(), CompError> + Sync + Send,
    ) -> Result<(), CompError>
    where
        I: Iterator<Item = P> + Send,
    {
        let first_failure = match self.execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel if people > 64 => {
                use rayon::prelude::*;
                let parts: Vec<(usize, P)> = parts.enumerate().collect();
                let failures: Vec<Result<(), CompError>> = parts
                    .into_par_iter()
                    .map_init(Scratch::default, fill)
                    .collect();
                failures.into_iter().find_map(Result::err)
            }
            _ => {
                let _ = people;
                let mut scratch = Scratch::default();
                parts
                    .enumerate()
                    .map(|item| fill(&mut scratch, item))
                    .find_map(Result::err)
            }
        };
        first_failure.map_or(Ok(()), Err)
    }
}

/// A numbered batch of people, with their rows of amounts and totals.
type NumberedRows<'b, 'p> = (
    usize,
    (
        &'b [PersonInput<'p>],
        (&'b mut [Decimal], &'b mut [Decimal]),
    ),
);

/// The people of batch `b` (of [`BATCH`]) with their keys.
fn keys_of<'p, 'q>(
    b: usize,
    batch: &'p [PersonInput<'q>],
) -> impl Iterator<Item = (u32, &'p PersonInput<'q>)> {
    // bound: the keys of the columns' people fit a `u32` (the columns
    // check it), and so do the batches' first keys.
    let first = u32::try_from(b.saturating_mul(BATCH)).unwrap_or(u32::MAX);
    (first..=u32::MAX).zip(batch)
}

/// No credits yet.
fn no_credits<'a>() -> Credits<'a> {
    Credits {
        measure: [Decimal::ZERO; MAX_PERIODS],
        uplift: [Decimal::ZERO; MAX_PERIODS],
        sold: [Decimal::ZERO; MAX_PERIODS],
        reversals: Vec::new(),
        sales: FxHashMap::default(),
        clawbacks: Vec::new(),
    }
}

/// A day of the columns as a date.
fn day_date(days: i32) -> Option<NaiveDate> {
    crate::credit::line_columns_date(days)
}

/// The component period of day `day` of the plan year: the first whose
/// end is after it.
fn period_of(ends: &[i32], day: i32) -> usize {
    ends.partition_point(|e| *e <= day)
}

/// Whether line `l` counts for a plain component in the plan year.
fn counts_plain(component: &Component, l: &crate::credit::ColumnLine, year: (i32, i32)) -> bool {
    l.date >= year.0 && l.date < year.1 && l.amount != 0 && component.counts(l.kind)
}

/// A plain component's credits (its lines' amounts, as they are) summed
/// as integers, then written with the digits the row path's decimal sums
/// have (a period without lines keeps a bare zero; one with lines, the
/// scale's). `false`, and `credits` untouched, when a sum overflows.
fn sum_plain(
    component: &Component,
    lines: &[crate::credit::ColumnLine],
    (year, ends): ((i32, i32), &[i32]),
    scale: u32,
    credits: &mut Credits<'_>,
) -> bool {
    let mut measure = [0i64; MAX_PERIODS];
    let mut sold = [0i64; MAX_PERIODS];
    let mut counted = [false; MAX_PERIODS];
    let mut any_sold = [false; MAX_PERIODS];
    for l in lines.iter().filter(|l| counts_plain(component, l, year)) {
        let k = period_of(ends, l.date);
        let (Some(m), Some(c)) = (measure.get_mut(k), counted.get_mut(k)) else {
            continue;
        };
        let Some(sum) = m.checked_add(l.amount) else {
            return false;
        };
        *m = sum;
        *c = true;
        if l.amount > 0 {
            let (Some(s), Some(a)) = (sold.get_mut(k), any_sold.get_mut(k)) else {
                continue;
            };
            let Some(sum) = s.checked_add(l.amount) else {
                return false;
            };
            *s = sum;
            *a = true;
        }
    }
    let Ok(zero) = crate::credit::line_columns_decimal(0, scale) else {
        return false;
    };
    let mut sums = Credits {
        measure: [Decimal::ZERO; MAX_PERIODS],
        uplift: [Decimal::ZERO; MAX_PERIODS],
        sold: [Decimal::ZERO; MAX_PERIODS],
        ..no_credits()
    };
    for k in 0..MAX_PERIODS {
        // A period's sum is a figure: read as it is, never defaulted.
        let (Some(m), Some(s)) = (measure.get(k), sold.get(k)) else {
            continue;
        };
        let slots = (
            sums.measure.get_mut(k),
            sums.uplift.get_mut(k),
            sums.sold.get_mut(k),
        );
        let (Some(m_slot), Some(u_slot), Some(s_slot)) = slots else {
            continue;
        };
        if counted.get(k) == Some(&true) {
            let Ok(m) = crate::credit::line_columns_decimal(*m, scale) else {
                return false;
            };
            *m_slot = m;
            *u_slot = zero;
        }
        if any_sold.get(k) == Some(&true) {
            let Ok(s) = crate::credit::line_columns_decimal(*s, scale) else {
                return false;
            };
            *s_slot = s;
        }
    }
    credits.measure = sums.measure;
    credits.uplift = sums.uplift;
    credits.sold = sums.sold;
    true
}

/// The transactions of a plain component's counted lines, with their
/// component period, for the explanations.
fn push_txs(
    lines: &[crate::credit::ColumnLine],
    (year, ends): ((i32, i32), &[i32]),
    component: &Component,
    scratch: &mut Scratch<'_>,
) {
    for l in lines.iter().filter(|l| counts_plain(component, l, year)) {
        let t = TransactionId::from(l.transaction);
        scratch.txs.push((period_of(ends, l.date), Cow::Owned(t)));
    }
}
