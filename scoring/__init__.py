"""Pure scoring over checklist models: answers in, readiness results out."""

from .answers import (
    Answer,
    AnswersError,
    Assessment,
    Confidence,
    allowed_text,
    allowed_words,
    assessment_to_document,
    load_assessment_file,
    load_assessment_text,
    normalise_value,
    parse_assessment,
    refusal_text,
)
from .readiness import (
    SCORING_VERSION,
    Coverage,
    Gap,
    ItemResult,
    NotApplicable,
    PhaseScore,
    Progress,
    ReadinessResult,
    answer_progress,
    counts_for_progress,
    item_score,
    score,
)

__all__ = [
    "Answer", "AnswersError", "Assessment", "Confidence", "allowed_text", "allowed_words", "refusal_text", "assessment_to_document", "load_assessment_file", "load_assessment_text",
    "normalise_value", "parse_assessment", "SCORING_VERSION", "Coverage", "Gap", "ItemResult",
    "NotApplicable", "PhaseScore", "Progress", "ReadinessResult", "answer_progress", "counts_for_progress",
    "item_score", "score",
]

from .limits import (
    NAME_MAX,
    NOTE_MAX,
    REASON_MAX,
    TEXT_MAX,
    length_problems,
    name_problem,
    normalise_name,
)

__all__ += ["NAME_MAX", "NOTE_MAX", "REASON_MAX", "TEXT_MAX", "length_problems", "name_problem", "normalise_name"]

from .vocabulary import TERMS, term, value_label, verdict_label  # noqa: E402

__all__ += ["TERMS", "term", "value_label", "verdict_label"]

from checklists import jaccard_distance, number_scale, number_spread, set_spread  # noqa: E402

from .workshop import (  # noqa: E402
    DEFAULT_SPREAD_THRESHOLD,
    ActionItem,
    ActionStatus,
    AgendaReason,
    ConsolidationMethod,
    Disagreement,
    OwnerGap,
    choice_tie,
    combine_multi,
    consolidate,
    disagreements,
    dropped_options,
    item_spread,
    item_spreads,
    owner_coverage,
    owner_weights,
    respondent_roles,
)

__all__ += ["DEFAULT_SPREAD_THRESHOLD", "ActionItem", "ActionStatus", "AgendaReason", "Disagreement", "ConsolidationMethod",
            "choice_tie", "combine_multi", "consolidate", "disagreements", "dropped_options", "item_spread",
            "item_spreads", "jaccard_distance", "number_scale", "number_spread", "set_spread", "OwnerGap",
            "owner_coverage", "owner_weights", "respondent_roles"]

from .progress import (  # noqa: E402
    ActionProgress,
    Comparison,
    ComparisonError,
    GapChange,
    ItemChange,
    ItemRef,
    PhaseDelta,
    Snapshot,
    Trend,
    compare,
    comparison_text,
    trend,
)

__all__ += ["ActionProgress", "Comparison", "ComparisonError", "GapChange", "ItemChange", "ItemRef",
            "PhaseDelta", "Snapshot", "Trend", "compare", "comparison_text", "trend"]

from .safe_text import FORMULA_START, escape_markdown, neutralise_formula, restore_neutralised  # noqa: E402

__all__ += ["FORMULA_START", "escape_markdown", "neutralise_formula", "restore_neutralised"]

from .agreement import (  # noqa: E402
    Agreement,
    PhaseAgreement,
    RoleDivergence,
    agreement,
    comparable_value,
    krippendorff_alpha,
    role_divergences,
)

__all__ += ["Agreement", "PhaseAgreement", "RoleDivergence", "agreement", "comparable_value", "krippendorff_alpha",
            "role_divergences"]

from .score_range import DecisiveUnknown, ScoreRange, controller_values, extreme_values, score_range  # noqa: E402

__all__ += ["DecisiveUnknown", "ScoreRange", "controller_values", "extreme_values", "score_range"]

from .room import RoomRespondent, RoomResult, room_result, unique_names  # noqa: E402

__all__ += ["RoomRespondent", "RoomResult", "room_result", "unique_names"]
from .rounds import (  # noqa: E402
    ByRespondent,
    Convergence,
    ItemConvergence,
    RoundState,
    convergence,
    disputed_items,
    latest_answers,
    spreads,
    visible_answers,
)

__all__ += ["ByRespondent", "Convergence", "ItemConvergence", "RoundState", "convergence", "disputed_items", "latest_answers",
            "spreads", "visible_answers"]

from .plan import EFFORTS, Effort  # noqa: E402
from .projection import (  # noqa: E402
    HORIZONS,
    ActionOutcome,
    PhaseTarget,
    PlannedAction,
    Projection,
    ProjectionPoint,
    add_months,
    apply_plan,
    effective_on,
    horizon,
    phase_targets,
    plan_outcomes,
    project,
    roadmap,
    target_status,
)

__all__ += ["HORIZONS", "horizon", "roadmap", "EFFORTS", "Effort", "ActionOutcome", "PhaseTarget", "PlannedAction", "Projection", "ProjectionPoint",
            "add_months", "apply_plan", "effective_on", "phase_targets", "plan_outcomes", "project", "target_status"]
