"""Writes data/shapes.zip: a small image-folder dataset of circles, squares and triangles, for use offline.

The archive unpacks to ``shapes/<class>/<class>_NN.png``, one subfolder per class, the layout that
``keras.utils.image_dataset_from_directory`` reads. Each class has 16 RGB PNG images of different sizes
(28 to 40 pixels a side, not always square), each one filled shape in one colour on a plain, clearly
lighter background of another; sizes, colours and positions are drawn from a fixed-seed NumPy generator,
and the shapes are drawn with Pillow. The PNG files are stored in the archive uncompressed (they are
compressed already) with a fixed timestamp and permissions, so that the archive's bytes depend only on the
pixels and the PNG encoder.

Run it from anywhere: ``python data/make_shapes.py``. It rewrites the same bytes every time (with the
Pillow and zlib of ``requirements.lock``; a test checks it).
"""

import io
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ("circle", "square", "triangle")
IMAGES_PER_CLASS = 16
SIDES = (28, 40)  # smallest and largest width or height, in pixels
SEED = 2026
ARCHIVE_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip file can record


def random_colours(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A background colour and a clearly darker shape colour."""
    while True:
        background, shape = (tuple(int(v) for v in rng.integers(0, 256, size=3)) for _ in range(2))
        if sum(background) - sum(shape) >= 180:
            return background, shape


def draw_shape(kind: str, rng: np.random.Generator) -> Image.Image:
    width, height = (int(v) for v in rng.integers(SIDES[0], SIDES[1] + 1, size=2))
    background, colour = random_colours(rng)
    image = Image.new("RGB", (width, height), background)
    side = int(rng.integers(int(0.5 * min(width, height)), int(0.85 * min(width, height)) + 1))
    left = int(rng.integers(1, width - side))
    top = int(rng.integers(1, height - side))
    box = (left, top, left + side - 1, top + side - 1)
    draw = ImageDraw.Draw(image)
    if kind == "circle":
        draw.ellipse(box, fill=colour)
    elif kind == "square":
        draw.rectangle(box, fill=colour)
    else:
        bottom, right = top + side - 1, left + side - 1
        draw.polygon([(left + (side - 1) / 2, top), (left, bottom), (right, bottom)], fill=colour)
    return image


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9)
    return buffer.getvalue()


def archive_bytes() -> bytes:
    """The bytes of shapes.zip."""
    rng = np.random.default_rng(SEED)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number in range(IMAGES_PER_CLASS):
            for kind in CLASSES:
                content = png_bytes(draw_shape(kind, rng))
                member = zipfile.ZipInfo(f"shapes/{kind}/{kind}_{number:02d}.png", date_time=ARCHIVE_TIMESTAMP)
                member.create_system = 3  # Unix, so that the permissions below are read as such everywhere
                member.external_attr = 0o644 << 16
                archive.writestr(member, content)
    return buffer.getvalue()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "shapes.zip"
    target.write_bytes(archive_bytes())
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
