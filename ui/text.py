"""User text is text: what people type never becomes Markdown, HTML or a chart's markup on screen.

Streamlit renders GitHub-flavoured Markdown (plus its own `:colour[…]`, `:material/…:` and `$…$`
extensions) in st.markdown, st.write of a string, captions, titles, st.info/success/warning/error,
st.toast, metric labels and values, expander and tab labels, page links, radio options, and the label
of every widget. An organisation called `![](http://host/x.png)` would load that image in every
participant's browser, and `**x**` would turn bold. So every piece of user text (organisation,
project, names, roles, reasons, notes, owners, vendor and requirement names, file names, messages
that quote them) goes through `plain` before it meets one of those elements:

    st.caption(f"{plain(meta.organisation)} · {plain(meta.project)}")
    st.text_input(plain(name), ...)

Emoji and icon short codes (`:smile:`, `:material/home:`) are left as typed and may show as their
symbol: they load nothing and hide no text, and escaping every colon would mangle times and ratios.

Our own strings from `ui.i18n` stay Markdown; only the user's part of a message is escaped. Table
cells (st.dataframe, st.data_editor with text columns) and selectbox / multiselect options are shown as
plain text by Streamlit and need nothing. Plotly chart labels use their own HTML-like markup: use
`chart_text` there.
"""

from __future__ import annotations

import html

from scoring import escape_markdown


def plain(text: object) -> str:
    """`text` as Markdown that shows exactly these characters: no emphasis, link, image, heading, list,
    table, directive, formula or HTML tag (the rule is `scoring.escape_markdown`, shared with the
    Markdown export). A line break stays a line break; None shows as an empty string."""
    if text is None:
        return ""
    s = escape_markdown(str(text))
    return s.replace("\r\n", "\n").replace("\n", "  \n")


def chart_text(text: object) -> str:
    """`text` for a Plotly label, title or hover text, whose markup is a small HTML subset (<a href>,
    <b>, <br>…): the tags are escaped so a name is shown as typed."""
    return "" if text is None else html.escape(str(text), quote=False)
