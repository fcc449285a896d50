"""One immutable slice of a folder index: passages, articles and sentences as flat numpy tables.

A build is one segment, or a base segment plus small ones that incremental updates appended
(``index/store.py`` searches them together). Nothing here is a Python object per passage: a
segment is a handful of arrays (memory-mapped from ``tables.npz`` when loaded from disk), and a
``Passage`` or ``ArticleInfo`` is made when one is asked for.

>>> segment = Segment.from_data(data)                        # doctest: +SKIP
>>> segment.passage(segment.rows_of([7])[0]).text[:20]       # doctest: +SKIP
'The NATO summit to b'
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.errors import CorruptIndex
from index.lexical import Vocabulary, _map_npz, save_npz
from index.passages import Passage
from index.rowfile import RowFile

TABLES = "tables.npz"


def _blob(strings) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 ``strings`` concatenated, and the byte offsets where each starts (one more at the end)."""
    encoded = [s.encode("utf-8") for s in strings]
    ptr = np.zeros(len(encoded) + 1, dtype="int64")
    if encoded:
        np.cumsum([len(e) for e in encoded], out=ptr[1:])
    return np.frombuffer(b"".join(encoded), dtype="uint8"), ptr


class Segment:
    """Passages (ids, offsets, text, sentence spans), their articles and their sentences' keys.

    ``tables`` maps a name to an array; see ``from_data`` for what each holds. Vectors and the
    FAISS and BM25 indexes of the segment are kept by the ``Store``.
    """

    def __init__(self, tables: dict[str, np.ndarray], text: RowFile | None = None, folder: Path | None = None,
                 hint: str = "rebuild it with `citebot index`"):
        """``text``, when given, reads the passage text blob from disk (see index/rowfile.py)."""
        self.t = tables
        self._text = text
        self.folder = folder  # where it was loaded from, named when its tables read as corrupt
        self.hint = hint  # how to rebuild its index, said then
        self.size = len(tables["ids"])
        self.article_count = len(tables["art_ptr"]) - 1
        self.sentence_count = len(tables["s_row"])
        self._article_index = Vocabulary(tables["art_sorted_blob"], tables["art_sorted_ptr"])
        self._articles: dict[int, object] = {}  # article row -> ArticleInfo, filled on demand

    # ---- making one ------------------------------------------------------------------------
    @classmethod
    def from_data(cls, articles, passages, sentences) -> Segment:
        """The tables of ``articles`` (ArticleInfo), ``passages`` (Passage) and ``sentences`` ((doc, start, end),
        in the order of their vectors); every passage's and sentence's doc must be one of ``articles``."""
        art_row = {a.id: i for i, a in enumerate(articles)}
        n = len(passages)
        t: dict[str, np.ndarray] = {}
        t["ids"] = np.fromiter((p.id for p in passages), dtype="int64", count=n)
        t["id_order"] = np.argsort(t["ids"], kind="stable")
        t["sorted_ids"] = t["ids"][t["id_order"]]
        t["spans"] = np.array([(p.start, p.end) for p in passages], dtype="int64").reshape(n, 2)
        t["part"] = np.fromiter((art_row[p.doc] for p in passages), dtype="int32", count=n)
        t["text"], t["text_ptr"] = _blob(p.text for p in passages)
        counts = np.fromiter((len(p.sentences) for p in passages), dtype="int64", count=n)
        t["sent_ptr"] = np.concatenate([[0], np.cumsum(counts)]).astype("int64")
        t["sents"] = np.array([s for p in passages for s in p.sentences], dtype="int64").reshape(-1, 2)
        # An article's passages, in passage order: rows art_prows[art_pptr[a]:art_pptr[a + 1]].
        t["art_prows"] = np.argsort(t["part"], kind="stable").astype("int64")
        t["art_pptr"] = np.searchsorted(t["part"][t["art_prows"]], np.arange(len(articles) + 1)).astype("int64")
        t["art_meta"], t["art_ptr"] = _blob(json.dumps(a.to_json(), ensure_ascii=False) for a in articles)
        order = sorted(range(len(articles)), key=lambda i: articles[i].id.encode("utf-8"))
        t["art_sorted_blob"] = Vocabulary.from_sorted([articles[i].id for i in order]).blob
        t["art_sorted_ptr"] = Vocabulary.from_sorted([articles[i].id for i in order]).offsets
        t["art_sorted_row"] = np.array(order, dtype="int64")
        t["art_by_date"] = np.array(sorted(range(len(articles)), key=lambda i: (articles[i].date or "", articles[i].title)),
                                    dtype="int64")
        t["art_dated"] = np.array([sum(1 for a in articles if not a.date)], dtype="int64")  # undated ones sort first
        # Sentence keys sorted by (article row, start, end); s_row is where each one's vector is.
        m = len(sentences)
        s_art = np.fromiter((art_row[d] for d, _, _ in sentences), dtype="int64", count=m)
        s_start = np.fromiter((s for _, s, _ in sentences), dtype="int64", count=m)
        s_end = np.fromiter((e for _, _, e in sentences), dtype="int64", count=m)
        key_order = np.lexsort((s_end, s_start, s_art))
        t["s_start"], t["s_end"], t["s_row"] = s_start[key_order], s_end[key_order], key_order.astype("int64")
        t["s_ptr"] = np.searchsorted(s_art[key_order], np.arange(len(articles) + 1)).astype("int64")
        return cls(t)

    def save(self, folder: Path) -> None:
        """``folder``/tables.npz, uncompressed so that ``load`` maps it."""
        save_npz(folder / TABLES, **self.t)

    @classmethod
    def load(cls, folder: Path, hint: str = "rebuild it with `citebot index`") -> Segment:
        offsets: dict[str, int] = {}
        tables = _map_npz(folder / TABLES, offsets)
        text = RowFile(folder / TABLES, offsets["text"], tables["text"].shape, "uint8") if "text" in offsets else None
        return cls(tables, text, folder, hint)

    # ---- passages --------------------------------------------------------------------------
    def rows_of(self, pids) -> np.ndarray:
        """Row of each passage id of ``pids``, -1 where this segment does not hold it."""
        pids = np.asarray(pids, dtype="int64").reshape(-1)
        sorted_ids = self.t["sorted_ids"]
        if not len(sorted_ids):
            return np.full(len(pids), -1, dtype="int64")
        at = np.minimum(np.searchsorted(sorted_ids, pids), len(sorted_ids) - 1)
        return np.where(sorted_ids[at] == pids, self.t["id_order"][at], -1)

    def row_of(self, pid: int) -> int:
        """Row of passage ``pid``, -1 when this segment does not hold it."""
        sorted_ids = self.t["sorted_ids"]
        i = int(sorted_ids.searchsorted(pid))
        return int(self.t["id_order"][i]) if i < len(sorted_ids) and sorted_ids[i] == pid else -1

    def passage(self, row: int) -> Passage:
        t = self.t
        row = int(row)
        start, end = (int(x) for x in t["spans"][row])
        lo, hi = int(t["text_ptr"][row]), int(t["text_ptr"][row + 1])
        blob = self._text.read(lo, hi) if self._text is not None else t["text"][lo:hi].tobytes()
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError:  # the tables are mapped, not checksummed: changed bytes show as they are read
            raise self._corrupt(f"passage row {row}'s text is not UTF-8") from None
        s_lo, s_hi = int(t["sent_ptr"][row]), int(t["sent_ptr"][row + 1])
        spans = tuple((int(s), int(e)) for s, e in t["sents"][s_lo:s_hi].tolist())
        return Passage(int(t["ids"][row]), self.article_id(int(t["part"][row])), start, end, text, spans)

    def article_rows_of(self, rows) -> np.ndarray:
        return self.t["part"][np.asarray(rows, dtype="int64")]

    # ---- articles --------------------------------------------------------------------------
    def find_article(self, doc: str) -> int | None:
        """The row of article ``doc``, or None."""
        pos = self._article_index.get(doc)
        return None if pos is None else int(self.t["art_sorted_row"][pos])

    def article_rows_of_file(self, rel: str) -> list[int]:
        """Rows of the articles read from corpus file ``rel``: id ``rel``, or ``rel#...`` for a .jsonl row."""
        vocab, key = self._article_index, rel.encode("utf-8")
        lo, hi = 0, len(vocab)
        while lo < hi:  # the first id >= rel, in byte order (the order the ids are sorted in)
            mid = (lo + hi) // 2
            if vocab._term_bytes(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        rows = []
        while lo < len(vocab):
            term = vocab._term_bytes(lo)
            if not term.startswith(key):
                break
            if term == key or term[len(key):].startswith(b"#"):
                rows.append(int(self.t["art_sorted_row"][lo]))
            lo += 1
        return rows

    def article(self, row: int):
        from index.store import ArticleInfo

        info = self._articles.get(row)
        if info is None:
            lo, hi = int(self.t["art_ptr"][row]), int(self.t["art_ptr"][row + 1])
            try:
                info = ArticleInfo(**json.loads(self.t["art_meta"][lo:hi].tobytes().decode("utf-8")))
            except (ValueError, TypeError):  # not UTF-8, not JSON, or not an article's fields
                raise self._corrupt(f"article row {row}'s record is unreadable") from None
            if len(self._articles) > 100_000:
                self._articles.clear()
            self._articles[row] = info
        return info

    def _corrupt(self, why: str) -> CorruptIndex:
        where = f"index file {self.folder / TABLES}" if self.folder else "an index file"
        return CorruptIndex(f"{where} is corrupt ({why}); {self.hint}")

    def article_id(self, row: int) -> str:
        return self.article(row).id

    def article_passage_rows(self, row: int) -> np.ndarray:
        return self.t["art_prows"][int(self.t["art_pptr"][row]) : int(self.t["art_pptr"][row + 1])]

    def articles_by_date(self) -> np.ndarray:
        """Article rows, oldest (undated first) to newest by (date, title)."""
        return self.t["art_by_date"]

    def undated(self) -> int:
        return int(self.t["art_dated"][0])

    # ---- sentences -------------------------------------------------------------------------
    def sentence_vector_row(self, art: int, start: int, end: int) -> int | None:
        """Where the vector of sentence (article row ``art``, ``start``, ``end``) is, or None."""
        lo, hi = int(self.t["s_ptr"][art]), int(self.t["s_ptr"][art + 1])
        starts = self.t["s_start"]
        i = lo + int(np.searchsorted(starts[lo:hi], start))
        while i < hi and starts[i] == start:
            if self.t["s_end"][i] == end:
                return int(self.t["s_row"][i])
            i += 1
        return None

    def passage_sentence_rows(self, row: int) -> tuple[list[tuple[int, int]], list[int | None]]:
        """The sentence spans of passage ``row`` and where each one's vector is (None: not stored)."""
        t = self.t
        row = int(row)
        spans = [(int(s), int(e)) for s, e in t["sents"][int(t["sent_ptr"][row]) : int(t["sent_ptr"][row + 1])].tolist()]
        art = int(t["part"][row])
        lo, hi = int(t["s_ptr"][art]), int(t["s_ptr"][art + 1])
        starts, ends = t["s_start"][lo:hi], t["s_end"][lo:hi]
        at = np.searchsorted(starts, [s for s, _ in spans]).tolist() if spans else []
        out: list[int | None] = []
        for (s, e), i in zip(spans, at):  # a passage's sentences sit side by side in the article's sorted keys
            if i < len(starts) and starts[i] == s and ends[i] == e:
                out.append(int(t["s_row"][lo + i]))
            else:
                out.append(self.sentence_vector_row(art, s, e))
        return spans, out

    def sentence_keys(self):
        """(doc, start, end, vector row) of every sentence, by article."""
        for art in range(self.article_count):
            doc = self.article_id(art)
            lo, hi = int(self.t["s_ptr"][art]), int(self.t["s_ptr"][art + 1])
            for s, e, r in zip(self.t["s_start"][lo:hi].tolist(), self.t["s_end"][lo:hi].tolist(),
                               self.t["s_row"][lo:hi].tolist()):
                yield doc, s, e, r
