"""The application's use cases, shared by the app and the command line: open, create and re-assess
an assessment, consolidate a room, import and export answers, the action plan, and every edit of a
vendor sheet (`services.vendor_sheet`, each edit one typed command of the vendors package).

No Streamlit here: pages read through a service, show, and write back through a service. Services
use storage, the core (checklists, scoring, vendors), sheets and reports; ui and cli use services.
"""

from . import vendor_sheet
from .assessments import (
    MAX_UPLOAD_BYTES,
    ImportRefused,
    assessment_chain,
    assessment_meta,
    export_document,
    import_document,
    room_answers,
    room_assessment,
    save_plan_changes,
    start_reassessment,
    template_files_signature,
    template_problems,
)

__all__ = [
    "MAX_UPLOAD_BYTES", "ImportRefused", "assessment_chain", "assessment_meta", "export_document", "import_document", "room_answers", "room_assessment",
    "save_plan_changes", "start_reassessment", "template_files_signature", "template_problems", "vendor_sheet",
]
