//! Contests and recognition: rank people by a measure over a date window
//! and award prizes, ties sharing exactly.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::allocation::Split;
use crate::bonus::BonusError;
use crate::calendar::Period;
use crate::ids::{PersonId, PlanId};
use crate::money::{Money, add};

/// What a contest ranks by (a label: the values come with the events).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum ContestMeasure {
    /// Revenue booked.
    Revenue,
    /// New customer accounts won.
    NewLogos,
    /// Appointments held.
    Appointments,
    /// Anything else, by name.
    Custom(String),
}

impl fmt::Display for ContestMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContestMeasure::Revenue => f.write_str("revenue"),
            ContestMeasure::NewLogos => f.write_str("new logos"),
            ContestMeasure::Appointments => f.write_str("appointments"),
            ContestMeasure::Custom(name) => f.write_str(name),
        }
    }
}

/// How a contest awards prizes.
///
/// In JSON, `{"top_n": {"prizes": ["1000.00 USD", "500.00 USD"]}}` or
/// `{"threshold": {"threshold": "10", "prize": "250.00 USD"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Award {
    /// Prizes for places 1, 2, ... N. People tied on a value share the
    /// prizes of the places they occupy together, split equally and
    /// exactly (the odd minor unit to the smaller person id).
    TopN {
        /// The prize for each place, first place first.
        prizes: Vec<Money>,
    },
    /// The same prize for everyone at or above a threshold.
    Threshold {
        /// The least value that wins.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        threshold: Decimal,
        /// The prize.
        prize: Money,
    },
}

/// Who may enter a contest.
///
/// In JSON, `"everyone"` or `{"people": [person, ..]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Eligibility {
    /// Everyone with an event in the window.
    Everyone,
    /// These people only; each is ranked, with zero if they have no event.
    People(Vec<PersonId>),
}

/// A measured event: `value` of the contest's measure for `person` on
/// `date` (a deal's revenue, one new logo, one appointment).
///
/// In JSON, `{"person": .., "date": "YYYY-MM-DD", "value": "3"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ContestEvent {
    person: PersonId,
    date: NaiveDate,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    value: Decimal,
}

impl ContestEvent {
    /// `value` for `person` on `date`.
    pub const fn new(person: PersonId, date: NaiveDate, value: Decimal) -> ContestEvent {
        ContestEvent {
            person,
            date,
            value,
        }
    }
}

/// A contest: over a date window, eligible people are ranked by a measure
/// (highest first) and awarded prizes.
///
/// Ranking is by total value in the window, highest first; equal values
/// share a rank ("1, 1, 3"), listed by person id. Only people whose total
/// reaches the contest's minimum (if any) win anything.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::bonus::{Award, Contest, ContestEvent, ContestMeasure};
/// use salesplan::{Currency, Money, Period, PersonId, PlanId};
///
/// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
/// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// let who = |s: &str| PersonId::new(s).unwrap();
/// let contest = Contest::new(
///     PlanId::new("march-logos")?,
///     Period::new(d(1), d(31))?,
///     ContestMeasure::NewLogos,
///     Award::TopN { prizes: vec![usd("1000.00"), usd("500.00")] },
/// )?;
/// let events = [("ann", 3), ("bob", 3), ("cy", 1)].map(|(p, n)| ContestEvent::new(who(p), d(5), n.into()));
/// let result = contest.run(&events)?;
/// // Ann and Bob tie for first and share first and second prizes: 750 each.
/// assert_eq!(result.standings()[0].prize().to_string(), "750.00 USD");
/// assert_eq!(result.standings()[1].prize().to_string(), "750.00 USD");
/// assert_eq!(result.standings()[2].rank(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"id": .., "window": period, "measure": .., "award": ..,
/// "eligibility": .., "minimum": "2"}`, `eligibility` (everyone) and
/// `minimum` (none) optional; the prizes are checked as by
/// [`Contest::new`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::{Contest, ContestMeasure};
/// let contest: Contest = serde_json::from_str(r#"{
///     "id": "march-logos",
///     "window": {"start": "2025-03-01", "end": "2025-04-01"},
///     "measure": "new_logos",
///     "award": {"top_n": {"prizes": ["1000.00 USD", "500.00 USD"]}},
///     "eligibility": {"people": ["ann", "bob"]}
/// }"#)?;
/// assert_eq!(contest.measure(), &ContestMeasure::NewLogos);
/// // An unknown field is refused, naming it; so is a negative prize.
/// let err = serde_json::from_str::<Contest>(r#"{
///     "id": "march-logos", "window": {"start": "2025-03-01", "end": "2025-04-01"},
///     "measure": "new_logos", "award": {"top_n": {"prizes": ["1000.00 USD"]}}, "minimun": "2"
/// }"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `minimun`"));
/// let err = serde_json::from_str::<Contest>(r#"{
///     "id": "march-logos", "window": {"start": "2025-03-01", "end": "2025-04-01"},
///     "measure": "new_logos", "award": {"top_n": {"prizes": ["-1.00 USD"]}}
/// }"#).unwrap_err();
/// assert!(err.to_string().contains("unusable prize"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawContest", into = "RawContest"))]
pub struct Contest {
    id: PlanId,
    window: Period,
    measure: ContestMeasure,
    award: Award,
    eligibility: Eligibility,
    minimum: Option<Decimal>,
}

