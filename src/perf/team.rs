//! Team progress reports for every manager, rolled up the whole org.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::rank::{Percentiles, rank_cached};
use super::{ActionDue, PaceCurve, Ratio, Share, Status, StatusBands, StatusDriver, overflow};
use crate::activity::ActivityKind;
use crate::calendar::{Period, WorkCalendar};
use crate::ids::{PersonId, PositionId};
use crate::money::{Currency, Money, MoneyError, RateTable, RoundingPolicy};
use crate::org::{Node, NodeIx, OrgSnapshot, Role};
use crate::perf::PerfError;
use crate::quota::{PersonQuota, QuotaTargets};
use crate::rollup::{Aggregate, MoneyRollup, NodeRef, NodeValues, Overflow, RollupError};

/// The most activity kinds a progress report weighs.
pub const MAX_REPORT_KINDS: usize = 8;

/// Activity actual and target per kind slot (the slots are the kinds given
/// to [`ProgressOptions::activity`], in order): one position's own, or a
/// subtree's once rolled up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KindTotals {
    actual: [u64; MAX_REPORT_KINDS],
    target: [u64; MAX_REPORT_KINDS],
}

impl KindTotals {
    /// Nothing done, nothing targeted.
    pub const fn new() -> KindTotals {
        KindTotals {
            actual: [0; MAX_REPORT_KINDS],
            target: [0; MAX_REPORT_KINDS],
        }
    }

    /// Adds `actual` and `target` to kind slot `slot`.
    ///
    /// # Errors
    ///
    /// [`PerfError::KindSlot`] for a slot past [`MAX_REPORT_KINDS`];
    /// [`PerfError::Overflow`] beyond `u64`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::perf::{KindTotals, PerfError, MAX_REPORT_KINDS};
    ///
    /// let mut totals = KindTotals::new();
    /// totals.add(1, 4, 5)?;
    /// totals.add(1, 3, 5)?;
    /// assert_eq!((totals.actual(1), totals.target(1)), (Some(7), Some(10)));
    /// let err = totals.add(MAX_REPORT_KINDS, 1, 1).unwrap_err();
    /// assert!(matches!(err, PerfError::KindSlot { .. }));
    /// # Ok::<(), PerfError>(())
    /// ```
    pub fn add(&mut self, slot: usize, actual: u64, target: u64) -> Result<(), PerfError> {
        let bad = PerfError::KindSlot {
            slot,
            max: MAX_REPORT_KINDS,
        };
        let (Some(a), Some(t)) = (self.actual.get_mut(slot), self.target.get_mut(slot)) else {
            return Err(bad);
        };
        *a = a
            .checked_add(actual)
            .ok_or(PerfError::Overflow { what: "activity" })?;
        *t = t
            .checked_add(target)
            .ok_or(PerfError::Overflow { what: "activity" })?;
        Ok(())
    }

    /// The actual of a slot, or `None` past [`MAX_REPORT_KINDS`].
    pub fn actual(&self, slot: usize) -> Option<u64> {
        self.actual.get(slot).copied()
    }

    /// The target of a slot, or `None` past [`MAX_REPORT_KINDS`].
    pub fn target(&self, slot: usize) -> Option<u64> {
        self.target.get(slot).copied()
    }
}

impl Aggregate for KindTotals {
    fn empty() -> Self {
        KindTotals::new()
    }

    fn merge(&mut self, other: &Self) -> Result<(), Overflow> {
        self.actual.merge(&other.actual)?;
        self.target.merge(&other.target)
    }
}

/// What a progress report covers and how it judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressOptions {
    as_of: NaiveDate,
    curve: PaceCurve,
    bands: StatusBands,
    kinds: Vec<(ActivityKind, Decimal)>,
}

impl ProgressOptions {
    /// Reports as of `as_of` over `curve`'s period (working-day or
    /// seasonal pacing), with the default status bands and no activity.
    pub fn new(as_of: NaiveDate, curve: PaceCurve) -> ProgressOptions {
        ProgressOptions {
            as_of,
            curve,
            bands: StatusBands::default(),
            kinds: Vec::new(),
        }
    }

    /// The status bands.
    #[must_use]
    pub fn bands(mut self, bands: StatusBands) -> ProgressOptions {
        self.bands = bands;
        self
    }

    /// The activity kinds in the report's [`KindTotals`] slots, in order,
    /// with their score weights.
    ///
    /// # Errors
    ///
    /// [`PerfError::KindSlot`] for more than [`MAX_REPORT_KINDS`] kinds;
    /// [`PerfError::NegativeWeight`] for a weight below zero.
    pub fn activity(
        mut self,
        kinds: Vec<(ActivityKind, Decimal)>,
    ) -> Result<ProgressOptions, PerfError> {
        if kinds.len() > MAX_REPORT_KINDS {
            return Err(PerfError::KindSlot {
                slot: kinds.len(),
                max: MAX_REPORT_KINDS,
            });
        }
        if let Some((_, w)) = kinds
            .iter()
            .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
        {
            return Err(PerfError::NegativeWeight {
                period: self.curve.period(),
                weight: *w,
            });
        }
        self.kinds = kinds;
        Ok(self)
    }
}

