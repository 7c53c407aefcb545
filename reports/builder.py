"""Builds the report's content (`ReportData`) from the template, the assessment and the scoring
result, in one language. Pure: what a report claims is tested here, like scoring.
"""

from __future__ import annotations

from datetime import date as _date
from typing import Literal, cast

from checklists import AnswerType, Criticality, Item, Template, Text
from scoring import (
    ActionItem,
    Agreement,
    Assessment,
    Comparison,
    Convergence,
    Disagreement,
    Gap,
    ItemResult,
    ReadinessResult,
    RoleDivergence,
    ScoreRange,
    item_score,
    palette,
    project,
    target_status,
    term,
    value_label,
    verdict_label,
)

from .content import (
    APPENDIX_CHARS,
    APPENDIX_TOTAL_CHARS,
    CELL_CHARS,
    CELL_LINES,
    LANGS,
    Charts,
    Cover,
    Fact,
    GapLine,
    GapRow,
    HeatMap,
    Horizon,
    ItemRow,
    LevelThreshold,
    LongText,
    Meta,
    MethodSection,
    Participant,
    PhasePoint,
    PhaseSection,
    ReportData,
    ReportOptions,
    Roadmap,
    ScopeSection,
    Summary,
    TableSection,
    clean,
    num,
    pct,
    plain,
)
from .errors import ReportError
from .logo import Logo, validate_logo
from .vendor_section import vendor_section
from .wording import METHOD_WORDS, NARRATIVE, REPORT_WORDS


