"""Importing this package registers every calculator (one module per drug or score family)."""

from . import azathioprine, liver_scores, prednisolone  # noqa: F401
from . import aih_score, fibrosis, steroids  # noqa: F401
from . import second_line, steroid_regimens  # noqa: F401
from . import treatment_response  # noqa: F401