/// One member of a team (a direct report of the manager) and their
/// subtree's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct MemberRow {
    /// The member's position.
    pub position: PositionId,
    /// Who holds it (`None`: vacant).
    #[cfg_attr(feature = "serde", serde(default))]
    pub holder: Option<PersonId>,
    /// The position's role.
    pub role: Role,
    /// The position's target for the period.
    pub target: Money,
    /// Credited to the member's subtree in the period, to date.
    pub actual: Money,
    /// `actual / target`.
    pub attainment: Ratio,
    /// `actual / expected-to-date`.
    pub pace: Ratio,
    /// Revenue pace and activity banded together.
    pub status: Status,
    /// The weighted activity score of the member's subtree; `None` without
    /// activity data.
    #[cfg_attr(feature = "serde", serde(default))]
    pub activity: Option<Ratio>,
    /// Rank by attainment within the team (ties shared); `None` without a
    /// target.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rank: Option<u32>,
    /// Percentile within the team (1 is the best).
    #[cfg_attr(feature = "serde", serde(default))]
    pub percentile: Option<Decimal>,
    /// Quartile within the team (1 is the top).
    #[cfg_attr(feature = "serde", serde(default))]
    pub quartile: Option<u8>,
    /// Share of the team's actual: `actual / team actual`.
    pub contribution: Ratio,
    /// Actions due for the holder.
    #[cfg_attr(feature = "serde", serde(default))]
    pub actions: Vec<ActionDue>,
    /// What decided the status.
    #[cfg_attr(feature = "serde", serde(default))]
    pub driver: StatusDriver,
    /// When the holder is measured as a person
    /// ([`TeamProgress::measure_person`]): the first day they held the
    /// seat in the period. `None`: the seat's figures.
    #[cfg_attr(feature = "serde", serde(default))]
    pub measured_from: Option<NaiveDate>,
    /// When the holder is measured as a person: everything the seat was
    /// credited in the period, theirs and before them (the team's figure
    /// counts all of it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub seat_actual: Option<Money>,
}

/// A manager's team progress as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct TeamReport {
    /// The manager's position.
    pub manager: PositionId,
    /// Who holds it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub holder: Option<PersonId>,
    /// The period.
    pub period: Period,
    /// As of when.
    pub as_of: NaiveDate,
    /// The manager position's target for the period (the team's goal).
    pub target: Money,
    /// Credited to the manager's whole subtree to date: the manager's own
    /// credit plus every member's subtree.
    pub actual: Money,
    /// Credited to the manager's own position.
    pub own_actual: Money,
    /// The target expected by now: `target × expected fraction`
    /// (multiplied first, one division), rounded half away from zero to
    /// minor units.
    pub expected: Money,
    /// `actual / target`.
    pub attainment: Ratio,
    /// `actual / expected` (unrounded expected, one division).
    pub pace: Ratio,
    /// Projection to the period's end at the run rate so far:
    /// `actual / expected fraction` (one division), rounded half away from
    /// zero to minor units; `None` before anything is expected.
    #[cfg_attr(feature = "serde", serde(default))]
    pub projection: Option<Money>,
    /// Revenue pace and activity banded together.
    pub status: Status,
    /// What decided the status.
    #[cfg_attr(feature = "serde", serde(default))]
    pub driver: StatusDriver,
    /// The weighted activity score of the subtree.
    #[cfg_attr(feature = "serde", serde(default))]
    pub activity: Option<Ratio>,
    /// Targets of vacant seats in the subtree (the manager's own included):
    /// quota nobody is working.
    pub uncovered: Money,
    /// The direct reports, by rank then position.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: Vec<MemberRow>,
}

impl fmt::Display for TeamReport {
    /// The report as a manager reads it: attainment, pace, activity and
    /// shares as percentages with two decimals, each status with what drove
    /// it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = self.holder.as_ref().map_or("vacant", PersonId::as_str);
        writeln!(
            f,
            "{} ({who}), {} to {} as of {}",
            self.manager,
            self.period.start(),
            self.period.last_day(),
            self.as_of
        )?;
        write!(
            f,
            "  target {}  actual {} ({})  expected {}  pace {}  status {} ({})",
            self.target,
            self.actual,
            Pct2(&self.attainment),
            self.expected,
            Pct2(&self.pace),
            self.status,
            self.driver
        )?;
        if let Some(p) = &self.projection {
            write!(f, "  projected {p}")?;
        }
        if let Some(a) = &self.activity {
            write!(f, "  activity {}", Pct2(a))?;
        }
        writeln!(f)?;
        if !self.uncovered.is_zero() {
            writeln!(f, "  uncovered quota (vacant seats): {}", self.uncovered)?;
        }
        for m in &self.members {
            write_member(f, m)?;
        }
        Ok(())
    }
}

fn write_member(f: &mut fmt::Formatter<'_>, m: &MemberRow) -> fmt::Result {
    let rank = m.rank.map_or("-".to_string(), |r| format!("#{r}"));
    write!(
        f,
        "  {rank:>4} {:<12} {:<14} attainment {:>8}  pace {:>8}  {:<8} ({})  share {}",
        m.position.as_str(),
        m.holder.as_ref().map_or("vacant", PersonId::as_str),
        Pct2(&m.attainment).to_string(),
        Pct2(&m.pace).to_string(),
        m.status.to_string(),
        m.driver,
        Pct2(&m.contribution)
    )?;
    if let Some(a) = &m.activity {
        write!(f, "  activity {}", Pct2(a))?;
    }
    writeln!(f)?;
    if let Some(since) = m.measured_from {
        write!(
            f,
            "         measured as a person from {since}: own quota {}, own credit {}",
            m.target, m.actual
        )?;
        if let Some(seat) = m.seat_actual.filter(|s| *s != m.actual) {
            write!(f, " (the seat was credited {seat} in all)")?;
        }
        writeln!(f)?;
    }
    for a in &m.actions {
        writeln!(f, "         due: {a}")?;
    }
    Ok(())
}

