"""The report downloads on the results page: language, logo and baseline chosen by the user, in one
`ReportRequest` that the PDF and the editable exports are all rendered from.

Session state here is scoped: widget keys carry the assessment id, and a built PDF is kept with the
options that made it (`PdfOptions`), so a download button only ever offers the file matching what is
selected now, for the assessment open now."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import cast

import streamlit as st

from checklists import Template
from reports import MAX_LOGO_BYTES, Lang, Participant, ReportError, ReportRequest, render_request
from scoring import (
    Comparison,
    ComparisonError,
    ReadinessResult,
    agreement,
    compare,
    disagreements,
    role_divergences,
    score_range,
)
from services import assessment_chain, assessment_meta, room_answers, room_assessment, vendor_sheet
from storage import AssessmentMeta
from ui.common import Context, combined_assessment, repository, templates
from ui.i18n import colon, tr
from ui.text import plain
from ui.workshop_views import convergences

log = logging.getLogger("readiness.ui")
EXPORT_MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "md": "text/markdown"}


def _baseline_picker(meta: AssessmentMeta, tpl: Template, lang: str) -> tuple[str | None, Comparison | None]:
    """An earlier assessment of the chain, chosen to add a "Progress since" section: its id and the
    comparison (None and None when no baseline is chosen)."""
    repo = repository()
    chain = [i for i in assessment_chain(repo, meta.id) if i != meta.id]
    if not chain:
        return None, None
    metas = {i: assessment_meta(repo, i) for i in chain}
    options: list[str | None] = [None, *chain]
    pick = st.selectbox(tr("baseline", lang), options, key=f"report_baseline::{meta.id}",
                        format_func=lambda i: "—" if i is None else f"{metas[i].created_at:%Y-%m-%d %H:%M}")
    if pick is None:
        return None, None
    old_t = templates().get(metas[pick].template_id, tpl)
    try:
        return pick, compare(old_t, room_assessment(repo, pick, old_t), tpl, combined_assessment(meta, tpl),
                             repo.load_action_plan(pick), repo.load_action_plan(meta.id))
    except ComparisonError as e:
        st.warning(e.text(lang))
        return pick, None


@dataclass(frozen=True)
class PdfOptions:
    """Everything a built PDF depends on. A PDF is kept per assessment with the options that made it,
    and offered for download only while they are still the ones selected: switching the language,
    the logo, the baseline or the answers (their fingerprint) never offers a file built for others."""

    assessment_id: str
    lang: str
    logo: str | None  # SHA-256 of the logo file
    baseline: str | None
    fingerprint: str

    def file_name(self, organisation: str) -> str:
        """The organisation (letters, digits and - . _ only: a name, never a path) and the language."""
        org = re.sub(r"[^\w.-]+", "_", organisation, flags=re.UNICODE).strip("._")[:60] or "report"
        return f"readiness-{org}-{self.lang}.pdf"


def pdf_state_key(assessment_id: str) -> str:
    """The session key of the PDF built for this assessment (one per assessment: the latest one)."""
    return f"report_pdf::{assessment_id}"


def report_request(meta: AssessmentMeta, tpl: Template, result: ReadinessResult, *, lang: str, logo: bytes | None,
                   comparison: Comparison | None) -> ReportRequest:
    """The one request every file of this page is rendered from (PDF, Word, Markdown, gap lists): the
    same sections in each, the room's disagreement agenda included when several people answered."""
    repo = repository()
    by_respondent = room_answers(repo, meta.id, tpl)  # a blind round's hidden items stay hidden
    agenda = disagreements(tpl, by_respondent, meta.settings.spread_threshold) if len(by_respondent) > 1 else None
    listed = repo.list_respondents(meta.id)
    people = [Participant(name=p.name, role=p.role) for p in listed]
    assessment = combined_assessment(meta, tpl)
    several = len(by_respondent) > 1
    roles = {p.name: tpl.role_of(p.role) or p.role.strip() for p in listed if p.role.strip()}
    state = repo.round_state(meta.id)
    # a later round's convergence, only once a round 2 was run (its revealed items only)
    rounds = (convergences(tpl, state, repo.load_rounds(meta.id), float(meta.settings.spread_threshold))
              if state.current >= 2 else {})
    # the page's language is zh or en; the request refuses any other with a ReportError
    return ReportRequest(template=tpl, assessment=assessment, result=result, lang=cast(Lang, lang), logo=logo,
                         score_range=score_range(tpl, assessment),
                         agreement=agreement(tpl, by_respondent) if several else None,
                         role_divergence=role_divergences(tpl, by_respondent, roles) if several else None,
                         convergence=rounds or None,
                         action_plan=repo.load_action_plan(meta.id) or None, disagreements=agenda,
                         comparison=comparison, vendors=vendor_sheet.stored_result(repo, meta.id),
                         participants=people or None, consolidation=meta.settings.method,
                         targets=repo.load_phase_targets(meta.id) or None)