impl Contest {
    /// A contest open to everyone, without a minimum.
    ///
    /// # Errors
    ///
    /// [`BonusError::NoPrizes`] for a top-N award without prizes;
    /// [`BonusError::BadPrize`] for a negative prize, one with fractions
    /// of a minor unit, or prizes in several currencies.
    pub fn new(
        id: PlanId,
        window: Period,
        measure: ContestMeasure,
        award: Award,
    ) -> Result<Contest, BonusError> {
        let prizes: &[Money] = match &award {
            Award::TopN { prizes } => prizes,
            Award::Threshold { prize, .. } => std::slice::from_ref(prize),
        };
        let first = prizes.first().ok_or_else(|| BonusError::NoPrizes {
            contest: id.clone(),
        })?;
        if let Some(bad) = prizes
            .iter()
            .find(|p| p.is_negative() || !p.is_rounded() || p.currency() != first.currency())
        {
            return Err(BonusError::BadPrize {
                contest: id.clone(),
                prize: *bad,
            });
        }
        Ok(Contest {
            id,
            window,
            measure,
            award,
            eligibility: Eligibility::Everyone,
            minimum: None,
        })
    }

    /// Who may enter.
    #[must_use]
    pub fn eligibility(mut self, eligibility: Eligibility) -> Self {
        self.eligibility = eligibility;
        self
    }

