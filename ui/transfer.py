"""Export and import answers in the command line's answers format. A failed import changes nothing."""

from __future__ import annotations

import streamlit as st

from storage import StorageUnavailable, TemplateMismatch
from ui.common import (
    open_page,
    repository,
    respondent_id,
    templates,
)
from ui.i18n import tr
from ui.services import ImportRefused, export_document, import_document
from ui.text import plain

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
st.title(tr("transfer", lang))


st.subheader(tr("export", lang))
whose = st.radio(tr("export_whose", lang), ["combined", "mine"], horizontal=True, key="export_whose",
                 format_func=lambda w: tr(f"export_{w}", lang))
text = export_document(repo, meta.id, tpl, ctx.respondent if whose == "mine" and ctx.respondent else None)
st.download_button(tr("download", lang), text, file_name=f"answers-{tpl.id}.yaml", mime="application/x-yaml",
                   key="export_download")

st.subheader(tr("import", lang))
st.caption(tr("import_hint", lang))
if not ctx.respondent:
    st.info(tr("join", lang))
    st.stop()
upload = st.file_uploader(tr("import", lang), type=["yaml", "yml", "json"], key="import_file",
                          label_visibility="collapsed")
if st.button(tr("import_button", lang), key="import_button", disabled=upload is None):
    try:
        n = import_document(repo, meta.id, respondent_id(ctx), upload.name, upload.getvalue(), templates(), tpl)
    except ImportRefused as e:
        st.error(tr("import_failed", lang) + "\n\n" + "\n".join(f"- {plain(p)}" for p in e.problems[:30]))
    except (StorageUnavailable, TemplateMismatch):
        st.error(tr("save_failed", lang))
    else:
        st.session_state.pop("synced", None)
        st.success(tr("import_ok", lang, n=n))