/// A ratio as a percentage with exactly two decimals (half away from
/// zero), or "n/a" when nothing was expected.
struct Pct2<'a>(&'a Ratio);

impl fmt::Display for Pct2<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Ratio::Value(r) => match r.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) => {
                    let mut p = p.round_dp_with_strategy(
                        2,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    );
                    p.rescale(2);
                    write!(f, "{p}%")
                }
                None => write!(f, "{r}x"),
            },
            Ratio::ZeroDenominator { .. } => f.write_str("n/a"),
        }
    }
}

/// Everything a manager's report needs, rolled up once for the whole org:
/// targets, actuals, vacancies and activity per subtree. Each
/// [`report`](Self::report) then reads a manager's node and their direct
/// reports', so every manager's report together is one pass over the org.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::{DateRange, WorkCalendar};
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
/// use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
/// use salesplan::{Currency, Money, Period, PersonId, PositionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let always = DateRange::starting(d(1, 1));
/// let org = Org::builder()
///     .position(Position::new(pos("mgr"), Role::TeamLead))
///     .positions(["r1", "r2"].map(|p| Position::new(pos(p), Role::SalesRep)))
///     .line(ReportingLine::top(pos("mgr"), always))
///     .lines(["r1", "r2"].map(|p| ReportingLine::new(pos(p), pos("mgr"), always)))
///     .assignment(Assignment::new(PersonId::new("ana")?, pos("r1"), always))
///     .build()?;
/// let snapshot = org.as_of(d(3, 31))?;
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let targets = NodeValues::from_fn(&snapshot, |n| match n.id().as_str() {
///     "mgr" => usd("200000.00"),
///     _ => usd("100000.00"),
/// });
/// let credits = vec![(pos("r1"), d(2, 1), usd("60000.00")), (pos("r2"), d(2, 2), usd("20000.00"))];
/// let actual = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q1))?;
/// let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
/// let progress = TeamProgress::new(&targets, &actual, ProgressOptions::new(d(3, 31), curve))?;
/// let report = progress.report(snapshot.root().index())?;
/// assert_eq!(report.attainment.to_string(), "40%");
/// assert_eq!(report.uncovered.to_string(), "300000.00 USD"); // mgr and r2 are vacant
/// assert_eq!(report.members[0].position.as_str(), "r1");
/// assert_eq!(report.members[0].contribution.to_string(), "75%");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TeamProgress<'s> {
    snapshot: &'s OrgSnapshot,
    currency: Currency,
    period: Period,
    as_of: NaiveDate,
    /// The share of every target expected by the as-of date, exactly.
    share: Share,
    /// The same share as a decimal, for display.
    fraction: Decimal,
    bands: StatusBands,
    weights: Vec<Decimal>,
    /// Per node: own target, own actual, subtree actual (minor units).
    own_target: Vec<i128>,
    own_actual: Vec<i128>,
    subtree_actual: Vec<i128>,
    /// Per node: targets of vacant seats in the subtree.
    uncovered: Vec<i128>,
    /// Per node: the subtree's activity (empty without activity data).
    activity: Vec<KindTotals>,
    actions: BTreeMap<PersonId, Vec<ActionDue>>,
    work: WorkCalendar,
    /// Holders measured on their own figures, by node index.
    people: BTreeMap<usize, PersonFigures>,
}

/// Adds (working days, calendar days) pairs.
fn add_days(a: (u32, u32), b: (u32, u32)) -> Result<(u32, u32), PerfError> {
    let days = |x: u32, y: u32| x.checked_add(y).ok_or(PerfError::Overflow { what: "days" });
    Ok((days(a.0, b.0)?, days(a.1, b.1)?))
}

/// One holder's own figures, in minor units (expected exact).
#[derive(Debug, Clone)]
struct PersonFigures {
    target: i128,
    expected: Decimal,
    actual: i128,
    since: NaiveDate,
}

/// Ranks a team's rows by attainment (rank, percentile, quartile) and
/// sorts them: ranked first, by rank, then by position.
fn rank_members(rows: &mut [MemberRow], percentiles: &mut Percentiles) -> Result<(), PerfError> {
    let keyed: Vec<(usize, Ratio)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.attainment))
        .collect();
    for r in rank_cached(&keyed, percentiles)? {
        if let Some(row) = rows.get_mut(r.key) {
            row.rank = r.rank;
            row.percentile = r.percentile;
            row.quartile = r.quartile;
        }
    }
    rows.sort_by(|a, b| {
        (a.rank.is_none(), a.rank, &a.position).cmp(&(b.rank.is_none(), b.rank, &b.position))
    });
    Ok(())
}

fn rollup_error(source: RollupError) -> PerfError {
    PerfError::Rollup {
        source: Box::new(source),
    }
}