    /// The least total that can win a prize.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::bonus::{Award, Contest, ContestEvent, ContestMeasure, Eligibility};
    /// use salesplan::{Currency, Money, Period, PersonId, PlanId};
    ///
    /// let who = |s: &str| PersonId::new(s).unwrap();
    /// let day = NaiveDate::from_ymd_opt(2025, 3, 5).unwrap();
    /// let prizes = vec![Money::parse("500.00", Currency::USD)?, Money::parse("200.00", Currency::USD)?];
    /// let contest = Contest::new(PlanId::new("march-logos")?, Period::month(2025, 3)?,
    ///     ContestMeasure::NewLogos, Award::TopN { prizes })?
    ///     .eligibility(Eligibility::People(vec![who("ann"), who("bob"), who("cy")]))
    ///     .minimum(Decimal::from(2));
    /// let events = [ContestEvent::new(who("ann"), day, Decimal::from(3)), ContestEvent::new(who("bob"), day, Decimal::ONE)];
    /// let result = contest.run(&events)?;
    /// let standings: Vec<String> = result.standings().iter()
    ///     .map(|s| format!("{} {} {}", s.rank(), s.person(), s.value())).collect();
    /// assert_eq!(standings, ["1 ann 3", "2 bob 1", "3 cy 0"]);
    /// // Bob placed second, but below the minimum: only Ann wins.
    /// let winners: Vec<String> = result.winners().map(|s| format!("{} {}", s.person(), s.prize())).collect();
    /// assert_eq!(winners, ["ann 500.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn minimum(mut self, minimum: Decimal) -> Self {
        self.minimum = Some(minimum);
        self
    }

    /// The contest's id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// The window.
    pub const fn window(&self) -> Period {
        self.window
    }

    /// The measure.
    pub const fn measure(&self) -> &ContestMeasure {
        &self.measure
    }

    /// Ranks the eligible people by their events in the window (events
    /// outside it, or of people not eligible, are ignored) and awards the
    /// prizes.
    ///
    /// # Errors
    ///
    /// [`BonusError::Arithmetic`] when a total overflows;
    /// [`BonusError::Contest`] when a tie's prize cannot be split;
    /// [`BonusError::TooManyEntrants`] for more entrants than a `u32` rank
    /// can number.
    ///
    /// # Examples
    ///
    /// Everyone with 10 appointments in April wins 250; events outside the
    /// window do not count.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::bonus::{Award, Contest, ContestEvent, ContestMeasure};
    /// use salesplan::{Currency, Money, Period, PersonId, PlanId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let who = |s: &str| PersonId::new(s).unwrap();
    /// let april = Period::month(2025, 4)?;
    /// let prize = Money::parse("250.00", Currency::USD)?;
    /// let contest = Contest::new(PlanId::new("april-meetings")?, april, ContestMeasure::Appointments,
    ///     Award::Threshold { threshold: Decimal::from(10), prize })?;
    /// let events = [
    ///     ContestEvent::new(who("ann"), d(4, 3), Decimal::from(6)),
    ///     ContestEvent::new(who("ann"), d(4, 24), Decimal::from(5)),
    ///     ContestEvent::new(who("bob"), d(4, 10), Decimal::from(9)),
    ///     ContestEvent::new(who("bob"), d(5, 2), Decimal::from(4)),
    /// ];
    /// let result = contest.run(&events)?;
    /// let winners: Vec<String> = result.winners().map(|s| format!("{} {}", s.person(), s.prize())).collect();
    /// assert_eq!(winners, ["ann 250.00 USD"]);
    /// assert_eq!(result.standings()[1].value(), Decimal::from(9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(&self, events: &[ContestEvent]) -> Result<ContestResult, BonusError> {
        let ranked = self.ranked(events)?;
        let currency = match &self.award {
            Award::TopN { prizes } => prizes.first().map(Money::currency),
            Award::Threshold { prize, .. } => Some(prize.currency()),
        };
        let Some(currency) = currency else {
            return Err(BonusError::NoPrizes {
                contest: self.id.clone(),
            });
        };
        // Ranks and tie counts are u32: every one is at most the number of
        // entrants, checked here.
        let too_many = || BonusError::TooManyEntrants {
            contest: self.id.clone(),
            count: ranked.len(),
        };
        u32::try_from(ranked.len()).map_err(|_| too_many())?;
        let mut standings = Vec::with_capacity(ranked.len());
        // Entrants ranked before this group.
        let mut place = 0usize;
        for group in ranked.chunk_by(|a, b| a.1 == b.1) {
            let rank = u32::try_from(place)
                .ok()
                .and_then(|p| p.checked_add(1))
                .ok_or_else(too_many)?;
            let prizes = self.prizes(Money::zero(currency), place, group)?;
            let tied = u32::try_from(group.len()).map_err(|_| too_many())?;
            for ((person, value), prize) in group.iter().zip(prizes) {
                standings.push(Standing {
                    rank,
                    person: (*person).clone(),
                    value: *value,
                    tied,
                    prize,
                });
            }
            place = place.checked_add(group.len()).ok_or_else(too_many)?;
        }
        Ok(ContestResult {
            contest: self.id.clone(),
            measure: self.measure.clone(),
            standings,
        })
    }

    /// Each entrant's total over the window, highest first, ties in id
    /// order (listed people with no events at zero).
    fn ranked<'e>(
        &'e self,
        events: &'e [ContestEvent],
    ) -> Result<Vec<(&'e PersonId, Decimal)>, BonusError> {
        let mut totals: BTreeMap<&PersonId, Decimal> = BTreeMap::new();
        if let Eligibility::People(people) = &self.eligibility {
            for p in people {
                totals.insert(p, Decimal::ZERO);
            }
        }
        for e in events {
            if !self.window.contains(e.date) {
                continue;
            }
            let slot = match &self.eligibility {
                Eligibility::Everyone => Some(totals.entry(&e.person).or_insert(Decimal::ZERO)),
                Eligibility::People(_) => totals.get_mut(&e.person),
            };
            if let Some(total) = slot {
                *total =
                    add(*total, e.value).map_err(|source| BonusError::Arithmetic { source })?;
            }
        }
        let mut ranked: Vec<(&PersonId, Decimal)> = totals.into_iter().collect();
        // Highest first; the sort is stable, so ties stay in id order.
        ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
        Ok(ranked)
    }

    /// The prizes of one `group` of tied entrants, the `place` entrants
    /// before them ranked higher: nothing below the minimum; the
    /// threshold prize; or the prizes of the places they share, split
    /// equally.
    fn prizes(
        &self,
        zero: Money,
        place: usize,
        group: &[(&PersonId, Decimal)],
    ) -> Result<Vec<Money>, BonusError> {
        let value = group.first().map_or(Decimal::ZERO, |g| g.1);
        let qualifies = self.minimum.is_none_or(|m| value >= m);
        Ok(match (&self.award, qualifies) {
            (_, false) => vec![zero; group.len()],
            (Award::Threshold { threshold, prize }, true) => {
                let p = if value >= *threshold { *prize } else { zero };
                vec![p; group.len()]
            }
            (Award::TopN { prizes }, true) => {
                let pot = Money::checked_sum(
                    zero.currency(),
                    prizes.iter().skip(place).take(group.len()).copied(),
                )
                .map_err(|source| BonusError::Arithmetic { source })?;
                if pot.is_zero() {
                    vec![zero; group.len()]
                } else {
                    let keys: Vec<&PersonId> = group.iter().map(|g| g.0).collect();
                    Split::equal(&keys)
                        .and_then(|s| s.apply(pot))
                        .map_err(|source| BonusError::Contest {
                            contest: self.id.clone(),
                            source: Box::new(source),
                        })?
                }
            }
        })
    }
}

