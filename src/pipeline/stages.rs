//! The stages of a sales process, in order, each with its default
//! probability.

use super::error::PipelineError;
use crate::money::Percent;

/// The longest stage name accepted, in bytes.
const MAX_STAGE_NAME: usize = 64;

/// One stage of the sales process: its name and the probability an
/// opportunity at that stage gets when it has none of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawStage"))]
pub struct Stage {
    name: String,
    probability: Percent,
}

crate::validated::via_raw! {
    RawStage => Stage, PipelineError {
        name: String,
        probability: String,
    } => {
        let probability = probability.parse::<Percent>().map_err(|source| {
            PipelineError::StageProbability { stage: name.clone(), source }
        })?;
        Stage::new(&name, probability)
    }
}

impl Stage {
    /// A stage named `name` with default `probability`.
    ///
    /// # Errors
    ///
    /// [`PipelineError::InvalidStageName`] for an empty name, one with
    /// surrounding whitespace or control characters, or one longer than
    /// 64 bytes.
    pub fn new(name: &str, probability: Percent) -> Result<Stage, PipelineError> {
        let bad = name.is_empty()
            || name.trim() != name
            || name.chars().any(char::is_control)
            || name.len() > MAX_STAGE_NAME;
        if bad {
            return Err(PipelineError::InvalidStageName {
                name: name.to_owned(),
            });
        }
        Ok(Stage {
            name: name.to_owned(),
            probability,
        })
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its default probability.
    pub const fn probability(&self) -> Percent {
        self.probability
    }
}

/// The stages of a sales process, first to last: an opportunity moves
/// forward through them and then closes, won or lost. Names are unique;
/// default probabilities need not rise (a process may say so, the crate
/// does not).
///
/// As JSON, the list of stages:
///
/// ```json
/// [{"name": "qualify", "probability": "10%"}, {"name": "proposal", "probability": "60%"}]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<Stage>", into = "Vec<Stage>"))]
pub struct Stages(Vec<Stage>);

impl Stages {
    /// The stages, in order.
    ///
    /// # Errors
    ///
    /// [`PipelineError::NoStages`] for an empty list;
    /// [`PipelineError::DuplicateStage`] for a name given twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::pipeline::{Stage, Stages};
    /// use salesplan::Percent;
    ///
    /// let p = |s: &str| s.parse::<Percent>().unwrap();
    /// let stages = Stages::new(vec![
    ///     Stage::new("qualify", p("10%"))?,
    ///     Stage::new("proposal", p("60%"))?,
    ///     Stage::new("negotiate", p("80%"))?,
    /// ])?;
    /// assert_eq!(stages.index_of("proposal"), Some(1));
    /// assert!(Stages::new(vec![Stage::new("a", p("1%"))?, Stage::new("a", p("2%"))?]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(stages: Vec<Stage>) -> Result<Stages, PipelineError> {
        if stages.is_empty() {
            return Err(PipelineError::NoStages);
        }
        for (i, stage) in stages.iter().enumerate() {
            if stages.iter().take(i).any(|s| s.name == stage.name) {
                return Err(PipelineError::DuplicateStage {
                    stage: stage.name.clone(),
                });
            }
        }
        Ok(Stages(stages))
    }

    /// Where the stage named `name` is in the order (0 is the first).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|s| s.name == name)
    }

    /// The stage at `index`.
    pub fn get(&self, index: usize) -> Option<&Stage> {
        self.0.get(index)
    }

    /// How many stages there are (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: there is at least one stage.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The stages, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Stage> + '_ {
        self.0.iter()
    }
}

impl TryFrom<Vec<Stage>> for Stages {
    type Error = PipelineError;
    fn try_from(stages: Vec<Stage>) -> Result<Stages, PipelineError> {
        Stages::new(stages)
    }
}

impl From<Stages> for Vec<Stage> {
    fn from(stages: Stages) -> Vec<Stage> {
        stages.0
    }
}
