"""Reading label files the way ../shared/eval/score.py does (shared by the
measurement scripts in this folder)."""


def byte_ranges(text, quote, nth=None):
    """Byte ranges of `quote`'s occurrences in `text` (all, or only the nth, 1-based)."""
    out, at = [], 0
    while (i := text.find(quote, at)) >= 0:
        b = len(text[:i].encode())
        out.append((b, b + len(quote.encode())))
        at = i + 1
    return out[nth - 1:nth] if nth else out


def overlaps(a, b):
    """Whether two byte ranges share a byte."""
    return a[0] < b[1] and b[0] < a[1]
