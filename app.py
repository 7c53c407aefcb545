"""The Streamlit entry: the page registry and nothing else. `streamlit run app.py`"""

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.reruns import install as install_whole_page_fallback

install_whole_page_fallback()  # first: a change from a fragment this process does not know is never dropped

from ui.common import PAGES  # noqa: E402
from ui.faults import show_fault  # noqa: E402
from ui.i18n import tr  # noqa: E402

# the page each run was asked for, noted before anything can interrupt the run: a questionnaire page
# uses it to tell a link click that a late text commit overtook (the browser sends a text area's
# commit after the click, and the later request's page wins) from a visit to the page
_run = get_script_run_ctx()
st.session_state["page_hash_before"] = st.session_state.get("page_hash_now")
st.session_state["page_hash_now"] = _run.page_script_hash if _run else ""
st.set_page_config(page_title="Readiness", page_icon="✅", layout="wide")
lang = st.query_params.get("lang") or st.session_state.get("ctx_lang") or "zh"
titles = {"home": tr("home", lang), "results": tr("results", lang), "workshop": tr("workshop", lang),
          "actions": tr("actions", lang), "transfer": tr("transfer", lang),
          "progress": tr("progress_title", lang), "vendors": tr("vendors", lang),
          "room": tr("room_view", lang)}
pages = [st.Page(path, title=titles.get(key, key.capitalize()), url_path=key, default=key == "home")
         for key, path in PAGES.items()]
page = st.navigation(pages, position="hidden")
st.session_state["page_by_hash"] = {p._script_hash: key for key, p in zip(PAGES, pages, strict=False)}
try:
    page.run()
except Exception as e:  # a user never sees a traceback; st.rerun/st.stop are BaseExceptions and pass through
    if not show_fault(e, lang):  # a database fault says what it is; anything else is logged in full
        logging.getLogger("readiness.ui").exception("page failed")
        st.error(tr("error_generic", lang))
