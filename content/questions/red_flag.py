"""Tap the red flag: a picture of a phone screen with regions; the learner taps one.

The YAML names the picture (an SVG in lessons/images/), a description of it for people
who cannot see it, the regions (each a rectangle in the SVG's own units, with
``flag: true`` when it is a red flag, and its own feedback) and ``empty_feedback`` for
a tap on no region. The page says how many red flags the screen has; one tap is one
answer, right when it lands on any red flag.

A response holds one entry per tap: ``region:ID`` (from the picture or from the list
of regions), or ``spot:X,Y`` (whole SVG units) for a tap on no region. The right
answer is every red flag, so "Show me the answer" lists them all.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fields import Fields
from .base import FormData, Grade, Part, Question, register

IMAGE_NAME = re.compile(r"images/([A-Za-z0-9_.-]+\.svg)")
REGION_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REGION_FIELDS = {"id", "label", "rect", "flag", "feedback"}
MAX_WIDTH = 300  # CSS px: fits a 360 px phone screen, largest text size included
MIN_TARGET = 24  # CSS px: WCAG 2.2 target size (minimum)
LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*")

Box = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class Region:
    """A rectangle of the picture a learner may tap."""

    id: str
    label: str
    rect: Box
    flag: bool
    feedback: str

    def holds(self, x: float, y: float) -> bool:
        left, top, width, height = self.rect
        return left <= x <= left + width and top <= y <= top + height

    def overlaps(self, other: Region) -> bool:
        (ax, ay, aw, ah), (bx, by, bw, bh) = self.rect, other.rect
        return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah

    @property
    def centre(self) -> tuple[float, float]:
        left, top, width, height = self.rect
        return left + width / 2, top + height / 2


@dataclass(frozen=True)
class Picture:
    """An SVG's coordinate system (its viewBox) and the size it is shown at, in CSS px."""

    view_box: Box
    width: int
    height: int

    def to_svg(self, x: float, y: float) -> tuple[float, float]:
        """A point of the picture as shown (CSS px) in the SVG's own units."""
        left, top, width, height = self.view_box
        return left + x * width / self.width, top + y * height / self.height

    def contains(self, rect: Box) -> bool:
        left, top, width, height = self.view_box
        x, y, w, h = rect
        return (
            left <= x and top <= y and x + w <= left + width and y + h <= top + height
        )


NO_PICTURE = Picture((0, 0, 1, 1), 1, 1)  # stands in for an image that has problems


