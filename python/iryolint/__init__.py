"""iryolint: lints Japanese clinic advertising copy against Japan's
medical-advertising rules (医療法 第6条の5, 医療広告ガイドライン, 薬機法, 景品表示法).

    >>> import iryolint
    >>> [f["rule"] for f in iryolint.check("<p>当院は症例数日本一です。</p>")]
    ['superlative-number-one']

``check`` returns the findings of the command line's JSON report as dicts;
``rules`` lists the rule pack. The pack is compiled once per process, and
checking releases the GIL, so threads check pages in parallel. See
SCALE.md for Spark.
"""

from ._iryolint import __version__, _compilations, check, rules

__all__ = ["__version__", "check", "rules"]
