from os import PathLike
from typing import Any, Literal, Optional, Union

__version__: str

def check(
    content: Union[str, bytes],
    *,
    format: Literal["html", "markdown", "text", "docx"] = "html",
    lang: Literal["ja", "en"] = "ja",
    config: Optional[Union[str, PathLike[str]]] = None,
    path: str = "-",
    all_findings: bool = False,
    min_confidence: Optional[float] = None,
) -> list[dict[str, Any]]: ...
def rules(*, config: Optional[Union[str, PathLike[str]]] = None) -> list[dict[str, Any]]: ...
def _compilations() -> int: ...
