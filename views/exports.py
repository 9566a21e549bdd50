"""Exports to send upward: a commune's tables for its trainers, every commune's (or
one province's) for admins, as XLSX or CSV (the tables and their columns: reports/export_tables.py and
docs/exports.md). They hold personal data: no cache keeps them, and each is logged."""

from __future__ import annotations

import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_file,
    stream_with_context,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload

from models import Commune
from reports.exports import Export, csv_chunks, ordered_communes, write_xlsx
from services.access import get_or_404

from .common import library, role_required

bp = Blueprint("exports", __name__)

FILE = "<any(people, modules):kind>.<any(xlsx, csv):fmt>"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IN_MEMORY = 8 * 1024 * 1024  # bytes of XLSX kept in memory before spilling to disk


@bp.get(f"/communes/<int:commune_id>/export/{FILE}")
@role_required("trainer", "reports.trainer_home")
def commune_file(commune_id: int, kind: str, fmt: str):
    """One commune's table, for a trainer acting in it (or an admin)."""
    options = [selectinload(Commune.province)]
    commune = get_or_404(Commune, commune_id, current_user, options=options)
    return download(Export(kind, [commune], library().course()), fmt)


@bp.get(f"/province/export/{FILE}")
@role_required("admin", "reports.trainer_home")
def province_file(kind: str, fmt: str):
    """Every commune's table side by side, for admins; ``?province=CODE``: that
    province's communes only."""
    code = request.args.get("province") or None
    communes = ordered_communes(province=code)
    if code and not communes:
        abort(404)
    return download(Export(kind, communes, library().course()), fmt, code)


def download(export: Export, fmt: str, scope: str | None = None) -> Response:
    """The export as an attachment no cache keeps; CSV streamed as it is made."""
    name = export.file_name(fmt, scope)
    current_app.logger.info(
        "export: %s (%s communes) by person %s",
        name,
        len(export.communes),
        current_user.id,
    )
    if fmt == "csv":
        response = Response(
            stream_with_context(csv_chunks(export)), mimetype="text/csv"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        # Not a with-block: send_file closes it once the response has been sent.
        spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        write_xlsx(export, spool)
        spool.seek(0)
        response = send_file(
            spool, mimetype=XLSX_TYPE, as_attachment=True, download_name=name
        )
    response.headers["Cache-Control"] = "no-store"
    return response
