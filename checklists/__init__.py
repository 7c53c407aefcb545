"""Checklist content: the model, safe loading with located errors, and skip-logic linting."""

from .answer_types import (
    ANSWER_KEYS,
    ANSWER_TYPES,
    IN_PLACE,
    MAX_NUMBER,
    MISSING,
    NA,
    NA_LABEL,
    NOT_RELEVANT,
    OPTION_STATES,
    SCALE_MAX,
    STATUS_LABELS,
    STATUS_SCORES,
    UNEXAMINED,
    AnswerKind,
    AnswerType,
    CombineMethod,
    NotAllowed,
    NumberType,
    OptionStatesType,
    Value,
    Widget,
    is_na_word,
    jaccard_distance,
    number_scale,
    number_spread,
    set_spread,
    weighted_mean,
)
from .base import MAX_WEIGHT, FrozenModel, StrictModel
from .errors import INTERNAL_ERROR, LocatedError, Problem, TemplateError, clip, last_resort, plain_words
from .lint import LintReport, best_answers, is_shown, lint
from .loader import (
    CUSTOM_DIR_ENV,
    custom_dir,
    load_all,
    load_template,
    parse_template,
    template_files,
    template_fingerprint,
)
from .model import (
    PHASE_IDS,
    Criticality,
    Item,
    Level,
    Option,
    Phase,
    Role,
    Template,
    Text,
    WorkshopRules,
)
from .schema import template_json_schema, template_json_schema_text
from .yamlsafe import MAX_BYTES, YamlDocument, YamlProblems, format_path, parse_yaml_text, read_yaml_file

__all__ = [
    "NA", "PHASE_IDS", "SCALE_MAX", "AnswerType", "Criticality", "Item", "Level", "Option", "Phase",
    "Template", "Text", "Problem", "LocatedError", "TemplateError", "YamlProblems", "LintReport", "lint", "is_shown",
    "best_answers", "load_all", "load_template", "parse_template", "template_files",
    "template_fingerprint", "custom_dir", "CUSTOM_DIR_ENV", "YamlDocument", "parse_yaml_text", "read_yaml_file",
    "template_json_schema", "template_json_schema_text", "MAX_BYTES", "format_path", "MAX_WEIGHT", "StrictModel", "FrozenModel",
    "INTERNAL_ERROR", "last_resort", "clip", "plain_words", "WorkshopRules", "Role",
    "ANSWER_KEYS", "ANSWER_TYPES", "IN_PLACE", "MISSING", "NOT_RELEVANT", "OPTION_STATES", "UNEXAMINED", "MAX_NUMBER",
    "NA_LABEL", "STATUS_LABELS", "STATUS_SCORES", "AnswerKind", "CombineMethod",
    "NotAllowed", "Value", "Widget", "is_na_word", "jaccard_distance", "number_scale", "number_spread",
    "set_spread", "weighted_mean", "NumberType", "OptionStatesType",
]
