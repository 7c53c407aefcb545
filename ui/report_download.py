"""The PDF download on the results page: language and logo chosen by the user."""

from __future__ import annotations

import logging

import streamlit as st

from checklists import Template
from reports import MAX_LOGO_BYTES, ReportError, export_file, render_report
from scoring import Comparison, ComparisonError, ReadinessResult, compare, disagreements
from storage import AssessmentMeta
from ui.common import Context, combined_assessment, repository, templates
from ui.i18n import tr
from ui.services import assessment_chain, room_assessment
from ui.text import plain
from ui.vendor_services import stored_result

log = logging.getLogger("readiness.ui")
EXPORT_MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "md": "text/markdown"}


def _baseline_picker(meta: AssessmentMeta, tpl: Template, lang: str) -> Comparison | None:
    """An earlier assessment of the chain, chosen to add a "Progress since" section."""
    repo = repository()
    chain = [i for i in assessment_chain(repo, meta.id) if i != meta.id]
    if not chain:
        return None
    metas = {i: repo.get_assessment_meta(i) for i in chain}
    pick = st.selectbox(tr("baseline", lang), [None, *chain], key="report_baseline",
                        format_func=lambda i: "—" if i is None else f"{metas[i].created_at:%Y-%m-%d %H:%M}")
    if pick is None:
        return None
    old_t = templates().get(metas[pick].template_id, tpl)
    try:
        return compare(old_t, room_assessment(repo, pick, old_t), tpl, combined_assessment(meta, tpl),
                       repo.load_action_plan(pick), repo.load_action_plan(meta.id))
    except ComparisonError as e:
        st.warning(plain(e))
        return None


def report_download(meta: AssessmentMeta, tpl: Template, result: ReadinessResult, ctx: Context) -> None:
    lang = ctx.lang
    st.subheader(tr("download_pdf", lang))
    c1, c2 = st.columns([1, 2])
    rlang = c1.radio(tr("report_lang", lang), ["zh", "en"], index=0 if meta.language == "zh" else 1,
                     key="report_lang", horizontal=True, format_func=lambda x: {"zh": "中文", "en": "English"}[x])
    upload = c2.file_uploader(tr("logo", lang), type=["png", "jpg", "jpeg"], key="report_logo")
    comparison = _baseline_picker(meta, tpl, lang)
    if st.button(tr("build_pdf", lang), key="build_pdf"):
        logo = upload.getvalue() if upload is not None else None
        if logo is not None and len(logo) > MAX_LOGO_BYTES:
            st.error(f"{tr('pdf_failed', lang)}: " + tr("file_too_big", lang, kb=MAX_LOGO_BYTES // 1000))
            return
        repo = repository()
        by_respondent = repo.load_answers(meta.id)
        agenda = disagreements(tpl, by_respondent, meta.settings.spread_threshold) if len(by_respondent) > 1 else None
        try:
            pdf = render_report(tpl, combined_assessment(meta, tpl), result, lang=rlang, logo=logo,
                                action_plan=repo.load_action_plan(meta.id) or None, disagreements=agenda,
                                comparison=comparison, vendors=stored_result(repo, meta.id))
        except ReportError as e:
            st.error(f"{tr('pdf_failed', lang)}: {plain(e)}")
            return
        st.session_state["report_pdf"] = pdf
    pdf = st.session_state.get("report_pdf")
    if pdf:
        name = f"readiness-{meta.organisation or 'report'}-{rlang}.pdf".replace(" ", "_")
        st.download_button(tr("download_pdf", lang), pdf, file_name=name, mime="application/pdf",
                           key="download_pdf", type="primary")

    st.subheader(tr("editable_exports", lang))
    st.caption(tr("editable_hint", lang))
    c1, c2 = st.columns([2, 1])
    fmt = c1.radio(tr("export_format", lang), list(EXPORT_MIME), horizontal=True, key="export_format",
                   format_func=lambda f: tr(f"format_{f}", lang))
    repo = repository()
    data = export_file(fmt, tpl, combined_assessment(meta, tpl), result, lang=rlang,
                       action_plan=repo.load_action_plan(meta.id) or None, comparison=comparison,
                       vendors=stored_result(repo, meta.id) if fmt in ("docx", "md") else None)
    c2.download_button(tr("download", lang), data, file_name=f"readiness-{tpl.id}-{rlang}.{fmt}",
                       mime=EXPORT_MIME[fmt], key="download_export")
