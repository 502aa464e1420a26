"""Every "may this person see / do X" rule of Brug lives in this package.

Per object type: ``can_*`` (bool), ``check_*`` (raises ``Http404`` when the
object is invisible, ``PermissionDenied`` when it is visible but the act is
forbidden) and ``filter_visible_*`` (QuerySet). No view, query, task or API
endpoint decides visibility on its own.
"""

from brug.permissions.viewer import Viewer, as_viewer

__all__ = ["Viewer", "as_viewer"]
