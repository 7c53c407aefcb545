"""The Streamlit entry: the page registry and nothing else. `streamlit run app.py`"""

import logging

import streamlit as st

from ui.common import PAGES
from ui.faults import show_fault
from ui.i18n import tr

st.set_page_config(page_title="Readiness", page_icon="✅", layout="wide")
lang = st.query_params.get("lang") or st.session_state.get("ctx_lang") or "zh"
titles = {"home": tr("home", lang), "results": tr("results", lang), "workshop": tr("workshop", lang),
          "actions": tr("actions", lang), "transfer": tr("transfer", lang),
          "progress": tr("progress_title", lang), "vendors": tr("vendors", lang),
          "room": tr("room_view", lang)}
pages = [st.Page(path, title=titles.get(key, key.capitalize()), url_path=key, default=key == "home")
         for key, path in PAGES.items()]
page = st.navigation(pages, position="hidden")
try:
    page.run()
except Exception as e:  # a user never sees a traceback; st.rerun/st.stop are BaseExceptions and pass through
    if not show_fault(e, lang):  # a database fault says what it is; anything else is logged in full
        logging.getLogger("readiness.ui").exception("page failed")
        st.error(tr("error_generic", lang))
