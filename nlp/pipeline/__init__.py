"""The spaCy pipeline: note text -> Doc with sections, sentences, neurology entities, assertion and
attributes; `doc_to_facts` turns the Doc into typed facts.

Component order (each one spaCy component per module, namespaced and versioned):
  tokenizer  neurocode_normalising_tokenizer_v1  offset-preserving normalisation + spaCy tokenizer
  1 neurocode_sections_v1     header lines -> section categories (and family/historical flags)
  2 neurocode_sentences_v1    newline / header / punctuation boundaries
  3 neurocode_entities_v1     PhraseMatcher over nlp/resources/terms/*.csv -> doc.ents
  4 neurocode_context_v1      medspaCy ConText with nlp/resources/context_rules.json + section flags
  5 neurocode_attributes_v1   modifiers -> entity attributes; note-wide procedure attributes
  6 neurocode_procedures_v1   NCS nerves, EMG muscles, toxin units, EEG duration
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MAX_NOTE_CHARS = 10_000_000
COMPONENTS = ("neurocode_sections_v1", "neurocode_sentences_v1", "neurocode_entities_v1", "neurocode_context_v1",
              "neurocode_attributes_v1", "neurocode_procedures_v1")


# Imported by medspaCy's package __init__ (through quickumls) but never used by this pipeline: medspaCy
# always imports its UMLS matcher, which imports nltk, which imports scipy, scikit-learn and pandas
# (about 1.3 s of a cold start). nltk is registered as a deferred module: it loads only if touched.
DEFERRED_IMPORTS = ("nltk",)


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is read; then imports the real module and
    answers from it (importlib's LazyLoader does not serve: `import` itself reads the spec)."""

    def __getattr__(self, attr: str) -> object:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def defer_unused_imports() -> None:
    """Put a `_DeferredModule` for each of `DEFERRED_IMPORTS` not yet imported into `sys.modules`."""
    for name in DEFERRED_IMPORTS:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        stub = _DeferredModule(name)
        stub.__spec__ = spec
        sys.modules[name] = stub


def build_pipeline() -> Language:
    """A new pipeline instance (use `load_pipeline()` for the shared, cached one)."""
    defer_unused_imports()
    import spacy

    from nlp.pipeline import attributes, context, entities, procedures, sections, sentences  # noqa: F401
    from nlp.pipeline.normalizer import NormalisingTokenizer

    context.silence_loguru()
    nlp = spacy.blank("en")
    nlp.tokenizer = NormalisingTokenizer(nlp.tokenizer)
    nlp.max_length = MAX_NOTE_CHARS
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@cache
def load_pipeline() -> Language:
    """The pipeline, built once per process."""
    return build_pipeline()


def extract_facts(text: str) -> list:
    """Convenience: run the cached pipeline on one note and return its facts."""
    from nlp.pipeline.facts import doc_to_facts

    return doc_to_facts(load_pipeline()(text))