impl<'s> TeamProgress<'s> {
    /// Rolls up `targets` (each position's own target for the curve's
    /// period, in node order) and `actual` (credits to date, from
    /// [`crate::rollup::sum_credits`]) for reports as of `options`' date.
    ///
    /// # Errors
    ///
    /// [`PerfError::AsOfOutsidePeriod`]; [`PerfError::Rollup`] for targets
    /// of another snapshot, in another currency than the credits, or not
    /// in minor units; [`PerfError::NegativeTarget`]; [`PerfError::Overflow`].
    pub fn new(
        targets: &NodeValues<'s, Money>,
        actual: &MoneyRollup<'s>,
        options: ProgressOptions,
    ) -> Result<TeamProgress<'s>, PerfError> {
        let snapshot = actual.snapshot();
        let share = options.curve.expected_share(options.as_of)?;
        let currency = actual.currency();
        let n = snapshot.len();
        let mut own_target = Vec::with_capacity(n);
        let mut own_actual = Vec::with_capacity(n);
        let mut subtree_actual = Vec::with_capacity(n);
        let mut vacant = Vec::with_capacity(n);
        if !std::ptr::eq(targets.snapshot(), snapshot) || targets.len() != n {
            return Err(rollup_error(RollupError::SnapshotMismatch {
                expected: n,
                found: targets.len(),
            }));
        }
        for node in snapshot.nodes() {
            let ix = node.index();
            let target = targets.get(ix).ok_or_else(|| {
                rollup_error(RollupError::SnapshotMismatch {
                    expected: n,
                    found: targets.len(),
                })
            })?;
            let amount_error = |source| {
                rollup_error(RollupError::Amount {
                    position: node.id().clone(),
                    source,
                })
            };
            if target.currency() != currency {
                return Err(amount_error(MoneyError::CurrencyMismatch {
                    left: currency,
                    right: target.currency(),
                }));
            }
            let minor = target.to_minor().map_err(amount_error)?;
            if minor < 0 {
                return Err(PerfError::NegativeTarget {
                    target: target.amount(),
                });
            }
            own_target.push(minor);
            own_actual.push(
                actual
                    .own(ix)
                    .map_err(rollup_error)?
                    .to_minor()
                    .map_err(amount_error)?,
            );
            subtree_actual.push(
                actual.subtree_minor(ix).ok_or_else(|| {
                    rollup_error(RollupError::NodeOutOfRange { index: ix.index() })
                })?,
            );
            vacant.push(if node.holder().is_none() { minor } else { 0 });
        }
        let uncovered = roll_up(snapshot, vacant)?;
        Ok(TeamProgress {
            snapshot,
            currency,
            period: options.curve.period(),
            as_of: options.as_of,
            share,
            fraction: share.fraction()?,
            bands: options.bands,
            weights: options.kinds.iter().map(|(_, w)| *w).collect(),
            own_target,
            own_actual,
            subtree_actual,
            uncovered,
            activity: Vec::new(),
            actions: BTreeMap::new(),
            work: options.curve.work().clone(),
            people: BTreeMap::new(),
        })
    }

    /// Adds activity: each position's own [`KindTotals`] (actual and
    /// prorated target to date per kind slot), rolled up here.
    ///
    /// # Errors
    ///
    /// [`PerfError::Rollup`] when a subtree total overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::ActivityKind;
    /// use salesplan::perf::KindTotals;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::{DateRange, WorkCalendar};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
    /// # use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
    /// # use salesplan::{Currency, Money, Period, PersonId, PositionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("vp"), Role::Director))
    /// #     .position(Position::new(pos("mgr"), Role::TeamLead))
    /// #     .positions(["r1", "r2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("mgr"), pos("vp"), always))
    /// #     .lines(["r1", "r2"].map(|p| ReportingLine::new(pos(p), pos("mgr"), always)))
    /// #     .assignment(Assignment::new(PersonId::new("ana")?, pos("r1"), always))
    /// #     .assignment(Assignment::new(PersonId::new("bo")?, pos("r2"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(d(3, 31))?;
    /// # let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// // vp > mgr > r1 (ana), r2 (bo); each rep's own Q1 target is 100,000, and they sold 60,000 and 20,000.
    /// # let targets = NodeValues::from_fn(&snapshot, |n| match n.id().as_str() {
    /// #     "r1" | "r2" => usd("100000.00"),
    /// #     _ => usd("0.00"),
    /// # });
    /// # let credits = vec![(pos("r1"), d(2, 1), usd("60000.00")), (pos("r2"), d(2, 2), usd("20000.00"))];
    /// # let actual = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q1))?;
    /// # let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
    ///
    /// // One kind in slot 0: meetings, the rep r1 held 8 of 10 to date, r2 3 of 10.
    /// let options = ProgressOptions::new(d(3, 31), curve).activity(vec![(ActivityKind::Meeting, Decimal::ONE)])?;
    /// let own = NodeValues::from_fn(&snapshot, |n| {
    ///     let mut totals = KindTotals::new();
    ///     match n.id().as_str() {
    ///         "r1" => totals.add(0, 8, 10).unwrap(),
    ///         "r2" => totals.add(0, 3, 10).unwrap(),
    ///         _ => {}
    ///     }
    ///     totals
    /// });
    /// let progress = TeamProgress::new(&targets, &actual, options)?.with_activity(own)?;
    /// let team = progress.report(snapshot.root().index())?;
    /// assert_eq!(team.activity.map(|a| a.to_string()), Some("55%".into())); // 11 of 20
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_activity(
        mut self,
        own: NodeValues<'s, KindTotals>,
    ) -> Result<TeamProgress<'s>, PerfError> {
        let rolled = own.roll_up().map_err(rollup_error)?;
        self.activity = rolled.into_vec();
        Ok(self)
    }

    /// Adds the actions due (from [`super::EscalationPolicy::evaluate`]),
    /// shown on the rows of the people they are for.
    #[must_use]
    pub fn with_actions(
        mut self,
        actions: impl IntoIterator<Item = ActionDue>,
    ) -> TeamProgress<'s> {
        for a in actions {
            self.actions.entry(a.person.clone()).or_default().push(a);
        }
        for list in self.actions.values_mut() {
            list.sort_by_key(|a| (a.as_of, a.rule));
        }
        self
    }

    /// Measures the holder of `quota`'s person on their own figures
    /// instead of the seat's: their quota for the period (prorated to the
    /// days they held the seat and ramped, from
    /// [`QuotaTargets::person_quota`]), the credit `actual` that is theirs
    /// (credited to them as a person, so not what the seat booked before
    /// they came: [`CreditTotals::person`](crate::credit::CreditTotals::person)),
    /// and, for pace, the part of their quota expected by the as-of date:
    /// each month's line times the working days of their stretches in it
    /// that have elapsed, over all of those working days (calendar days in
    /// a month without working days).
    ///
    /// Their row then shows their own target, actual, attainment, pace and
    /// status, the first day they held the seat ([`MemberRow::measured_from`])
    /// and what the seat was credited in all ([`MemberRow::seat_actual`]).
    /// The team's figures stay the seats': the manager answers for the
    /// whole plan and every deal the team booked.
    ///
    /// # Errors
    ///
    /// [`PerfError::NotSeated`] when the person holds no seat in the
    /// snapshot; [`PerfError::LeadsTeam`] when their seat has direct
    /// reports (a team is measured as a team);
    /// [`PerfError::QuotaPeriod`] for a quota of another period;
    /// [`PerfError::PersonCurrency`] for a quota or credit in another
    /// currency.
    ///
    /// # Examples
    ///
    /// Ana joins on 1 March; the seat's 30,000 quarter was 10,000 a month,
    /// and the seat booked 9,000 in January before her:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::{DateRange, FiscalCalendar, WorkCalendar};
    /// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
    /// use salesplan::quota::{Measures, PersonQuotaOptions, QuotaPlan};
    /// use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
    /// use salesplan::{Currency, Money, Period, PersonId, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let ana = PersonId::new("ana")?;
    /// let org = Org::builder()
    ///     .position(Position::new(pos("lead"), Role::TeamLead))
    ///     .position(Position::new(pos("r1"), Role::SalesRep))
    ///     .line(ReportingLine::top(pos("lead"), DateRange::starting(d(1, 1))))
    ///     .line(ReportingLine::new(pos("r1"), pos("lead"), DateRange::starting(d(1, 1))))
    ///     .assignment(Assignment::new(ana.clone(), pos("r1"), DateRange::starting(d(3, 1))))
    ///     .build()?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("120000.00"));
    /// let january = org.as_of(d(1, 1))?;
    /// let quotas = plan.cascade(&january, &Measures::new())?;
    /// let quota = quotas.person_quota(&ana, &q1, &PersonQuotaOptions::new())?;
    /// assert_eq!(quota.total, usd("10000.00"));
    ///
    /// let snapshot = org.as_of(d(3, 15))?;
    /// let targets = NodeValues::from_fn(&snapshot, |_| usd("30000.00"));
    /// let credits = [(pos("r1"), d(1, 20), usd("9000.00")), (pos("r1"), d(3, 10), usd("2500.00"))];
    /// let actual = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q1))?;
    /// let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
    /// let progress = TeamProgress::new(&targets, &actual, ProgressOptions::new(d(3, 14), curve))?
    ///     .measure_person(&quota, usd("2500.00"))?;
    /// let lead = snapshot.node(&pos("lead")).unwrap().index();
    /// let report = progress.report(lead)?;
    /// let row = &report.members[0];
    /// assert_eq!((row.target, row.actual), (usd("10000.00"), usd("2500.00")));
    /// assert_eq!(row.seat_actual, Some(usd("11500.00")));
    /// assert_eq!(row.measured_from, Some(d(3, 1)));
    /// // 10 of March's 21 working days have passed: 4,761.90 expected.
    /// assert_eq!(row.pace.to_string(), "52.5%");
    /// assert_eq!(report.actual, usd("11500.00")); // the team keeps every deal
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn measure_person(
        mut self,
        quota: &PersonQuota,
        actual: Money,
    ) -> Result<TeamProgress<'s>, PerfError> {
        let person = &quota.person;
        let node = self
            .snapshot
            .nodes()
            .find(|n| n.holder() == Some(person))
            .ok_or_else(|| PerfError::NotSeated {
                person: person.clone(),
                as_of: self.snapshot.date(),
            })?;
        if node.direct_reports() > 0 {
            return Err(PerfError::LeadsTeam {
                person: person.clone(),
                position: node.id().clone(),
            });
        }
        if quota.period != self.period {
            return Err(PerfError::QuotaPeriod {
                person: person.clone(),
                quota: quota.period,
                progress: self.period,
            });
        }
        let minor = |m: Money| {
            if m.currency() != self.currency {
                return Err(PerfError::PersonCurrency {
                    person: person.clone(),
                    expected: self.currency,
                    found: m.currency(),
                });
            }
            m.to_minor().map_err(overflow("person"))
        };
        let figures = PersonFigures {
            target: minor(quota.total)?,
            expected: self.expected_of(quota)?,
            actual: minor(actual)?,
            since: quota
                .lines
                .iter()
                .flat_map(|l| l.held.iter().map(Period::start))
                .min()
                .unwrap_or(self.period.start()),
        };
        self.people.insert(node.index().index(), figures);
        Ok(self)
    }

    /// The part of `quota` expected by the as-of date: each line times the
    /// elapsed working days of its stretches over all of them.
    fn expected_of(&self, quota: &PersonQuota) -> Result<Decimal, PerfError> {
        // `as_of` is inside the period, so it has a next day.
        let through = self.as_of.succ_opt().unwrap_or(self.as_of);
        let mut expected = Decimal::ZERO;
        for line in &quota.lines {
            let (mut held, mut elapsed) = ((0u32, 0u32), (0u32, 0u32));
            for h in &line.held {
                held = add_days(held, (self.work.working_days(h), h.days()))?;
                if h.start() < through {
                    let e = Period::new(h.start(), through.min(h.end())).unwrap_or(*h);
                    elapsed = add_days(elapsed, (self.work.working_days(&e), e.days()))?;
                }
            }
            let (num, den) = if held.0 == 0 {
                (elapsed.1, held.1)
            } else {
                (elapsed.0, held.0)
            };
            if den == 0 {
                continue;
            }
            let part = crate::money::mul(line.amount.amount(), Decimal::from(num))
                .and_then(|x| crate::money::div(x, Decimal::from(den)))
                .and_then(|x| crate::money::add(expected, x))
                .map_err(overflow("expected"))?;
            expected = part;
        }
        Ok(expected)
    }

    /// The snapshot.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// The share of every target expected by the as-of date.
    pub const fn expected_fraction(&self) -> Decimal {
        self.fraction
    }

    fn money(&self, minor: i128) -> Result<Money, PerfError> {
        Money::from_minor(minor, self.currency).map_err(overflow("money"))
    }

    /// A node's entry in one of the per-node vectors.
    fn at(v: &[i128], node: NodeIx) -> Result<i128, PerfError> {
        v.get(node.index()).copied().ok_or_else(|| {
            rollup_error(RollupError::NodeOutOfRange {
                index: node.index(),
            })
        })
    }

    fn activity_of(&self, node: NodeIx) -> Result<Option<Ratio>, PerfError> {
        let Some(totals) = self.activity.get(node.index()) else {
            return Ok(None);
        };
        let mut weighted = Decimal::ZERO;
        let mut total = Decimal::ZERO;
        for (slot, w) in self.weights.iter().enumerate() {
            let (Some(target), Some(actual)) = (totals.target(slot), totals.actual(slot)) else {
                return Err(PerfError::KindSlot {
                    slot,
                    max: MAX_REPORT_KINDS,
                });
            };
            if w.is_zero() || target == 0 {
                continue;
            }
            // w × actual / target: the weight multiplies before the division.
            let part = crate::money::mul(*w, Decimal::from(actual))
                .and_then(|x| crate::money::div(x, Decimal::from(target)))
                .map_err(overflow("activity"))?;
            weighted = crate::money::add(weighted, part).map_err(overflow("activity"))?;
            total = crate::money::add(total, *w).map_err(overflow("activity"))?;
        }
        Ratio::of(weighted, total)
            .map(Some)
            .map_err(overflow("activity"))
    }

    /// Attainment, pace and status of one node's subtree.
    fn figures(&self, node: NodeIx) -> Result<Figures, PerfError> {
        let places = u32::from(self.currency.minor_units());
        let dec = |minor: i128| {
            Decimal::try_from_i128_with_scale(minor, places)
                .map_err(|_| PerfError::Overflow { what: "amount" })
        };
        let (attainment, pace) = match self.people.get(&node.index()) {
            // A holder measured on their own quota, credit and expected
            // part of it.
            Some(p) => {
                let (target, actual) = (dec(p.target)?, dec(p.actual)?);
                (
                    Ratio::of(actual, target).map_err(overflow("attainment"))?,
                    Ratio::of(actual, p.expected).map_err(overflow("pace"))?,
                )
            }
            None => {
                let target = dec(Self::at(&self.own_target, node)?)?;
                let actual = dec(Self::at(&self.subtree_actual, node)?)?;
                (
                    Ratio::of(actual, target).map_err(overflow("attainment"))?,
                    self.share.pace(actual, target)?,
                )
            }
        };
        let activity = self.activity_of(node)?;
        let (status, driver) = self.bands.status_and_driver(&pace, activity.as_ref());
        Ok(Figures {
            attainment,
            pace,
            status,
            driver,
            activity,
        })
    }

    /// Every node's figures, in node order.
    fn all_figures(&self) -> Result<Vec<Figures>, PerfError> {
        let mut out = Vec::with_capacity(self.snapshot.len());
        for node in self.snapshot.nodes() {
            out.push(self.figures(node.index())?);
        }
        Ok(out)
    }

    fn cached(&self, cache: Option<&[Figures]>, node: NodeIx) -> Result<Figures, PerfError> {
        match cache.and_then(|c| c.get(node.index())) {
            Some(f) => Ok(f.clone()),
            None => self.figures(node),
        }
    }

    /// The report of the manager at `node` (any node; a node without
    /// direct reports has no member rows).
    ///
    /// # Errors
    ///
    /// [`PerfError::Rollup`] for a node of another snapshot;
    /// [`PerfError::Overflow`].
    pub fn report(&self, node: NodeIx) -> Result<TeamReport, PerfError> {
        self.report_with(node, None, &mut Percentiles::default())
    }

    fn report_with(
        &self,
        node: NodeIx,
        cache: Option<&[Figures]>,
        percentiles: &mut Percentiles,
    ) -> Result<TeamReport, PerfError> {
        node.locate(self.snapshot).map_err(rollup_error)?;
        let manager = self.snapshot.node_at(node).ok_or_else(|| {
            rollup_error(RollupError::NodeOutOfRange {
                index: node.index(),
            })
        })?;
        let team_actual = Self::at(&self.subtree_actual, node)?;
        let Figures {
            attainment,
            pace,
            status,
            driver,
            activity,
        } = self.cached(cache, node)?;
        let mut rows = Vec::new();
        for m in manager.children() {
            rows.push(self.member_row(&m, cache, team_actual)?);
        }
        rank_members(&mut rows, percentiles)?;
        let target = self.money(Self::at(&self.own_target, node)?)?;
        let actual = self.money(team_actual)?;
        let expected = Money::new(self.share.of(target.amount())?, self.currency)
            .round(RoundingPolicy::HalfAwayFromZero);
        let projection = self
            .share
            .projection(actual.amount())?
            .value()
            .map(|p| Money::new(p, self.currency).round(RoundingPolicy::HalfAwayFromZero));
        Ok(TeamReport {
            manager: manager.id().clone(),
            holder: manager.holder().cloned(),
            period: self.period,
            as_of: self.as_of,
            target,
            actual,
            own_actual: self.money(Self::at(&self.own_actual, node)?)?,
            expected,
            attainment,
            pace,
            projection,
            status,
            driver,
            activity,
            uncovered: self.money(Self::at(&self.uncovered, node)?)?,
            members: rows,
        })
    }

    /// The row of one direct report, unranked; `team_actual` is the whole
    /// team's actual, which its contribution is a share of.
    fn member_row(
        &self,
        m: &Node<'s>,
        cache: Option<&[Figures]>,
        team_actual: i128,
    ) -> Result<MemberRow, PerfError> {
        let ix = m.index();
        let Figures {
            attainment,
            pace,
            status,
            driver,
            activity,
        } = self.cached(cache, ix)?;
        let seat_actual = Self::at(&self.subtree_actual, ix)?;
        let person = self.people.get(&ix.index());
        let (target, actual) = match person {
            Some(p) => (p.target, p.actual),
            None => (Self::at(&self.own_target, ix)?, seat_actual),
        };
        Ok(MemberRow {
            position: m.id().clone(),
            holder: m.holder().cloned(),
            role: m.role().clone(),
            target: self.money(target)?,
            actual: self.money(actual)?,
            attainment,
            pace,
            status,
            driver,
            measured_from: person.map(|p| p.since),
            seat_actual: person.map(|_| self.money(seat_actual)).transpose()?,
            activity,
            rank: None,
            percentile: None,
            quartile: None,
            contribution: Ratio::of(
                crate::money::integer(actual).map_err(overflow("contribution"))?,
                crate::money::integer(team_actual).map_err(overflow("contribution"))?,
            )
            .map_err(overflow("contribution"))?,
            actions: m
                .holder()
                .and_then(|p| self.actions.get(p))
                .cloned()
                .unwrap_or_default(),
        })
    }

    /// The report of every manager (every node with direct reports), in
    /// the snapshot's node order (pre-order from the top).
    ///
    /// # Errors
    ///
    /// As [`report`](Self::report).
    ///
    /// # Examples
    ///
    /// Every manager's report, from the top: the director's team is the
    /// team lead's whole team.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::{DateRange, WorkCalendar};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
    /// # use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
    /// # use salesplan::{Currency, Money, Period, PersonId, PositionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("vp"), Role::Director))
    /// #     .position(Position::new(pos("mgr"), Role::TeamLead))
    /// #     .positions(["r1", "r2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("mgr"), pos("vp"), always))
    /// #     .lines(["r1", "r2"].map(|p| ReportingLine::new(pos(p), pos("mgr"), always)))
    /// #     .assignment(Assignment::new(PersonId::new("ana")?, pos("r1"), always))
    /// #     .assignment(Assignment::new(PersonId::new("bo")?, pos("r2"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(d(3, 31))?;
    /// # let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// // vp > mgr > r1 (ana), r2 (bo); each rep's own Q1 target is 100,000, and they sold 60,000 and 20,000.
    /// # let targets = NodeValues::from_fn(&snapshot, |n| match n.id().as_str() {
    /// #     "r1" | "r2" => usd("100000.00"),
    /// #     _ => usd("0.00"),
    /// # });
    /// # let credits = vec![(pos("r1"), d(2, 1), usd("60000.00")), (pos("r2"), d(2, 2), usd("20000.00"))];
    /// # let actual = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q1))?;
    /// # let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
    ///
    /// let progress = TeamProgress::new(&targets, &actual, ProgressOptions::new(d(3, 31), curve))?;
    /// let reports = progress.reports()?;
    /// let managers: Vec<&str> = reports.iter().map(|r| r.manager.as_str()).collect();
    /// assert_eq!(managers, ["vp", "mgr"]);
    /// assert_eq!(reports[1].actual.to_string(), "80000.00 USD");
    /// let ranked: Vec<String> = reports[1].members.iter()
    ///     .map(|m| format!("{} {} {}", m.position, m.attainment, m.status)).collect();
    /// assert_eq!(ranked, ["r1 60% behind", "r2 20% behind"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reports(&self) -> Result<Vec<TeamReport>, PerfError> {
        let mut out = Vec::new();
        self.for_each_report(|r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with every manager's report in node order, without
    /// keeping them all (a million-position org has a hundred thousand
    /// managers).
    ///
    /// # Errors
    ///
    /// As [`report`](Self::report), or the first error `f` returns.
    pub fn for_each_report(
        &self,
        mut f: impl FnMut(TeamReport) -> Result<(), PerfError>,
    ) -> Result<(), PerfError> {
        // Each node's figures once (a manager is also a member of their
        // manager's team), and percentiles shared by teams of one size.
        let cache = self.all_figures()?;
        let mut percentiles = Percentiles::default();
        for node in self.snapshot.nodes() {
            if node.direct_reports() > 0 {
                f(self.report_with(node.index(), Some(&cache), &mut percentiles)?)?;
            }
        }
        Ok(())
    }
}