#[cfg(feature = "serde")]
const fn everyone() -> Eligibility {
    Eligibility::Everyone
}

crate::validated::via_raw! {
    #[derive(serde::Serialize)]
    RawContest => Contest, BonusError {
        id: PlanId,
        window: Period,
        measure: ContestMeasure,
        award: Award,
        #[serde(default = "everyone")]
        eligibility: Eligibility,
        #[serde(default, with = "crate::money::dec_opt")]
        minimum: Option<Decimal>,
    } => {
        let contest =
            Contest::new(id, window, measure, award)?.eligibility(eligibility);
        Ok(match minimum {
            Some(m) => contest.minimum(m),
            None => contest,
        })
    }
}

#[cfg(feature = "serde")]
impl From<Contest> for RawContest {
    fn from(c: Contest) -> RawContest {
        RawContest {
            id: c.id,
            window: c.window,
            measure: c.measure,
            award: c.award,
            eligibility: c.eligibility,
            minimum: c.minimum,
        }
    }
}

/// One person's place in a contest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Standing {
    rank: u32,
    person: PersonId,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    value: Decimal,
    tied: u32,
    prize: Money,
}

impl Standing {
    /// The rank (1 is first; tied people share it).
    pub const fn rank(&self) -> u32 {
        self.rank
    }

    /// The person.
    pub const fn person(&self) -> &PersonId {
        &self.person
    }

    /// Their total in the window.
    pub const fn value(&self) -> Decimal {
        self.value
    }

    /// How many people share the rank (1 when not tied).
    pub const fn tied(&self) -> u32 {
        self.tied
    }

    /// Their prize (zero when none).
    pub const fn prize(&self) -> Money {
        self.prize
    }
}

/// A contest's standings: everyone ranked, highest first, ties by person
/// id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ContestResult {
    contest: PlanId,
    measure: ContestMeasure,
    standings: Vec<Standing>,
}

impl ContestResult {
    /// The standings.
    pub fn standings(&self) -> &[Standing] {
        &self.standings
    }

    /// Those who won a prize.
    pub fn winners(&self) -> impl Iterator<Item = &Standing> + '_ {
        self.standings.iter().filter(|s| s.prize.is_positive())
    }
}

impl fmt::Display for ContestResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} by {}:", self.contest, self.measure)?;
        for s in &self.standings {
            write!(f, "\n  {:>3}. {} {}", s.rank, s.person, s.value)?;
            match s.tied {
                0 | 1 => {}
                2 => write!(f, " (tied with 1 other)")?,
                // bound: this arm has n >= 3, so n - 1 never saturates.
                n => write!(f, " (tied with {} others)", n.saturating_sub(1))?,
            }
            if s.prize.is_positive() {
                write!(f, ": {}", s.prize)?;
            }
        }
        Ok(())
    }
}
