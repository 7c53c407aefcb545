"""Export and import answers in the command line's answers format. A failed import changes nothing."""

from __future__ import annotations

import streamlit as st
import yaml

from scoring import AnswersError, Assessment, assessment_to_document, load_assessment_text
from storage import StorageUnavailable
from ui.common import (
    MAX_UPLOAD_BYTES,
    combined_assessment,
    context,
    repository,
    require_assessment,
    respondent_id,
    sidebar,
    templates,
)
from ui.i18n import tr

ctx = context()
lang = ctx.lang
found = require_assessment(ctx)
sidebar(ctx, found[0] if found else None)
if found is None:
    st.stop()
meta, tpl = found
repo = repository()
st.title(tr("transfer", lang))


def answers_yaml(a: Assessment) -> str:
    return yaml.safe_dump(assessment_to_document(a), allow_unicode=True, sort_keys=False)


st.subheader(tr("export", lang))
whose = st.radio(tr("export_whose", lang), ["combined", "mine"], horizontal=True, key="export_whose",
                 format_func=lambda w: tr(f"export_{w}", lang))
if whose == "mine" and ctx.respondent:
    mine = repo.load_answers(meta.id).get(ctx.respondent, {})
    doc = Assessment(template=tpl.id, template_version=tpl.version, organisation=meta.organisation,
                     project=meta.project, respondent=ctx.respondent, language=meta.language, answers=mine,
                     out_of_scope=meta.out_of_scope)
else:
    doc = combined_assessment(meta, tpl)
st.download_button(tr("download", lang), answers_yaml(doc), file_name=f"answers-{tpl.id}.yaml",
                   mime="application/x-yaml", key="export_download")

st.subheader(tr("import", lang))
st.caption(tr("import_hint", lang))
if not ctx.respondent:
    st.info(tr("join", lang))
    st.stop()
upload = st.file_uploader(tr("import", lang), type=["yaml", "yml", "json"], key="import_file",
                          label_visibility="collapsed")
if st.button(tr("import_button", lang), key="import_button", disabled=upload is None):
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        st.error(tr("import_failed", lang) + " " + tr("file_too_big", lang, kb=MAX_UPLOAD_BYTES // 1000))
        st.stop()
    try:
        text = data.decode("utf-8-sig")
        incoming = load_assessment_text(text, upload.name, templates())
    except UnicodeDecodeError:
        st.error(f"{tr('import_failed', lang)} {upload.name}: not UTF-8 text")
        st.stop()
    except AnswersError as e:
        st.error(tr("import_failed", lang) + "\n\n" + "\n".join(f"- {p}" for p in e.problems[:30]))
        st.stop()
    if incoming.template != tpl.id:
        st.error(tr("import_failed", lang) + " " + tr("import_wrong_template", lang, got=incoming.template,
                                                       want=tpl.id))
        st.stop()
    try:
        repo.import_answers(meta.id, respondent_id(ctx), incoming)
    except StorageUnavailable:
        st.error(tr("save_failed", lang))
        st.stop()
    st.session_state.pop("synced", None)
    st.success(tr("import_ok", lang, n=len(incoming.answers)))
