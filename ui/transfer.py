"""Export and import answers in the command line's answers format. A failed import changes nothing."""

from __future__ import annotations

import streamlit as st

from services import ImportRefused, export_document, import_document
from storage import StorageUnavailable, TemplateMismatch
from ui.common import (
    joined,
    open_page,
    repository,
    templates,
)
from ui.i18n import tr
from ui.text import plain

ctx, meta, tpl = open_page()
lang = ctx.lang
repo = repository()
st.title(tr("transfer", lang))


st.subheader(tr("export", lang))
whose = st.radio(tr("export_whose", lang), ["combined", "mine"], horizontal=True, key="export_whose",
                 format_func=lambda w: tr(f"export_{w}", lang))
me = joined(ctx) if ctx.respondent else None  # a name proven by its token in the link
text = export_document(repo, meta.id, tpl, me.name if whose == "mine" and me else None)
st.download_button(tr("download", lang), text, file_name=f"answers-{tpl.id}.yaml", mime="application/x-yaml",
                   key="export_download")

st.subheader(tr("import", lang))
st.caption(tr("import_hint", lang))
if me is None:
    st.info(tr("join", lang))
    st.stop()
upload = st.file_uploader(tr("import", lang), type=["yaml", "yml", "json"], key="import_file",
                          label_visibility="collapsed")
if st.button(tr("import_button", lang), key="import_button", disabled=upload is None) and upload is not None:
    try:
        n = import_document(repo, meta.id, me.id, upload.name, upload.getvalue(), templates(), tpl)
    except ImportRefused as e:
        st.error(tr("import_failed", lang) + "\n\n" + "\n".join(f"- {plain(p)}" for p in e.texts(lang)[:30]))
    except (StorageUnavailable, TemplateMismatch):
        st.error(tr("save_failed", lang))
    else:
        st.success(tr("import_ok", lang, n=n))
