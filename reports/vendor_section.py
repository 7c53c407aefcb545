"""The report's vendor comparison section: who leads and how firmly, the table, knock-outs, chart,
sensitivity, and the return on investment. Every number comes from the `VendorResult`."""

from __future__ import annotations

from vendors import PROFILE_FIELDS, VendorResult, vendor_robustness, vendor_term

from .content import TableSection, VendorBar, VendorSection, clean, num, pct
from .wording import LATIN, VENDOR_WORDS


def _v(key: str, lang: str, **kw: object) -> str:
    text = VENDOR_WORDS[key].get(lang)
    return text.format(**kw) if kw else text


def _share(x: float) -> str:
    return f"{round(100 * x, 1):g}%"


def vendor_summary(result: VendorResult, lang: str) -> list[str]:
    """The leader, how robust the lead is, and the closest call, as sentences (app and report alike)."""
    names = {v.id: clean(v.name.get(lang)) for v in result.vendors}
    if result.leader is None:
        return [_v("none", lang)]
    lead = result.vendor(result.leader)
    key = "leader" if lead.must_total else "leader_no_musts"
    out = [_v(key, lang, name=names[lead.id], score=num(round(lead.score, 2)), met=lead.must_met,
              musts=lead.must_total)]
    robustness = vendor_robustness(result)
    if robustness is None:
        out.append(_v("single", lang))
        return out
    mc = result.monte_carlo
    out.append(_v(robustness, lang, runs=f"{mc.runs:,}", spread=f"{mc.spread * 100:g}", name=names[lead.id],
                  share=f"{round(100 * mc.shares.get(lead.id, 0.0), 1):g}"))
    nearest = None  # (distance in share, direction, row, threshold)
    for row in result.sensitivity.rows:
        for direction, th in (("up", row.up), ("down", row.down)):
            if th is not None:
                dist = abs(th.share - row.share)
                if nearest is None or dist < nearest[0]:
                    nearest = (dist, direction, row, th)
    if nearest is None:
        out.append(_v("stable", lang))
    else:
        _d, direction, row, th = nearest
        out.append(_v(f"nearest_{direction}", lang, criterion=clean(row.name.get(lang)), now=_share(row.share),
                      at=_share(th.share), rival=names.get(th.rival, th.rival)))
    return out


def vendor_section(result: VendorResult, lang: str) -> VendorSection:
    """The report's vendor section in one language; every number comes from `result`."""
    names = {v.id: clean(v.name.get(lang)) for v in result.vendors}
    st = result.settings
    rows = []
    for v in result.vendors:
        rows.append([
            str(v.rank), names[v.id], num(round(v.score, 2)), f"{v.must_met}/{v.must_total}", pct(v.nice_coverage),
            f"{v.cost.total:,.0f}" if v.cost is not None else "—",
            f"{v.score_per_10k:.2f}" if v.score_per_10k is not None else "—",
            _v("qualified" if v.qualified else "knocked_out", lang)])
    sep = "、" if lang == "zh" else ", "
    table = TableSection(
        heading="", intro=_v("table_intro", lang, evaluators=sep.join(clean(e) for e in result.evaluators) or "—"),
        headers=[_v("rank", lang), _v("vendor", lang), _v("score", lang), _v("musts", lang), _v("nice", lang),
                 _v("tco", lang, currency=clean(result.currency), years=st.years), _v("per_cost", lang),
                 _v("status", lang)],
        rows=rows, widths=[0.8, 3.1, 1.3, 1.4, 1.5, 2.0, 1.3, 1.8])
    knockouts = [f"{names[v.id]}: {clean(f.message.get(lang))}" for v in result.vendors for f in v.knockouts]
    risks = [f"{names[v.id]}: {clean(f.message.get(lang))}" for v in result.vendors for f in v.risks
             if f.kind in ("must_partly", "must_unknown")]
    crits = result.vendors[0].criteria if result.vendors else []
    bars = [VendorBar(label=names[v.id], qualified=v.qualified, score=v.score, score_text=num(round(v.score, 1)),
                      parts=[c.contribution for c in v.criteria]) for v in result.vendors]
    sens = None
    if vendor_robustness(result) is not None:
        def limit(th, end: str) -> str:
            return f"{_share(th.share)} → {names.get(th.rival, th.rival)}" if th is not None \
                else f"{end} ({_v('holds', lang)})"

        sens = TableSection(
            heading=_v("sensitivity", lang),
            headers=[_v("criterion", lang), _v("share_now", lang), _v("holds_down", lang), _v("holds_up", lang)],
            rows=[[clean(r.name.get(lang)), _share(r.share), limit(r.down, "0%"), limit(r.up, "100%")]
                  for r in result.sensitivity.rows],
            widths=[3.2, 1.3, 2.6, 2.6])
    method = [result.method.get(lang), result.sensitivity.method.get(lang), result.monte_carlo.method.get(lang)]
    roi = _roi_table(result, names, lang)
    profiles = _profile_table(result, names, lang)
    return VendorSection(
        heading=_v("heading", lang), summary=vendor_summary(result, lang),
        leader=names[result.leader] if result.leader else None, table=table,
        knockouts_heading=_v("knockouts", lang), knockouts=knockouts, no_knockouts=_v("no_knockouts", lang),
        risks_heading=_v("risks", lang), risks=risks,
        chart_title=_v("chart", lang), chart_criteria=[clean(c.name.get(lang)) for c in crits], chart_bars=bars,
        chart_caption=_v("chart_caption", lang), roi=roi, sensitivity=sens, method_heading=_v("method", lang),
        method=[m.translate(LATIN) if lang == "en" else m for m in method], profiles=profiles)


def _profile_table(result: VendorResult, names: dict[str, str], lang: str) -> TableSection | None:
    """Each vendor's profile in rank order (words from vendors.vocabulary), a dash where nothing is known."""
    if not any(getattr(v, k) for v in result.vendors for k in PROFILE_FIELDS):
        return None

    def cell(key: str, value: str | None) -> str:
        return "—" if not value else clean(vendor_term(value, lang) if key == "pricing_model" else value)

    return TableSection(
        heading=vendor_term("profiles", lang), headers=[vendor_term(k, lang) for k in ("vendor", *PROFILE_FIELDS)],
        rows=[[names[v.id], *(cell(k, getattr(v, k)) for k in PROFILE_FIELDS)] for v in result.vendors],
        widths=[2.6, 2.4, 3.0, 3.0, 1.6])



def _roi_table(result: VendorResult, names: dict[str, str], lang: str) -> TableSection | None:
    """Return on investment and payback per vendor (computed in scoring), where gains or savings are given."""
    rows = []
    for v in result.vendors:
        r = v.roi
        if r is None:
            continue
        roi = "—" if r.roi_percent is None else f"{round(r.roi_percent, 1):g}%"
        payback = (_v("never", lang) if r.payback_years is None
                   else f"{round(r.payback_years, 1):g} {_v('years', lang)}")
        rows.append([names[v.id], f"{r.investment:,.0f}", f"{r.gains + r.savings:,.0f}", f"{r.net:,.0f}", roi,
                     payback])
    if not rows:
        return None
    currency = clean(result.currency)
    return TableSection(
        heading=_v("roi", lang), intro=_v("roi_intro", lang, years=result.settings.years),
        headers=[_v("vendor", lang), _v("investment", lang, currency=currency),
                 _v("benefits", lang, currency=currency), _v("net", lang, currency=currency), "ROI",
                 _v("payback", lang)],
        rows=rows, widths=[3, 1.8, 1.8, 1.8, 1.2, 1.4])