@register
@dataclass
class RedFlag(Question):
    """Tap the red flag on a picture of a phone screen (or choose it from a list)."""

    name = "red_flag"
    template = "quiz/types/red_flag.html"
    stylesheet = "css/types/red_flag.css"
    script = "js/types/red_flag.js"
    extra_fields = {"image", "description", "regions", "empty_feedback"}

    image: str = ""  # the file name in lessons/images/
    description: str = ""
    picture: Picture = field(default_factory=lambda: NO_PICTURE)
    regions: list[Region] = field(default_factory=list)
    empty_feedback: str = ""

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        image, picture = _read_image(fields)
        description = fields.text("description") or ""
        regions = _read_regions(fields, picture)
        empty_feedback = fields.text("empty_feedback") or ""
        return cls(
            image=image,
            description=description,
            picture=picture or NO_PICTURE,
            regions=regions,
            empty_feedback=empty_feedback,
            **common,
        )

    # --- The learner's answer ------------------------------------------------------

    def form_for(self, response: Sequence[str]) -> list[tuple[str, str]]:
        """Regions as chosen from the list (a tap's screen position cannot be rebuilt)."""
        return [
            ("region", key.split(":", 1)[1])
            for key in response
            if key.startswith("region:")
        ]

    def response_from_form(self, form: FormData) -> list[str] | None:
        """A region chosen from the list, or a tap on the picture (``tap.x``, ``tap.y``).

        A tap arrives in CSS pixels of the picture as shown: from the browser itself
        (``<input type="image" name="tap">``) or from the script, which measures it more
        precisely. Activating the picture from the keyboard sends (0, 0): no answer.
        """
        for chosen in form.getlist("region"):
            if chosen in self._by_id():
                return [f"region:{chosen}"]
        x, y = _number(form.getlist("tap.x")), _number(form.getlist("tap.y"))
        if x is None or y is None or (x, y) == (0, 0):
            return None
        if not (0 <= x <= self.picture.width and 0 <= y <= self.picture.height):
            return None
        return [self._tap(*self.picture.to_svg(x, y))]

    def _tap(self, x: float, y: float) -> str:
        region = self._region_at(x, y)
        return f"region:{region.id}" if region else f"spot:{round(x)},{round(y)}"

    def _region_at(self, x: float, y: float) -> Region | None:
        return next((r for r in self.regions if r.holds(x, y)), None)

    def _by_id(self) -> dict[str, Region]:
        return {region.id: region for region in self.regions}

    def _read(self, entry: Any) -> tuple[Region | None, tuple[float, float] | None]:
        """The region a response entry names (or holds), and the point it marks."""
        if not isinstance(entry, str):
            return None, None
        kind, _, value = entry.partition(":")
        if kind == "region":
            region = self._by_id().get(value)
            return region, region.centre if region else None
        if kind == "spot":
            x, _, y = value.partition(",")
            point = _number([x]), _number([y])
            if point[0] is not None and point[1] is not None:
                return self._region_at(*point), point
        return None, None

    # --- Grading ------------------------------------------------------------------------

    def grade(self, response: Sequence[str]) -> Grade:
        """Right when every tap is on a red flag; each tap says what it landed on."""
        if not response:
            return Grade(False)
        regions = [self._read(entry)[0] for entry in response]
        parts = tuple(Part(r.label, r.flag, r.feedback) for r in regions if r)
        empty = (self.empty_feedback,) if None in regions else ()
        return Grade(all(r and r.flag for r in regions), empty, parts=parts)

    def correct_response(self) -> list[str]:
        return [f"region:{region.id}" for region in self.regions if region.flag]

    def keys(self) -> Sequence[str]:
        return [f"region:{region.id}" for region in self.regions]

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        region, _ = self._read(key)
        return region.label if region else key

    def shape(self) -> tuple[Any, ...]:
        return (
            *super().shape(),
            self.image,
            tuple((r.id, r.rect, r.flag) for r in self.regions),
        )

    # --- For the template ----------------------------------------------------------------

    @property
    def flag_count(self) -> int:
        return sum(region.flag for region in self.regions)

    @property
    def view_box(self) -> str:
        return " ".join(f"{n:g}" for n in self.picture.view_box)

    @property
    def marker_size(self) -> float:
        """About 16 CSS px, in the SVG's units."""
        return round(16 * self.picture.view_box[2] / self.picture.width, 2)

    def marker_of(self, response: Sequence[str]) -> tuple[float, float] | None:
        """Where to mark the last tap of ``response`` (a region's centre, or the spot)."""
        return self._read(response[-1])[1] if response else None


# --- Reading the YAML -------------------------------------------------------------------