def report_download(meta: AssessmentMeta, tpl: Template, result: ReadinessResult, ctx: Context) -> None:
    lang = ctx.lang
    aid = meta.id
    st.subheader(tr("download_pdf", lang))
    c1, c2 = st.columns([1, 2])
    # widget keys carry the assessment: another assessment's choices never carry over
    rlang = c1.radio(tr("report_lang", lang), ["zh", "en"], index=0 if meta.language == "zh" else 1,
                     key=f"report_lang::{aid}", horizontal=True,
                     format_func=lambda x: {"zh": "中文", "en": "English"}[x])
    upload = c2.file_uploader(tr("logo", lang), type=["png", "jpg", "jpeg"], key=f"report_logo::{aid}")
    logo = upload.getvalue() if upload is not None else None
    baseline, comparison = _baseline_picker(meta, tpl, lang)
    wanted = PdfOptions(aid, rlang, hashlib.sha256(logo).hexdigest() if logo is not None else None, baseline,
                        result.fingerprint)
    too_big = logo is not None and len(logo) > MAX_LOGO_BYTES
    request = report_request(meta, tpl, result, lang=rlang, logo=None if too_big else logo, comparison=comparison)
    if st.button(tr("build_pdf", lang), key=f"build_pdf::{aid}"):
        if too_big:
            st.error(f"{tr('pdf_failed', lang)}{colon(lang)}" + tr("file_too_big", lang, kb=MAX_LOGO_BYTES // 1000))
            return
        try:
            pdf = render_request(request, "pdf")
        except ReportError as e:
            st.error(f"{tr('pdf_failed', lang)}{colon(lang)}{plain(e)}")
            return
        st.session_state[pdf_state_key(aid)] = (wanted, pdf)
    built = st.session_state.get(pdf_state_key(aid))
    if built is not None and built[0] == wanted:
        st.download_button(tr("download_pdf", lang), built[1], file_name=wanted.file_name(meta.organisation), mime="application/pdf",
                           key=f"download_pdf::{aid}", type="primary")
    elif built is not None:
        st.caption(tr("pdf_outdated", lang))

    st.subheader(tr("editable_exports", lang))
    st.caption(tr("editable_hint", lang))
    c1, c2 = st.columns([2, 1])
    fmt = c1.radio(tr("export_format", lang), list(EXPORT_MIME), horizontal=True, key=f"export_format::{aid}",
                   format_func=lambda f: tr(f"format_{f}", lang))
    try:
        # the same request as the PDF: the Word and Markdown files carry the same sections
        data = render_request(request, fmt)
    except ReportError as e:  # a logo the PDF would refuse too
        c2.error(f"{tr('pdf_failed', lang)}{colon(lang)}{plain(e)}")
        return
    c2.download_button(tr("download", lang), data, file_name=f"readiness-{tpl.id}-{rlang}.{fmt}",
                       mime=EXPORT_MIME[fmt], key=f"download_export::{aid}")
