"""One line of handwriting read by the PP-OCR recognition model that ships in rapidocr's wheel.

Tesseract reads the clerk's handwritten numbers and days of the scans badly (the long
lead-in stroke of a handwritten 1 is a 4 to every model of it); PaddleOCR's recogniser,
trained on far more varied writing, reads 19 of the 22 corpus numbers from the same crops
(measured: tesseract 6). The model file is Apache-2.0 and inside the rapidocr wheel, so
nothing is downloaded. It is run with onnxruntime directly: rapidocr's own pipeline would
also load its configuration stack and the detection model for what is here a resize and a
greedy CTC decode (the few lines below, following rapidocr's preprocessing exactly).
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

# The recognition model and the input height it was trained at.
MODEL_FILE = "PP-OCRv6_rec_small.onnx"
INPUT_HEIGHT = 48
# Wider crops are cut down to this ratio first (a field is a few characters).
MAX_WIDTH_RATIO = 40
# Narrower crops are padded to this width, as in training.
MIN_WIDTH = 320


@dataclass(frozen=True)
class Reading:
    text: str
    score: float  # mean probability of the characters kept, 0..1
    scores: tuple[float, ...] = ()  # each kept character's probability, in text order

    def digits_score(self) -> float:
        """The mean probability of the digits read (0 without digits): how sure a number is,
        whatever the printed letters around it scored."""
        digits = [score for char, score in zip(self.text, self.scores, strict=False) if char.isdigit()]
        return sum(digits) / len(digits) if digits else 0.0


def model_path() -> Path | None:
    """The model inside the installed rapidocr package (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "models" / MODEL_FILE
        if path.is_file():
            return path
    return None


@cache
def _session() -> tuple[Any, list[str]] | None:
    """(onnxruntime session, characters by class index), or None without the model."""
    path = model_path()
    if path is None:
        return None
    try:
        import onnxruntime
    except ImportError:
        return None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one worker per core already
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    # Class 0 is CTC's blank; the last class is the space.
    return session, ["", *characters, " "]


def _input(image: Image.Image) -> Any:
    """The crop as the model was trained on it: BGR, height 48 by OpenCV's bilinear resize,
    values in -1..1, channels first, padded on the right to at least 320 wide."""
    import cv2
    import numpy as np

    bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
    ratio = bgr.shape[1] / max(1, bgr.shape[0])
    width = max(1, min(math.ceil(INPUT_HEIGHT * ratio), INPUT_HEIGHT * MAX_WIDTH_RATIO))
    resized = cv2.resize(bgr, (width, INPUT_HEIGHT)).astype(np.float32)
    normalised = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    padded = np.zeros((1, 3, INPUT_HEIGHT, max(width, MIN_WIDTH)), dtype=np.float32)
    padded[0, :, :, :width] = normalised
    return padded


def read_line(image: Image.Image) -> Reading | None:
    """The text of a one-line crop, or None when the model is not installed."""
    loaded = _session()
    if loaded is None:
        return None
    session, characters = loaded
    try:
        probabilities = session.run(None, {session.get_inputs()[0].name: _input(image)})[0][0]
    except Exception:  # onnxruntime's own errors (Fail, InvalidArgument) derive from Exception only
        return None
    best = probabilities.argmax(axis=1)
    text: list[str] = []
    scores: list[float] = []
    previous = -1
    for step, index in enumerate(best.tolist()):
        char = characters[index] if index < len(characters) else ""
        if index != previous and char:  # greedy CTC: repeats merge, blanks drop
            text.append(char)
            scores.append(float(probabilities[step, index]))
        previous = index
    return Reading("".join(text), sum(scores) / len(scores) if scores else 0.0, tuple(scores))