class ReportBuilder:
    def __init__(self, template: Template, assessment: Assessment, result: ReadinessResult,
                 options: ReportOptions):
        self.t, self.a, self.r, self.o = template, assessment, result, options
        self.lang = options.lang
        self.items = {it.id: it for it in template.items()}
        self.results = {ir.id: ir for ir in result.items}
        self.long: list[LongText] = []
        self._long_keys: dict[tuple[str, str], str] = {}
        self._points = self._gap_points()

    # wording ---------------------------------------------------------------------------------
    def s(self, key: str, **kw: object) -> str:
        text = REPORT_WORDS[key].get(self.lang)
        return text.format(**kw) if kw else text

    def n(self, table: dict[str, Text], key: str, **kw: object) -> str:
        return table[key].get(self.lang).format(**kw)

    def term(self, key: str) -> str:
        return term(key, self.lang)

    def question(self, item_id: str) -> str:
        it = self.items.get(item_id)
        return it.question.get(self.lang) if it else item_id

    def phase_title(self, phase_id: str) -> str:
        try:
            return self.t.phase(phase_id).title.get(self.lang)
        except KeyError:
            return phase_id

    def org(self) -> str:
        return clean(self.a.organisation).strip()

    def cell(self, text: object, item_id: str, label: str) -> str:
        """User text for a table cell: cut when too long, the full text kept for appendix C."""
        s = clean(text)
        lines = s.split("\n")
        if len(s) <= CELL_CHARS and len(lines) <= CELL_LINES:
            return s
        key = (item_id, label)
        ref = self._long_keys.get(key)
        if ref is None:
            ref = f"C{len(self.long) + 1}"
            self._long_keys[key] = ref
            self.long.append(LongText(ref=ref, label=f"{ref} · {item_id} · {label}", text=s))
        head = "\n".join(lines[:CELL_LINES])[:CELL_CHARS].rstrip()
        return head + self.s("see_full", ref=ref)

    def bounded_long_texts(self) -> list[LongText]:
        """Appendix C as the PDF prints it: each text up to APPENDIX_CHARS, all up to
        APPENDIX_TOTAL_CHARS; the rest named with where to find it."""
        out, budget = [], APPENDIX_TOTAL_CHARS
        for lt in self.long:
            n = max(0, min(len(lt.text), APPENDIX_CHARS, budget))
            budget -= n
            rest = len(lt.text) - n
            out.append(lt.model_copy(update={
                "shown": lt.text[:n].rstrip(), "rest": self.s("pdf_rest", n=f"{rest:,}") if rest else ""}))
        return out

    # parts -----------------------------------------------------------------------------------
    def ref(self, item_id: str) -> str:
        """How a client finds an item: its phase and question number (ids stay in the appendix)."""
        it = self.items.get(item_id)
        if it is None:
            return item_id
        phase = self.phase_title(item_id.split(".", 1)[0]) if "." in item_id else ""
        try:
            number = self.t.question_number(item_id)
        except KeyError:
            return item_id
        return self.s("question_ref", phase=phase, number=number)

    def points(self, g: Gap) -> float:
        """The points of the overall score a gap costs: what closing it would add (0 when out of the score)."""
        return self._points.get(g.item_id, 0.0)

    def _gap_points(self) -> dict[str, float]:
        weights: dict[str, float] = {}
        for it in self.t.items():
            weights[it.id] = it.weight * self.t.multipliers.of(it.criticality)
        den: dict[str, float] = {}
        for ir in self.r.items:
            if ir.state == "scored":
                ph = ir.id.split(".", 1)[0]
                den[ph] = den.get(ph, 0.0) + weights.get(ir.id, 0.0)
        scored = [p for p in self.r.phases if p.in_scope and p.score is not None]
        total = sum(p.weight for p in scored)
        share = {p.id: p.weight / total for p in scored} if total else {}
        out = {}
        for g in self.r.gaps:
            d = den.get(g.phase)
            if d and g.phase in share:
                out[g.item_id] = 100 * share[g.phase] * weights[g.item_id] * (1 - g.score) / d
        return out

    def ranked(self, gaps: list[Gap]) -> list[Gap]:
        """Gaps by severity, then by the points they cost, then in the template's order."""
        rank = {"blocker": 0, "high": 1, "medium": 2, "low": 3}
        order = {it.id: n for n, it in enumerate(self.t.items())}
        return sorted(gaps, key=lambda g: (rank.get(g.severity, 9), -round(self.points(g), 1), order.get(g.item_id, 0)))

    def gap_row(self, g: Gap) -> GapRow:
        colour = {"blocker": palette.BLOCKED, "high": palette.ORANGE, "medium": palette.AMBER}.get(g.severity,
                                                                                                   palette.UNKNOWN)
        return GapRow(item_id=g.item_id, ref=self.ref(g.item_id), phase=self.phase_title(g.phase),
                      severity=g.severity, severity_label=self.term(g.severity), severity_colour=colour,
                      question=g.question.get(self.lang), recommendation=g.recommendation.get(self.lang),
                      impact=self.s("impact_points", points=num(self.points(g))), blocker=g.blocker)

    def meta(self) -> Meta:
        title = self.t.title.get(self.lang)
        org = self.org()
        full = f"{title} — {org}" if org else title
        assessor = clean(self.a.respondent).strip()
        # what a client searches for: no font names, fingerprints or versions
        keywords = [self.s("report"), title] + ([org] if org else []) + [verdict_label(self.t, self.r.verdict,
                                                                                     self.lang)]
        return Meta(
            title=self.s("doc_title", report=self.s("report"), title=full),
            author=assessor or org or self.s("report"),
            subject=self.s("subject", template=title),
            keywords=keywords,
            language="zh-CN" if self.lang == "zh" else "en",
            created=self.o.created)

    def participants(self) -> list[Participant]:
        if self.o.participants:
            return list(self.o.participants)
        who = clean(self.a.respondent).strip()
        return [Participant(name=who)] if who else []

    def cover(self, logo: Logo | None) -> Cover:
        org = self.org()
        created = self.o.created.strftime("%Y-%m-%d") if self.o.created else "—"
        sep = "、" if self.lang == "zh" else ", "
        people = sep.join(p.name for p in self.participants()) or "—"
        fields = [
            Fact(label=self.s("organisation"), value=org or "—"),
            Fact(label=self.s("project"), value=clean(self.a.project).strip() or "—"),
            Fact(label=self.s("checklist"),
                 value=self.s("title_version", title=self.t.title.get(self.lang), version=self.t.version)),
            Fact(label=self.s("assessed_on"), value=clean(self.a.assessed_on).strip() or "—"),
            Fact(label=self.s("participants") if self.o.participants else self.s("assessor"), value=people),
            Fact(label=self.s("report_date"), value=created),
        ]
        return Cover(kicker=self.s("report"), title=self.t.title.get(self.lang), organisation=org,
                     project=clean(self.a.project).strip(), fields=fields,
                     confidentiality=self.s("confidential", org=org or self.s("the_org")), logo=logo)

    def verdict_sentences(self) -> list[str]:
        """The verdict in words: its own sentence for blocked, incomplete, unknown and each level."""
        r, lang = self.r, self.lang
        level = verdict_label(self.t, r.level, lang) if r.level else self.term("unknown")
        org = self.org()
        names = {"org": org or self.s("the_org"), "Org": org or self.s("The_org"),
                 "template": self.t.title.get(lang), "overall": num(r.overall), "level": level}
        if r.overall is None:
            return [self.n(NARRATIVE, "no_score")]
        if r.blocked:
            return [self.n(NARRATIVE, "score_blocked", **names),
                    self.n(NARRATIVE, "blocked", blocked=self.term("blocked"), n=len(r.blockers))]
        if r.verdict == "incomplete":
            # a score over a few answers is no level: the sentence never names one
            return [self.n(NARRATIVE, "incomplete", incomplete=self.term("incomplete"),
                           answered=r.progress.answered, applicable=r.progress.applicable,
                           completion=num(r.progress.share), minimum=num(self.t.min_completion),
                           overall=num(r.overall))]
        return [self.n(NARRATIVE, "score", **names), self.n(NARRATIVE, "not_blocked", level=level)]

    def narrative(self) -> list[str]:
        """Three short paragraphs: the verdict, how complete and well-founded it is, what is missing."""
        r, lang = self.r, self.lang
        verdict = self.verdict_sentences()
        basis: list[str] = []
        rest: list[str] = []
        if r.excluded_musts:
            # the reasons are the respondents' words: they sit beside the verdict they change
            sep = "；" if lang == "zh" else "; "
            items = sep.join(f"{self.question(n.item_id)} ({clean(n.reason) if n.reason else self.term('no_reason')})"
                             for n in r.excluded_musts)
            verdict.append(self.n(NARRATIVE, "excluded_musts", n=len(r.excluded_musts), items=items))
        incomplete = r.verdict == "incomplete"
        if not incomplete:  # the incomplete verdict's sentence already says how much is answered
            basis.append(self.n(NARRATIVE, "completion", answered=r.progress.answered,
                                applicable=r.progress.applicable, completion=num(r.progress.share)))
        if r.unknowns:
            basis.append(self.n(NARRATIVE, "unknowns", n=len(r.unknowns)))
        if r.must_coverage.applicable:
            basis.append(self.n(NARRATIVE, "must", met=r.must_coverage.met, applicable=r.must_coverage.applicable,
                                share=num(r.must_coverage.share)))
        scored = [p for p in r.phases if p.in_scope and p.score is not None]
        if len(scored) >= 2:
            # first of equals wins, in the template's phase order, so the sentence is reproducible
            best = max(scored, key=lambda p: cast(float, p.score))  # scored: never None
            worst = min(scored, key=lambda p: cast(float, p.score))
            if num(best.score) != num(worst.score):
                basis.append(self.n(NARRATIVE, "extremes", best=best.title.get(lang), best_score=num(best.score),
                                    worst=worst.title.get(lang), worst_score=num(worst.score)))
        if r.evidence_coverage is not None:
            basis.append(self.n(NARRATIVE, "evidence", evidence=num(r.evidence_coverage)))
        if r.out_of_scope:
            sep = "、" if lang == "zh" else ", "
            rest.append(self.n(NARRATIVE, "out_of_scope",
                               phases=sep.join(self.phase_title(p) for p in r.out_of_scope)))
        if incomplete:
            rest.append(self.n(NARRATIVE, "incomplete_gaps", n=len(r.gaps)) if r.gaps
                        else self.n(NARRATIVE, "incomplete_no_gaps"))
        elif r.gaps:
            rest.append(self.n(NARRATIVE, "gaps", n=len(r.gaps)))
        joiner = "" if lang == "zh" else " "
        return [joiner.join(group) for group in (verdict, basis, rest) if group]

    def summary(self) -> Summary:
        r, lang = self.r, self.lang
        ids = [lv.id for lv in self.t.levels]
        tone: Literal["blocked", "incomplete", "unknown", "level"] = ("blocked" if r.blocked else "unknown" if r.level is None
                else "incomplete" if r.verdict == "incomplete" else "level")
        index = ids.index(r.level) if r.level in ids else 0
        colour = palette.INCOMPLETE if tone == "incomplete" else palette.tone_colour(tone, index, len(ids))

        def cov(c) -> str:
            return "—" if c.share is None else f"{num(c.share)}% ({c.met}/{c.applicable})"

        metrics = [
            Fact(label=self.term("completion"),
                 value=f"{pct(r.progress.share)} ({r.progress.answered}/{r.progress.applicable})"),
            Fact(label=self.term("must_coverage"), value=cov(r.must_coverage)),
            Fact(label=self.term("should_coverage"), value=cov(r.should_coverage)),
            Fact(label=self.term("nice_coverage"), value=cov(r.nice_coverage)),
            Fact(label=self.term("evidence_coverage"), value=pct(r.evidence_coverage)),
        ]
        if self.o.comparison is not None and self.o.comparison.overall_delta is not None:
            delta = round(self.o.comparison.overall_delta, 1) + 0.0
            metrics.append(Fact(label=self.s("since_baseline"), value="±0" if delta == 0 else f"{delta:+g}"))
        if self.o.disagreements is not None:
            metrics.append(Fact(label=self.s("disagreements"), value=str(len(self.o.disagreements))))
        if self.o.action_plan:
            done = sum(a.status.value == "done" for a in self.o.action_plan)
            metrics.append(Fact(label=self.s("action_plan"), value=f"{done}/{len(self.o.action_plan)}"))
        others = self.ranked([g for g in r.gaps if not g.blocker])
        level_note = ""
        if r.blocked:
            level_note = self.s("level_by_score", level=verdict_label(self.t, r.level, lang) if r.level
                                else self.term("unknown"))
        elif tone == "incomplete":
            level_note = self.s("level_by_score_incomplete")
        return Summary(
            heading=self.s("summary"),
            overall_label=self.s("provisional") if tone == "incomplete" else self.term("overall"),
            overall=num(r.overall), out_of=self.s("out_of_100"), verdict=r.verdict,
            verdict_heading=self.term("verdict"), verdict_label=verdict_label(self.t, r.verdict, lang), tone=tone,
            colour=colour, level_index=index, level_count=len(ids),
            level_label=verdict_label(self.t, r.level, lang) if r.level else self.term("unknown"),
            level_note=level_note, recommendation_label=self.term("recommendation"),
            blocked=r.blocked, blockers_heading=f"{self.term('blockers')} ({len(r.blockers)})",
            blockers=[self.gap_row(g) for g in r.blockers], metrics=metrics, narrative=self.narrative(),
            gaps_heading=self.s("top_gaps"),
            gap_headers=[self.term("severity"), self.term("item"), self.term("recommendation"),
                         self.s("impact_header")],
            top_gaps=[self.gap_row(g) for g in others[: self.o.top_gaps]], gaps_total=len(others),
            more_gaps=self.s("more_gaps", n="{n}", section=self.s("phases")),
            no_gaps=self.s("incomplete_none") if tone == "incomplete" else self.s("no_gaps"))

    def charts(self) -> Charts:
        points = []
        rows = []
        targets = {x.phase: x.min_score for x in target_status(self.t, self.r, self.o.targets) if x.level}
        for p in self.r.phases:
            if not p.in_scope:
                shown = self.term("out_of_scope")
            elif p.score is None:
                shown = self.s("no_score")
            else:
                shown = num(p.score)
            level = verdict_label(self.t, p.level, self.lang) if p.level else "—"
            points.append(PhasePoint(id=p.id, label=p.title.get(self.lang),
                                     score=p.score if p.in_scope else None, score_text=shown,
                                     level_label=level, colour=palette.phase_colour(self.t, p),
                                     target=targets.get(p.id)))
            # an out-of-scope phase has no completion to speak of (not "0 % (0/0)")
            done = f"{pct(p.completion)} ({p.answered}/{p.applicable})" if p.in_scope and p.applicable else "—"
            rows.append([p.title.get(self.lang), num(p.weight), shown, level, done,
                         str(p.blockers) if p.in_scope else "—"])
        table = TableSection(
            heading=self.s("overview"),
            headers=[self.term("phase"), self.s("weight"), self.term("score"), self.s("level"),
                     self.term("completion"), self.term("blockers")],
            rows=rows, widths=[3, 1.2, 1.6, 2.2, 2.4, 1.3])
        sep = " · "
        caption = self.s("radar_caption", levels=sep.join(f"{lv.label.get(self.lang)} {num(lv.min_score)}"
                                                           for lv in self.t.levels if 0 < lv.min_score < 100))
        return Charts(heading=self.s("overview"), radar_title=self.s("radar"), radar_caption=caption,
                      bars_title=self.s("bars"),
                      phases=points,
                      thresholds=[LevelThreshold(label=lv.label.get(self.lang), min_score=lv.min_score)
                                  for lv in self.t.levels],
                      table=table)

    def item_row(self, it: Item, ir: ItemResult) -> ItemRow:
        ans = self.a.answers.get(it.id)
        state = ir.state
        if state == "hidden":
            answer = self.s("not_asked")
        elif state == "out_of_scope":
            answer = self.term("out_of_scope")
        elif state == "unknown":
            answer = self.term("unknowns")
        elif it.kind.free_text and ir.value not in (None, "na"):
            answer = self.cell(ir.value, it.id, self.term("answer"))
        else:
            answer = value_label(self.t, it, ir.value, self.lang)
        if ir.score is not None:
            score = num(round(ir.score * 100, 1))
        elif state == "unscored" or (state == "answered" and not it.scored):
            score = self.s("free_text")
        else:
            score = "—"
        notes = []
        if ans is not None and ans.reason:
            notes.append(f"{self.s('reason')}: {clean(ans.reason)}")
        if ans is not None and ans.note:
            notes.append(clean(ans.note))
        note = self.cell("\n".join(notes), it.id, self.term("note")) if notes else ""
        blocker = any(g.item_id == it.id for g in self.r.blockers)
        tag = f"{self.term(it.criticality.value)} · {self.t.question_number(it.id)}"
        return ItemRow(item_id=it.id, tag=tag, question=it.question.get(self.lang), criticality=it.criticality.value,
                       criticality_label=self.term(it.criticality.value), answer=answer, score=score,
                       state=state, note=note, blocker=blocker)

    def phases(self) -> list[PhaseSection]:
        out = []
        for ph, ps in zip(self.t.phases, self.r.phases, strict=True):
            rows = [self.item_row(it, self.results[it.id]) for it in ph.items
                    if self.results[it.id].state not in ("hidden", "out_of_scope")]
            counted = ps.in_scope and ps.applicable
            facts = [
                Fact(label=self.term("score"), value=f"{num(ps.score)} / 100" if ps.score is not None else "—"),
                Fact(label=self.s("level"),
                     value=verdict_label(self.t, ps.level, self.lang) if ps.level else "—"),
                Fact(label=f"{self.term('completion')} ({ps.answered}/{ps.applicable})" if counted
                     else self.term("completion"), value=pct(ps.completion) if counted else "—"),
                Fact(label=self.s("weight"), value=num(ps.weight)),
                Fact(label=self.term("evidence_coverage"), value=pct(ps.evidence_coverage)),
                Fact(label=self.term("blockers"), value=str(ps.blockers)),
            ]
            oos = None
            if not ps.in_scope:
                reason = self.cell(ps.out_of_scope_reason, ph.id, self.term("out_of_scope")).strip()
                oos = f"{self.term('out_of_scope')}: {reason}" if reason else self.term("out_of_scope")
            out.append(PhaseSection(
                id=ph.id, heading=ph.title.get(self.lang),
                description=ph.description.get(self.lang) if ph.description else None,
                out_of_scope=oos, facts=facts,
                item_headers=[self.term("item"), self.term("answer"), self.term("score"), self.term("note")],
                items=rows, no_items=self.s("phase_no_items"),
                gaps_heading=self.s("phase_gaps"),
                gaps=[self.gap_row(g) for g in self.ranked([g for g in self.r.gaps if g.phase == ph.id])],
                no_gaps=self.s("phase_no_gaps")))
        return out

    def action_plan(self, plan: list[ActionItem]) -> TableSection:
        rows = []
        for a in plan:
            rows.append([f"{self.question(a.item_id)}\n{self.ref(a.item_id)}",
                         self.cell(a.owner, a.item_id, self.s("owner")) or "—", clean(a.due) or "—",
                         self.term(a.status.value),
                         self.cell(a.note, a.item_id, self.s("action_plan")) or ""])
        return TableSection(heading=self.s("action_plan"), intro=self.s("action_intro"),
                            headers=[self.term("item"), self.s("owner"), self.s("due"), self.s("status"),
                                     self.term("note")],
                            rows=rows, widths=[4, 1.8, 1.5, 1.4, 3])

    def progress(self, cmp: Comparison) -> TableSection:
        def signed(x: float | None) -> str:
            return "—" if x is None else ("±0" if round(x, 1) == 0 else f"{round(x, 1) + 0.0:+g}")

        date = clean(cmp.old.assessed_on) or "—"
        rows = [[p.title.get(self.lang), num(p.old_score), num(p.new_score), signed(p.delta)] for p in cmp.phases]
        rows.append([self.term("overall"), num(cmp.old.overall), num(cmp.new.overall), signed(cmp.overall_delta)])
        intro = self.s("progress_intro", date=date, old=num(cmp.old.overall), new=num(cmp.new.overall),
                       delta=signed(cmp.overall_delta), resolved=len(cmp.blockers_resolved),
                       new_blockers=len(cmp.blockers_new), closed=len(cmp.gaps_closed),
                       opened=len(cmp.gaps_opened), done=len(cmp.actions_done))
        return TableSection(heading=self.s("progress", date=date), intro=intro,
                            headers=[self.term("phase"), self.s("before"), self.s("after"), self.s("delta")],
                            rows=rows, widths=[4, 1.5, 1.5, 1.5])

    def disagreements(self, items: list[Disagreement]) -> TableSection:
        rows = []
        sep = "；" if self.lang == "zh" else "; "
        for d in items:
            it = self.items.get(d.item_id)
            answers = []
            for who, value in d.values.items():
                shown = value_label(self.t, it, value, self.lang) if it else clean(value)
                answers.append(f"{clean(who)}: {shown}")
            rows.append([f"{self.question(d.item_id)}\n{self.ref(d.item_id)}", num(d.spread * 100),
                         self.cell(sep.join(answers), d.item_id, self.s("respondents"))])
        return TableSection(heading=self.s("disagreements"), intro=self.s("disagreements_intro"),
                            headers=[self.term("item"), self.s("spread"), self.s("respondents")],
                            rows=rows, widths=[4.5, 1.2, 5])

    def score_range(self, rng: ScoreRange) -> TableSection | None:
        """The score as a range and the unknowns that matter most; None once the score is a point."""
        if rng.low is None or rng.low == rng.high:
            return None
        labels = [verdict_label(self.t, v, self.lang) for v in rng.verdict_range]
        verdicts = (self.s("verdict_between", low=labels[0], high=labels[-1]) if len(labels) > 1
                    else self.s("verdict_stays", verdict=labels[0]))
        rows = [[f"{self.question(d.item)}\n{self.ref(d.item)}", num(d.high_if_worst), num(d.low_if_best),
                 self.term("yes") if d.changes_verdict else "—"] for d in rng.decisive_unknowns[:10]]
        return TableSection(heading=self.s("score_range"),
                            intro=self.s("score_range_intro", unknowns=rng.unknowns, low=num(rng.low),
                                         high=num(rng.high), verdicts=verdicts),
                            headers=[self.term("item"), self.s("if_worst"), self.s("if_best"),
                                     self.s("verdict_changes")],
                            rows=rows, widths=[5, 1.6, 1.6, 1.6])

    def agreement(self, a: Agreement) -> TableSection:
        def alpha(x: float | None, units: int) -> str:
            return "—" if x is None else f"{x:.2f} ({units})"

        rows = [[self.t.phase(p.phase).title.get(self.lang) if p.phase else self.s("all_phases"),
                 alpha(p.ordinal_alpha, p.ordinal_units), alpha(p.nominal_alpha, p.nominal_units)]
                for p in [*a.phases, a.overall]]
        return TableSection(heading=self.s("agreement"), intro=self.s("agreement_intro", n=a.respondents),
                            headers=[self.term("phase"), self.s("ordinal_alpha"), self.s("nominal_alpha")],
                            rows=rows, widths=[4, 2, 2])

    def role_divergence(self, items: list[RoleDivergence]) -> TableSection:
        names = {r.id: r.label.get(self.lang) for r in self.t.roles}
        sep = "；" if self.lang == "zh" else "; "
        rows = [[f"{self.question(d.item_id)}\n{self.ref(d.item_id)}",
                 f"{clean(names.get(d.roles[0], d.roles[0]))} ↔ {clean(names.get(d.roles[1], d.roles[1]))}",
                 num(d.divergence * 100),
                 sep.join(f"{clean(names.get(g, g))} {num(m * 100)}" for g, m in d.means.items())] for d in items]
        return TableSection(heading=self.s("role_divergence"),
                            intro=self.s("role_divergence_intro", limit=num(self.t.workshop.divergence * 100)),
                            headers=[self.term("item"), self.s("roles_apart"), self.s("spread"),
                                     self.s("role_means")],
                            rows=rows, widths=[4.5, 2, 1.2, 3.5])

    def convergence(self, number: int, conv: Convergence) -> TableSection:
        """One later round against the answers before it: each item's spread R(n-1) → R(n) on 0–100."""
        def spread(x: float | None) -> float | None:
            return None if x is None else x * 100

        rows = [[f"{self.question(c.item_id)}\n{self.ref(c.item_id)}", f"{num(spread(c.before))} → {num(spread(c.after))}",
                 self.term("yes") if c.converged else "—"] for c in conv.items]
        return TableSection(heading=self.s("convergence", a=number - 1, b=number),
                            intro=self.s("convergence_intro", b=number, disputed=conv.disputed,
                                         converged=conv.converged),
                            headers=[self.term("item"), self.s("spread_change", a=number - 1, b=number),
                                     self.s("converged")],
                            rows=rows, widths=[5.5, 2.5, 1.5])

    def answers(self) -> TableSection:
        rows = []
        for it in self.t.items():
            row = self.item_row(it, self.results[it.id])
            ans = self.a.answers.get(it.id)
            conf = self.term(ans.confidence.value) if ans is not None and ans.confidence else "—"
            rows.append([it.id, self.t.question_number(it.id), row.answer, conf])
        # an index, not a second copy of the phase tables: the questions and notes are there
        return TableSection(heading=self.s("all_answers"), intro=self.s("index_intro"),
                            headers=[self.s("id"), self.s("question_no"), self.term("answer"), self.s("confidence")],
                            rows=rows, widths=[4.2, 1.1, 4.0, 1.6])

    def scope(self) -> ScopeSection:
        t, lang = self.t, self.lang
        in_scope = [p for p in self.r.phases if p.in_scope]
        paragraphs = [self.s("scope_what", org=self.org() or self.s("the_org"),
                             project=clean(self.a.project).strip() or "—", template=t.title.get(lang),
                             version=t.version, phases=len(in_scope),
                             items=sum(len(t.phase(p.id).items) for p in in_scope))]
        if self.r.out_of_scope:
            sep = "；" if lang == "zh" else "; "
            paragraphs.append(self.s("scope_out", phases=sep.join(
                f"{self.phase_title(k)} ({clean(v)})" if clean(v).strip() else self.phase_title(k)
                for k, v in self.r.out_of_scope.items())))
        paragraphs.append(self.s("scope_how"))
        people = self.participants()
        if self.o.participants and len(people) > 1:
            key = f"method_{self.o.consolidation}"
            method = self.s(key) if key in REPORT_WORDS else clean(self.o.consolidation or "—")
            paragraphs.append(self.s("scope_room", n=len(people), method=method))
        rows = [[clean(p.name), clean(p.role) or "—"] for p in people] or [["—", "—"]]
        return ScopeSection(heading=self.s("scope"), paragraphs=paragraphs, participants=TableSection(
            heading=self.s("participants"), headers=[self.s("name"), self.s("role")], rows=rows, widths=[3, 4]))

    def findings(self) -> TableSection:
        """One sentence per phase: its first blocker, else its most important gap."""
        rows = []
        for p in self.r.phases:
            if not p.in_scope:
                rows.append([p.title.get(self.lang), self.term("out_of_scope")])
                continue
            blockers = [g for g in self.r.blockers if g.phase == p.id]
            gaps = self.ranked([g for g in self.r.gaps if g.phase == p.id])
            if blockers:
                text = self.s("finding_blocked", n=len(blockers), question=blockers[0].question.get(self.lang))
            elif gaps:
                text = self.s("finding_gap", question=gaps[0].question.get(self.lang))
            elif p.score is None:
                text = self.s("finding_unanswered")
            else:
                text = self.s("finding_none")
            rows.append([p.title.get(self.lang), text])
        return TableSection(heading=self.s("findings"), headers=[self.term("phase"), self.s("finding")], rows=rows,
                            widths=[2.2, 8])

    def heat_map(self) -> HeatMap:
        crits = list(Criticality)
        mult = self.t.multipliers
        ids = [lv.id for lv in self.t.levels]
        cells, colours = [], []
        for p in self.r.phases:
            row, tint = [], []
            for c in crits:
                num_, den = 0.0, 0.0
                if p.in_scope:
                    for it in self.t.phase(p.id).items:
                        ir = self.results[it.id]
                        if it.criticality is c and ir.state == "scored" and ir.score is not None:
                            w = it.weight * mult.of(c)
                            num_ += w * ir.score
                            den += w
                if den:
                    share = 100 * num_ / den
                    row.append(pct(round(share)))
                    level = self.t.level_for(share).id
                    tint.append(palette.level_colour(ids.index(level), len(ids)))
                else:
                    row.append("—")
                    tint.append(palette.UNKNOWN)
            cells.append(row)
            colours.append(tint)
        return HeatMap(heading=self.s("heat_map"), intro=self.s("heat_intro"),
                       rows=[p.title.get(self.lang) for p in self.r.phases],
                       columns=[self.term(c.value) for c in crits], cells=cells, colours=colours)

    def roadmap(self) -> Roadmap:
        """The gaps as horizons: blockers now, other high gaps within 30 days, the rest within 90."""
        plan = {a.item_id: a for a in self.plan()}
        ranked = self.ranked(list(self.r.gaps))
        groups = {"now": [g for g in ranked if g.blocker], "days30": [g for g in ranked if g.severity == "high"],
                  "days90": [g for g in ranked if g.severity in ("medium", "low")]}
        horizons = []
        limit = 8
        for key, gaps in groups.items():
            rows = []
            for g in gaps[:limit]:
                a = plan.get(g.item_id)
                rows.append([f"{g.recommendation.get(self.lang)}\n{self.ref(g.item_id)}",
                             (self.cell(a.owner, g.item_id, self.s("owner")) if a else "") or "—",
                             (clean(a.due) if a else "") or "—", self.term(a.status.value if a else "open")])
            if len(gaps) > limit:
                rows.append([self.s("roadmap_more", n=len(gaps) - limit), "", "", ""])
            horizons.append(Horizon(heading=f"{self.s(key)} ({len(gaps)})", table=TableSection(
                heading="", headers=[self.term("recommendation"), self.s("owner"), self.s("due"), self.s("status")],
                rows=rows, widths=[6.5, 1.8, 1.4, 1.3])))
        return Roadmap(heading=self.s("roadmap"), intro=self.s("roadmap_intro"), horizons=horizons,
                       empty=self.s("roadmap_empty"), **self.projection())

    def plan(self) -> list[ActionItem]:
        """The action plan: the one given to the report, else the one the answers file carries."""
        return list(self.o.action_plan) if self.o.action_plan is not None else list(self.a.actions)

    def projection(self) -> dict:
        """The roadmap's projection (scoring.project, the same as `score --json`): the ready-on date in
        words, the critical path, the score month by month and the phase targets."""
        today = self.o.today or _date.today()
        p = project(self.t, self.a, self.plan(), today=today)
        blocked = self.r.blocked
        if not blocked:
            sentence = self.s("ready_now")
        elif p.ready_on:
            sentence = self.s("ready_on", date=p.ready_on)
        else:
            sep = "、" if self.lang == "zh" else ", "
            sentence = self.s("ready_never", items=sep.join(self.ref(b) for b in p.unresolved_blockers))
        critical = None
        if p.critical_path:
            critical = TableSection(
                heading=self.s("critical_path"),
                headers=[self.term("item"), self.s("owner"), self.s("expect"), self.s("counts_from")],
                rows=[[f"{self.question(a.item_id)}\n{self.ref(a.item_id)}",
                       self.cell(a.owner, a.item_id, self.s("owner")) or "—",
                       self.expect_text(a.item_id, next((x.expect for x in self.plan() if x.item_id == a.item_id),
                                                        None)),
                       a.effective + (f" ({self.s('overdue_days', n=a.days_overdue)})" if a.days_overdue else "")]
                      for a in p.critical_path],
                widths=[5, 2, 1.8, 2.2])
        rows = [[pt.date, num(pt.score), verdict_label(self.t, pt.verdict, self.lang)] for pt in p.points]
        points = TableSection(heading=self.s("projection"), intro=self.s("projection_from", date=p.today),
                              headers=[self.s("date"), self.term("score"), self.term("verdict")], rows=rows,
                              widths=[2, 1.5, 2.5])
        labels = {lv.id: lv.label.get(self.lang) for lv in self.t.levels}
        targets = [x for x in target_status(self.t, self.r, self.o.targets) if x.level]
        target_table = TableSection(
            heading=self.s("phase_targets"),
            headers=[self.term("phase"), self.s("target"), self.term("score"), self.s("target_reached")],
            rows=[[self.phase_title(x.phase), f"{labels[cast(str, x.level)]} ({num(x.min_score)})", num(x.score),
                   "—" if x.met is None else self.s("target_met" if x.met else "target_not_met")] for x in targets],
            widths=[3, 3, 1.5, 1.5]) if targets else None
        return {"projection": sentence, "ready_on": p.ready_on,
                "critical_path": critical, "projection_table": points,
                "points": [(pt.date, pt.score, pt.verdict) for pt in p.points], "targets": target_table}

    def expect_text(self, item_id: str, expect: object) -> str:
        it = self.items.get(item_id)
        return "—" if it is None or expect is None else value_label(self.t, it, expect, self.lang)

    def gap_list(self) -> list[GapLine]:
        plan = {a.item_id: a for a in self.plan()}
        spread = {d.item_id: d.spread for d in self.o.disagreements or []}
        out = []
        for g in self.ranked(list(self.r.gaps)):
            it = self.items[g.item_id]
            ir = self.results[g.item_id]
            ans = self.a.answers.get(g.item_id)
            a = plan.get(g.item_id)
            out.append(GapLine(
                phase=self.phase_title(g.phase), number=self.t.question_number(g.item_id), item_id=g.item_id,
                question=g.question.get(self.lang), criticality=self.term(g.criticality.value),
                answer=value_label(self.t, it, ir.value, self.lang), note=clean(ans.note) if ans and ans.note else None,
                spread=round(100 * spread[g.item_id], 1) if g.item_id in spread else None,
                score=round(100 * g.score, 1), impact=round(self.points(g), 1), severity=self.term(g.severity),
                recommendation=g.recommendation.get(self.lang), owner=(clean(a.owner) or None) if a else None,
                due=(clean(a.due) or None) if a else None, status=self.term(a.status.value if a else "open"),
                expect=self.expect_text(g.item_id, a.expect) if a and a.expect is not None else None,
                effort=a.effort if a else None))
        return out

    def method(self) -> MethodSection:
        t, lang = self.t, self.lang
        status_item = next((it for it in t.items() if it.type is AnswerType.status), None)
        status = ""
        if status_item is not None:
            # the values come from the scoring itself, so this sentence cannot drift from it
            y, p, n_ = (item_score(status_item, v) for v in status_item.allowed_values())
            status = self.n(METHOD_WORDS, "status", yes=self.term("yes"), partial=self.term("partial"), no=self.term("no"),
                            y=num(y), p=num(p), n=num(n_))
        m = t.multipliers
        paragraphs = [
            self.n(METHOD_WORDS, "items", status=status),
            self.n(METHOD_WORDS, "weights", must=self.term("must"), should=self.term("should"), nice=self.term("nice"),
                   m=plain(m.must), s=plain(m.should), ni=plain(m.nice)),
            self.n(METHOD_WORDS, "phase"),
            self.n(METHOD_WORDS, "overall"),
        ]
        total = sum(ph.weight for ph in t.phases)
        weights = TableSection(
            heading="", headers=[self.term("phase"), self.s("weight"), self.s("share")],
            rows=[[ph.title.get(lang), plain(ph.weight), pct(round(100 * ph.weight / total, 1))] for ph in t.phases],
            widths=[3, 1.5, 1.5])
        levels = TableSection(
            heading=self.n(METHOD_WORDS, "levels"), headers=[self.s("level"), self.s("from_score"), self.s("description")],
            rows=[[lv.label.get(lang), plain(lv.min_score), lv.description.get(lang) if lv.description else ""]
                  for lv in t.levels],
            widths=[2, 1.3, 6])
        closing = [self.n(METHOD_WORDS, "blockers", pass_score=plain(t.must_pass_score), blocked=self.term("blocked"))]
        overrides = [it for it in t.items() if it.criticality is Criticality.must and it.pass_score is not None]
        if overrides:
            sep = "、" if lang == "zh" else ", "
            closing.append(self.n(METHOD_WORDS, "overrides", items=sep.join(f"{it.id} ({plain(it.pass_score)})"
                                                                 for it in overrides)))
        closing.append(self.n(METHOD_WORDS, "coverage", evidence=self.term("evidence")))
        closing.append(self.n(METHOD_WORDS, "provenance", scoring=self.r.scoring_version, template=t.id,
                              version=t.version, fingerprint=self.r.fingerprint[:16]))
        return MethodSection(heading=self.s("method"), paragraphs=paragraphs, weights=weights, levels=levels,
                      closing=closing)


