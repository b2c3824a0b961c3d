"""Semantic similarity of texts from static word-piece embeddings shipped inside a PyPI package.

The weights are WordLlama's (the `wordllama` package, MIT): a 32,000 x 256 table of token
embeddings distilled from large language models, and the tokenizer that goes with them, both in
the package's wheel. They are read from the installed package and never downloaded: WordLlama's
own loader looks for its tokenizer where the wheel does not put it and would fetch it over the
network. A text's vector is the IDF-weighted mean of its tokens' embeddings, so that tokens in
most texts of the catalog (boilerplate, the catalog's own subject) weigh little, as in TF-IDF.
"""

from __future__ import annotations

from pathlib import Path


METHODS = ("tfidf", "semantic", "combined")
#: The score from which a pair is reported, by method: calibrated on labelled pairs (docs/overlap.md).
THRESHOLDS = {"tfidf": 0.12, "semantic": 0.55, "combined": 0.3}
WEIGHTS_FILE = "l2_supercat_256.safetensors"
TOKENIZER_FILE = "l2_supercat_tokenizer_config.json"


class SemanticUnavailable(Exception):
    """The optional `semantic` extra (the wordllama package) is not installed."""


class SemanticModel:
    """WordLlama's token embeddings and tokenizer, read from the installed package."""

    def __init__(self):
        import numpy as np

        try:
            import wordllama
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as error:
            raise SemanticUnavailable(
                "the semantic overlap methods need the optional wordllama package:"
                " pip install 'trackdesign[semantic]'") from error
        root = Path(wordllama.__file__).parent
        weights, tokenizer = root / "weights" / WEIGHTS_FILE, root / "tokenizers" / TOKENIZER_FILE
        if not (weights.exists() and tokenizer.exists()):
            raise SemanticUnavailable(f"the installed wordllama package lacks {WEIGHTS_FILE} or {TOKENIZER_FILE}")
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.embedding = load_file(str(weights))["embedding.weight"].astype(np.float32)

    def counts(self, texts: list[str]):
        """A CSR matrix of token counts, a row per text."""
        import numpy as np
        from scipy import sparse

        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        lengths = np.array([len(e.ids) for e in encoded], dtype=np.int64)
        columns = np.fromiter((i for e in encoded for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, indptr),
                                   shape=(len(texts), self.embedding.shape[0]))
        matrix.sum_duplicates()
        return matrix

    def embed(self, weighted) -> np.ndarray:
        """Unit-length vectors of rows of weighted token counts (a zero row stays zero)."""
        import numpy as np

        vectors = np.asarray(weighted @ self.embedding, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


def idf_weighted(counts):
    """Token counts as sublinear TF times smoothed IDF over the rows (the TF-IDF of trackdesign.analysis.overlap)."""
    import numpy as np

    rows = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    idf = np.log((rows + 1) / (df + 1)) + 1
    weighted = counts.astype(np.float32, copy=True)
    weighted.data = (1 + np.log(weighted.data)) * idf[weighted.indices]
    return weighted


_MODEL: SemanticModel | None = None


def model() -> SemanticModel:
    """The one model of this process, loaded when first needed."""
    global _MODEL
    if _MODEL is None:
        _MODEL = SemanticModel()
    return _MODEL
