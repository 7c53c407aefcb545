"""The vendor comparison's words, each translated once, and the rules for showing its figures.

The page, the CLI and the report call a tag, a status or a column by these names, so "Nice-to-have"
reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from checklists import Text

from .evaluation import VendorResult

_T = Text

VENDOR_TERMS: dict[str, Text] = {
    # requirement tags (vendors.TAGS)
    "must": _T(zh="必备", en="Must-have"),
    "nice": _T(zh="加分", en="Nice-to-have"),
    "not_needed": _T(zh="不需要", en="Not needed"),
    # requirement statuses (vendors.STATUSES)
    "meets": _T(zh="满足", en="Meets"),
    "partly": _T(zh="部分满足", en="Partly"),
    "does_not": _T(zh="不满足", en="Does not"),
    "unknown": _T(zh="未知", en="Unknown"),
    # the comparison table
    "rank": _T(zh="排名", en="Rank"),
    "vendor": _T(zh="供应商", en="Vendor"),
    "score": _T(zh="加权得分", en="Score"),
    "musts_met": _T(zh="必备满足", en="Must-haves met"),
    "nice_coverage": _T(zh="加分覆盖", en="Nice-to-have coverage"),
    "tco": _T(zh="总拥有成本", en="TCO"),
    "per_10k": _T(zh="得分 / 万元", en="Score per 10k"),
    "roi": _T(zh="投资回报率", en="ROI"),
    "payback": _T(zh="回收期（年）", en="Payback (years)"),
    "qualified": _T(zh="入围", en="Qualified"),
    "knocked_out": _T(zh="淘汰", en="Knocked out"),
    "knockouts": _T(zh="淘汰原因", en="Knock-outs"),
    # seed 004's comparison columns
    "profiles": _T(zh="供应商概况", en="Vendor profiles"),
    "target_size": _T(zh="目标企业规模", en="Target company size"),
    "strengths": _T(zh="主要优势", en="Main strengths"),
    "typical_features": _T(zh="典型功能", en="Typical features"),
    "pricing_model": _T(zh="定价模式", en="Pricing model"),
    # pricing models (vendors.PRICING_MODELS)
    "free": _T(zh="免费", en="Free"),
    "per_user": _T(zh="按用户", en="Per user"),
    "per_module": _T(zh="按模块", en="Per module"),
    "quote": _T(zh="按报价", en="Quote"),
}

EMPTY = "—"   # a figure that does not exist (no costs, no payback): never "None"


def vendor_term(key: str, lang: str) -> str:
    t = VENDOR_TERMS.get(key)
    return t.get(lang) if t else key


def has_scores(result: VendorResult) -> bool:
    """Someone has scored: at least one evaluator gave a status or a score."""
    return bool(result.evaluators)


def shown_leader(result: VendorResult) -> str | None:
    """The vendor to call the leader on screen: none until someone has scored (a ranking of empty
    evaluations leads nobody), else the evaluation's leader (the best qualified vendor)."""
    return result.leader if has_scores(result) else None


def percent_shares(shares: Mapping[str, float], places: int = 1) -> dict[str, float]:
    """Shares (summing to 1) as percentages rounded to `places` decimals that add up to exactly 100,
    by largest remainder: each gets its rounded-down value, and the units still missing go to the
    largest remainders (ties in the given order)."""
    if not shares:
        return {}
    unit = 10 ** places
    total = 100 * unit
    whole = sum(shares.values()) or 1.0
    quotas = {k: total * v / whole for k, v in shares.items()}
    out = {k: int(q) for k, q in quotas.items()}
    missing = total - sum(out.values())
    by_remainder = sorted(quotas, key=lambda k: -(quotas[k] - out[k]))
    for k in by_remainder[:missing]:
        out[k] += 1
    return {k: n / unit for k, n in out.items()}
