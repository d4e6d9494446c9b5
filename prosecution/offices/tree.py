"""The materialized path of the office tree: codes joined by "/" from the root down."""

PATH_SEPARATOR = "/"
PATH_MAX_LENGTH = 255


def child_path(parent_path: str | None, code: str) -> str:
    path = f"{parent_path or ''}{code}{PATH_SEPARATOR}"
    if len(path) > PATH_MAX_LENGTH:
        raise ValueError(f"office path too long: {path}")
    return path


def depth_of(path: str) -> int:
    return path.count(PATH_SEPARATOR) - 1