/// One subtree's attainment, pace, status and activity.
#[derive(Debug, Clone)]
struct Figures {
    attainment: Ratio,
    pace: Ratio,
    status: Status,
    driver: StatusDriver,
    activity: Option<Ratio>,
}

/// Rolls a per-node `i128` vector (in node order) up the snapshot.
fn roll_up(snapshot: &OrgSnapshot, own: Vec<i128>) -> Result<Vec<i128>, PerfError> {
    debug_assert_eq!(own.len(), snapshot.len());
    let mut own = own.into_iter();
    // bound: `own` holds one value per node, in node order, and `from_fn`
    // asks for exactly one per node, so the iterator never runs dry.
    let values = NodeValues::from_fn(snapshot, |_| own.next().unwrap_or(0));
    Ok(values.roll_up().map_err(rollup_error)?.into_vec())
}

/// Each position's own target over `period` from a quota plan: the sum of
/// its plan months that lie within `period`, in node order, for
/// [`TeamProgress::new`].
///
/// # Errors
///
/// [`PerfError::NotWholeMonths`] unless `period` is a run of whole plan
/// months; [`PerfError::Overflow`].
pub fn period_targets<'s>(
    quota: &QuotaTargets<'s>,
    period: &Period,
) -> Result<NodeValues<'s, Money>, PerfError> {
    let months = quota.splitter().months();
    let mut inside = [false; 12];
    let mut covered = 0u32;
    for (flag, m) in inside.iter_mut().zip(months) {
        if period.encloses(m) {
            *flag = true;
            covered = covered
                .checked_add(m.days())
                .ok_or(PerfError::Overflow { what: "period" })?;
        } else if period.overlaps(m) {
            return Err(PerfError::NotWholeMonths { period: *period });
        }
    }
    if covered != period.days() {
        return Err(PerfError::NotWholeMonths { period: *period });
    }
    let currency = quota.plan().target().currency();
    let mut sums: Vec<Option<i128>> = Vec::with_capacity(quota.snapshot().len());
    quota.for_each_month(|_, figures| {
        sums.push(
            figures
                .iter()
                .zip(inside)
                .filter(|(_, i)| *i)
                .try_fold(0i128, |acc, (v, _)| acc.checked_add(*v)),
        );
    });
    let mut values = Vec::with_capacity(sums.len());
    for s in sums {
        let s = s.ok_or(PerfError::Overflow { what: "target" })?;
        values.push(Money::from_minor(s, currency).map_err(overflow("target"))?);
    }
    let mut it = values.into_iter();
    // `for_each_month` gave one value per node, in node order.
    Ok(NodeValues::from_fn(quota.snapshot(), |_| {
        it.next().unwrap_or(Money::zero(currency))
    }))
}