def _number(values: Sequence[str]) -> float | None:
    """The first value as a finite number, or None."""
    try:
        number = float(values[0])
    except (IndexError, TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _read_image(fields: Fields) -> tuple[str, Picture | None]:
    """The SVG's file name and its size, or a problem saying what is wrong with it."""
    source = fields.text("image")
    if source is None:
        return "", None
    name = IMAGE_NAME.fullmatch(source)
    if not name:
        fields.problem(
            "image",
            f"image '{source}' must be an SVG in images/, written images/NAME.svg",
        )
        return "", None
    folder = fields.image_dir
    path = folder / name.group(1) if folder else None
    if path is None or not path.is_file():
        fields.problem("image", f"image '{source}' does not exist in lessons/images/")
        return name.group(1), None
    picture = _picture_of(path)
    if picture is None:
        fields.problem(
            "image",
            f"image '{source}' has no size: give its <svg> a viewBox, or a width and height",
        )
    return name.group(1), picture


def _picture_of(path: Path) -> Picture | None:
    """The viewBox of an SVG file and the size it is shown at (at most MAX_WIDTH wide)."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError):
        return None
    if not root.tag.endswith("svg"):
        return None
    width, height = (_length(root.get(name)) for name in ("width", "height"))
    view_box = _view_box(root.get("viewBox"))
    if view_box is None and width and height:
        view_box = (0, 0, width, height)
    if view_box is None:
        return None
    ratio = view_box[3] / view_box[2]
    width = width or (height / ratio if height else view_box[2])
    width = min(width, MAX_WIDTH)
    return Picture(view_box, round(width), round(width * ratio))


def _length(value: str | None) -> float | None:
    """A width or height in px (or without unit); None for anything else, or 0."""
    match = LENGTH.fullmatch(value or "")
    if match is None or float(match.group(1)) == 0:
        return None
    return float(match.group(1))


def _view_box(value: str | None) -> Box | None:
    try:
        x, y, width, height = (
            float(n) for n in (value or "").replace(",", " ").split()
        )
    except ValueError:
        return None
    if width <= 0 or height <= 0 or not all(map(math.isfinite, (x, y, width, height))):
        return None
    return x, y, width, height


def _read_regions(fields: Fields, picture: Picture | None) -> list[Region]:
    regions: list[Region] = []
    lines: dict[str, int] = {}
    for number, (node, line) in enumerate(fields.items("regions", minimum=2), start=1):
        entry = Fields(node, fields.problems, f"region {number}", fields.first_line)
        entry.unknown(REGION_FIELDS)
        region_id = entry.text("id")
        label = entry.text("label") or ""
        rect = _read_rect(entry, number)
        flag = entry.boolean("flag")
        feedback = entry.text("feedback") or ""
        if region_id is None or rect is None:
            continue
        name = f"region {number} ('{region_id}')"
        if not REGION_ID.fullmatch(region_id):
            entry.problem(
                "id",
                f"region id '{region_id}' must be lower-case letters and digits joined by '-'",
            )
        if region_id in lines:
            entry.problem(
                "id",
                f"region id '{region_id}' is used twice (first on line {lines[region_id]})",
            )
        lines.setdefault(region_id, line)
        region = Region(region_id, label, rect, flag, feedback)
        if picture:
            _check_fits(entry, name, region, picture)
        for other_number, other in enumerate(regions, start=1):
            if region.overlaps(other):
                entry.problem(
                    "rect",
                    f"{name} overlaps region {other_number} ('{other.id}'): "
                    "regions must not cover the same place",
                )
        regions.append(region)
    if regions and not any(region.flag for region in regions):
        fields.problem(
            "regions", "a 'red_flag' question needs a region with 'flag: true'"
        )
    if regions and all(region.flag for region in regions):
        fields.problem(
            "regions",
            "a 'red_flag' question needs a region with 'flag: false' too, "
            "or the list of regions gives the answer away",
        )
    return regions


def _read_rect(entry: Fields, number: int) -> Box | None:
    """``rect: [x, y, width, height]``: four numbers, width and height above 0."""
    value = entry.node.get("rect")
    if value is None:
        entry.problem(None, f"region {number} has no 'rect'")
        return None
    numbers = (
        [
            float(n)
            for n in value
            if isinstance(n, int | float) and not isinstance(n, bool)
        ]
        if isinstance(value, list)
        else []
    )
    if len(numbers) != 4 or len(value) != 4 or not all(map(math.isfinite, numbers)):
        entry.problem(
            "rect",
            f"region {number}: 'rect' must be four numbers [x, y, width, height]",
        )
        return None
    x, y, width, height = numbers
    if width <= 0 or height <= 0:
        entry.problem(
            "rect", f"region {number}: the width and height in 'rect' must be above 0"
        )
        return None
    return x, y, width, height


def _check_fits(entry: Fields, name: str, region: Region, picture: Picture) -> None:
    """The region lies inside the picture and is big enough to tap."""
    left, top, width, height = picture.view_box
    if not picture.contains(region.rect):
        entry.problem(
            "rect",
            f"{name} goes outside the image, which runs from ({left:g}, {top:g}) "
            f"to ({left + width:g}, {top + height:g})",
        )
    scale = picture.width / width
    if min(region.rect[2], region.rect[3]) * scale < MIN_TARGET:
        smallest = math.ceil(MIN_TARGET / scale)
        entry.problem(
            "rect",
            f"{name} is too small to tap: make it at least {smallest} × {smallest}",
        )