def build_report(template: Template, assessment: Assessment, result: ReadinessResult,
                 options: ReportOptions | None = None) -> ReportData:
    """The report's content in one language; raises `ReportError` for a bad logo or mismatched inputs."""
    options = options or ReportOptions()
    if options.lang not in LANGS:
        raise ReportError(f"unknown report language {options.lang!r}; use zh or en")
    if result.template != template.id or assessment.template != template.id:
        raise ReportError(f"the result ({result.template}) and the assessment ({assessment.template}) must "
                          f"belong to the template {template.id}")
    logo = validate_logo(options.logo) if options.logo is not None else None
    b = ReportBuilder(template, assessment, result, options)
    summary = b.summary()
    charts = b.charts()
    phases = b.phases()
    action_plan = b.action_plan(options.action_plan) if options.action_plan else None
    disagreements = b.disagreements(options.disagreements) if options.disagreements else None
    score_range = b.score_range(options.score_range) if options.score_range is not None else None
    agreement = b.agreement(options.agreement) if options.agreement is not None else None
    divergence = b.role_divergence(options.role_divergence) if options.role_divergence else None
    progress = b.progress(options.comparison) if options.comparison else None
    convergence = [b.convergence(n, c) for n, c in sorted((options.convergence or {}).items()) if c.items]
    vendor = vendor_section(options.vendors, options.lang) if options.vendors is not None else None
    answers = b.answers()
    method = b.method()
    org = b.org()
    title = template.title.get(options.lang)
    return ReportData(
        lang=options.lang, meta=b.meta(), page_format=b.s("page"),
        footer=f"{org} · {title}" if org else title, confidential=b.s("confidential_footer"),
        outline={"cover": b.s("cover"), "appendix": b.s("appendix")},
        cover=b.cover(logo), contents_heading=b.s("contents"), summary=summary, scope=b.scope(), charts=charts,
        findings=b.findings(), heat_map=b.heat_map(), roadmap=b.roadmap() if result.gaps else None,
        phases_heading=b.s("phases"), phases=phases,
        action_plan=action_plan, disagreements=disagreements, score_range=score_range, agreement=agreement,
        role_divergence=divergence, convergence=convergence, progress=progress, vendor=vendor,
        appendix_heading=b.s("appendix"),
        answers=answers, long_texts_heading=b.s("full_texts"), long_texts_intro=b.s("full_texts_intro"),
        long_texts=b.bounded_long_texts(), method=method, gap_list=b.gap_list())