/// Each position's target converted into `to`, the reporting currency, at
/// the rate in force on `on` (one date for the whole plan: the plan or
/// budget rate), each rounded once, to `to`'s minor units, with `policy`.
/// Pair it with actuals credited under the plan in the reporting currency
/// ([`CreditPlan::in_currency`](crate::credit::CreditPlan::in_currency)) for
/// team progress in that currency. A manager's converted target is their
/// own target converted, not the sum of their reports' converted targets
/// (each is rounded once, so the two can differ by rounding).
///
/// # Errors
///
/// [`PerfError::NoFxRate`] naming the position, the pair and the date;
/// [`PerfError::Overflow`] for a product beyond a `Decimal`.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::money::{RateTable, RoundingPolicy};
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::perf::targets_in;
/// use salesplan::rollup::NodeValues;
/// use salesplan::{Currency, Money, PositionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let lead = PositionId::new("lead")?;
/// let org = Org::builder()
///     .position(Position::new(lead.clone(), Role::TeamLead))
///     .line(ReportingLine::top(lead.clone(), DateRange::starting(d(1, 1))))
///     .build()?;
/// let snapshot = org.as_of(d(1, 1))?;
/// let usd = NodeValues::from_fn(&snapshot, |_| Money::parse("100000.00", Currency::USD).unwrap());
/// let rates = RateTable::new().with(Currency::USD, Currency::EUR, d(1, 1), "0.9215".parse()?)?;
/// let eur = targets_in(&usd, Currency::EUR, &rates, d(1, 1), RoundingPolicy::HalfEven)?;
/// assert_eq!(eur.get(snapshot.root().index()).unwrap().to_string(), "92150.00 EUR");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn targets_in<'s>(
    targets: &NodeValues<'s, Money>,
    to: Currency,
    rates: &RateTable,
    on: NaiveDate,
    policy: RoundingPolicy,
) -> Result<NodeValues<'s, Money>, PerfError> {
    let snapshot = targets.snapshot();
    let mut out = Vec::with_capacity(targets.len());
    for node in snapshot.nodes() {
        let Some(target) = targets.get(node.index()) else {
            return Err(rollup_error(RollupError::SnapshotMismatch {
                expected: snapshot.len(),
                found: targets.len(),
            }));
        };
        let converted = rates
            .convert(*target, to, on, policy)
            .map_err(|source| match source {
                MoneyError::NoFxRate { from, to, date } => PerfError::NoFxRate {
                    position: node.id().clone(),
                    from,
                    to,
                    date,
                },
                other => overflow("target")(other),
            })?;
        out.push(converted);
    }
    let mut it = out.into_iter();
    // One value per node, in node order, as built above.
    Ok(NodeValues::from_fn(snapshot, |_| {
        it.next().unwrap_or(Money::zero(to))
    }))
}
