//! The pipeline: the stages and every opportunity, checked together.

use std::collections::HashSet;

use super::error::PipelineError;
use super::opportunity::Opportunity;
use super::stages::Stages;
use crate::money::{Currency, Percent};

/// The stages of the sales process and the opportunities in it, in one
/// currency. Every opportunity's stage is one of the stages, every amount
/// is in the pipeline's currency, and ids are unique.
///
/// As JSON: `{"currency": "USD", "stages": [..], "opportunities": [..]}`
/// (see [`Stages`] and [`Opportunity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawPipeline"))]
pub struct Pipeline {
    currency: Currency,
    stages: Stages,
    opportunities: Vec<Opportunity>,
    /// Each opportunity's stage, as its index in `stages`.
    #[cfg_attr(feature = "serde", serde(skip_serializing))]
    stage_of: Vec<u32>,
}

crate::validated::via_raw! {
    RawPipeline => Pipeline, PipelineError {
        currency: Currency,
        stages: Stages,
        opportunities: Vec<Opportunity>,
    }
}

impl Pipeline {
    /// The pipeline of `opportunities` through `stages`, in `currency`.
    ///
    /// # Errors
    ///
    /// [`PipelineError::UnknownStage`] for an opportunity at a stage not
    /// in `stages`; [`PipelineError::CurrencyMismatch`] for one in another
    /// currency; [`PipelineError::DuplicateOpportunity`] for an id given
    /// twice. The first fault in input order is reported.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::pipeline::{Opportunity, OpportunityId, Owner, Pipeline, Stage, Stages};
    /// use salesplan::{Currency, Money, Percent, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let p = |s: &str| s.parse::<Percent>().unwrap();
    /// let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("60%"))?])?;
    /// let opp = |id: &str, stage: &str, cur| {
    ///     Opportunity::builder(OpportunityId::new(id).unwrap(), Owner::Position(PositionId::new("rep").unwrap()),
    ///         stage, Money::parse("100.00", cur).unwrap(), d(1, 1), d(2, 1)).build()
    /// };
    /// let pipeline = Pipeline::new(Currency::USD, stages.clone(), vec![opp("o1", "proposal", Currency::USD)?])?;
    /// assert_eq!(pipeline.probability(0).map(|p| p.to_string()).as_deref(), Some("60%"));
    /// assert!(Pipeline::new(Currency::USD, stages.clone(), vec![opp("o1", "won", Currency::USD)?]).is_err());
    /// assert!(Pipeline::new(Currency::USD, stages, vec![opp("o1", "qualify", Currency::EUR)?]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        currency: Currency,
        stages: Stages,
        opportunities: Vec<Opportunity>,
    ) -> Result<Pipeline, PipelineError> {
        let mut stage_of = Vec::with_capacity(opportunities.len());
        let mut seen = HashSet::with_capacity(opportunities.len());
        for opp in &opportunities {
            let stage = stages
                .index_of(opp.stage())
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| PipelineError::UnknownStage {
                    opportunity: opp.id().clone(),
                    stage: opp.stage().to_owned(),
                })?;
            if opp.amount().currency() != currency {
                return Err(PipelineError::CurrencyMismatch {
                    opportunity: opp.id().clone(),
                    expected: currency,
                    found: opp.amount().currency(),
                });
            }
            if !seen.insert(opp.id()) {
                return Err(PipelineError::DuplicateOpportunity {
                    opportunity: opp.id().clone(),
                });
            }
            stage_of.push(stage);
        }
        Ok(Pipeline {
            currency,
            stages,
            opportunities,
            stage_of,
        })
    }

    /// The pipeline's currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The stages.
    pub const fn stages(&self) -> &Stages {
        &self.stages
    }

    /// The opportunities, in the order given.
    pub fn opportunities(&self) -> &[Opportunity] {
        &self.opportunities
    }

    /// The stage index of the opportunity at `index` (in
    /// [`opportunities`](Self::opportunities)).
    pub fn stage_index(&self, index: usize) -> Option<usize> {
        self.stage_of.get(index).map(|&s| s as usize)
    }

    /// The probability of the opportunity at `index`: its own, or else its
    /// stage's default.
    pub fn probability(&self, index: usize) -> Option<Percent> {
        let opp = self.opportunities.get(index)?;
        match opp.probability() {
            Some(p) => Some(p),
            None => self
                .stage_index(index)
                .and_then(|s| self.stages.get(s))
                .map(|s| s.probability()),
        }
    }
}
